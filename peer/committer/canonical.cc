#include "peer/committer/canonical.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/protoutil/marshal.h"

namespace careledger::committer::internal {

absl::Status CheckCanonical(google::protobuf::Message& message, std::string_view bytes, std::string_view what) {
  message.DiscardUnknownFields();
  ASSIGN_OR_RETURN(const std::string canonical, protoutil::Marshal(message, what));
  if (canonical == bytes) return absl::OkStatus();
  // Where the encodings part tells a reader whether fields were reordered, padded or added.
  const size_t first_difference =
      static_cast<size_t>(std::mismatch(canonical.begin(), canonical.end(), bytes.begin(), bytes.end()).first -
                          canonical.begin());
  return absl::InvalidArgumentError(absl::StrCat(
      AsAbsl(what), " (", message.GetTypeName(), ") is not in canonical encoding: ", bytes.size(),
      " bytes received, ", canonical.size(), " in canonical form, first difference at byte ", first_difference));
}

}  // namespace careledger::committer::internal
