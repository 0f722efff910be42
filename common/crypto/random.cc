#include "common/crypto/random.h"

#include <openssl/rand.h>

#include <climits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace careledger::crypto {

absl::StatusOr<std::string> RandomBytes(size_t n) {
  if (n > INT_MAX) return absl::InvalidArgumentError(absl::StrCat("cannot draw ", n, " random bytes at once"));
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return absl::InternalError("OpenSSL random generator failed (RAND_bytes)");
  }
  return out;
}

}  // namespace careledger::crypto
