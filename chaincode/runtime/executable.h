// Executable: the code of one chaincode the runtime can run, a built-in or a loaded shared library. Made
// and owned by the ChaincodeRegistry; immutable, and alive as long as the registry.
#ifndef CARELEDGER_CHAINCODE_RUNTIME_EXECUTABLE_H_
#define CARELEDGER_CHAINCODE_RUNTIME_EXECUTABLE_H_

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "careledger/chaincode_abi.h"

namespace careledger::chaincode {

class Executable {
 public:
  enum class Kind { kBuiltin, kLibrary };

  Executable(Kind kind, std::string source, std::string sha256_hex, const careledger_chaincode_descriptor* descriptor)
      : kind_(kind), source_(std::move(source)), sha256_hex_(std::move(sha256_hex)), descriptor_(descriptor) {}

  Kind kind() const { return kind_; }
  // The built-in's name, or the path the library was loaded from.
  const std::string& source() const { return source_; }
  // The library file's SHA-256 (lower-case hex); empty for a built-in.
  const std::string& sha256_hex() const { return sha256_hex_; }
  // Checked at registration: our ABI major and an invoke function. Static data of the peer or the library.
  const careledger_chaincode_descriptor& descriptor() const { return *descriptor_; }

 private:
  Kind kind_;
  std::string source_;
  std::string sha256_hex_;
  const careledger_chaincode_descriptor* descriptor_;
};

// OK if `descriptor` can be run by this peer: not null, built for CARELEDGER_CHAINCODE_ABI_MAJOR, with an
// invoke function. FailedPrecondition naming `what` otherwise.
absl::Status CheckDescriptor(const careledger_chaincode_descriptor* descriptor, std::string_view what);

}  // namespace careledger::chaincode

#endif  // CARELEDGER_CHAINCODE_RUNTIME_EXECUTABLE_H_
