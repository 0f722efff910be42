#include "peer/vault/master_key.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <openssl/crypto.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/crypto/aes_gcm.h"
#include "common/crypto/random.h"
#include "common/encoding/hex.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"

namespace careledger::vault {

absl::StatusOr<MasterKey> MasterKey::FromBytes(std::string bytes) {
  if (bytes.size() != crypto::kAes256KeySize) {
    const size_t size = bytes.size();
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return absl::InvalidArgumentError(
        absl::StrCat("a vault master key is ", crypto::kAes256KeySize, " bytes, not ", size));
  }
  return MasterKey(std::move(bytes));
}

MasterKey::MasterKey(MasterKey&& other) noexcept : bytes_(std::move(other.bytes_)) { other.Wipe(); }

MasterKey& MasterKey::operator=(MasterKey&& other) noexcept {
  if (this != &other) {
    Wipe();
    bytes_ = std::move(other.bytes_);
    other.Wipe();
  }
  return *this;
}

MasterKey::~MasterKey() { Wipe(); }

void MasterKey::Wipe() {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
  bytes_.clear();
}

absl::StatusOr<MasterKey> LoadMasterKey(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT) return absl::NotFoundError(absl::StrCat("vault master key file ", path, " does not exist"));
    return absl::PermissionDeniedError(
        absl::StrCat("vault master key file ", path, ": cannot stat: ", std::strerror(err)));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::PermissionDeniedError(absl::StrCat("vault master key file ", path, " is not a regular file"));
  }
  if ((st.st_mode & 077) != 0) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "vault master key file %s is readable or writable by group or others (mode %04o); make it private with "
        "chmod 600",
        path, st.st_mode & 07777));
  }
  absl::StatusOr<std::string> text = file::ReadFile(path, 1024);
  if (!text.ok()) {
    if (absl::IsInvalidArgument(text.status())) {
      return absl::InvalidArgumentError(
          absl::StrCat("vault master key file ", path, " is not 64 hexadecimal digits (it is too large)"));
    }
    return Annotate(text.status(), "reading the vault master key");
  }
  std::string_view digits = *text;
  if (!digits.empty() && digits.back() == '\n') digits.remove_suffix(1);
  absl::StatusOr<std::string> bytes =
      digits.size() == 2 * crypto::kAes256KeySize ? HexDecode(digits) : absl::InvalidArgumentError("length");
  OPENSSL_cleanse(text->data(), text->size());
  if (!bytes.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("vault master key file ", path, " is not ",
                                                   2 * crypto::kAes256KeySize,
                                                   " hexadecimal digits (and an optional newline)"));
  }
  return MasterKey::FromBytes(*std::move(bytes));
}

absl::Status GenerateMasterKeyFile(const std::string& path) {
  if (file::Exists(path)) {
    return absl::AlreadyExistsError(absl::StrCat(
        "vault master key file ", path,
        " already exists; a new key would make every document the old one wrapped unrecoverable"));
  }
  ASSIGN_OR_RETURN(std::string bytes, crypto::RandomBytes(crypto::kAes256KeySize));
  std::string text = HexEncode(bytes) + "\n";
  OPENSSL_cleanse(bytes.data(), bytes.size());
  const absl::Status written = file::WriteFileAtomic(path, text, 0600);
  OPENSSL_cleanse(text.data(), text.size());
  return Annotate(written, "writing the vault master key");
}

}  // namespace careledger::vault
