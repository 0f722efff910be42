#include "common/protoutil/unmarshal.h"

#include "absl/strings/str_cat.h"

namespace careledger::protoutil::internal {

absl::Status MalformedMessageError(std::string_view what, std::string_view type_name, size_t size) {
  return absl::InvalidArgumentError(absl::StrCat("malformed ", std::string(what), " (", std::string(type_name), "): ",
                                                 size, " bytes are not a valid protobuf encoding of this message"));
}

}  // namespace careledger::protoutil::internal
