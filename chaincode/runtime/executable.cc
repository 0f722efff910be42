#include "chaincode/runtime/executable.h"

#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace careledger::chaincode {

absl::Status CheckDescriptor(const careledger_chaincode_descriptor* descriptor, std::string_view what) {
  if (descriptor == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(AsAbsl(what), " has no chaincode descriptor"));
  }
  if (descriptor->abi_major != CARELEDGER_CHAINCODE_ABI_MAJOR) {
    return absl::FailedPreconditionError(absl::StrCat(
        AsAbsl(what), " was built for chaincode ABI major ", descriptor->abi_major, ", but this peer runs ABI major ",
        CARELEDGER_CHAINCODE_ABI_MAJOR, ": rebuild it against this peer's careledger/chaincode_abi.h"));
  }
  if (descriptor->invoke == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(AsAbsl(what), "'s chaincode descriptor has no invoke function"));
  }
  return absl::OkStatus();
}

}  // namespace careledger::chaincode
