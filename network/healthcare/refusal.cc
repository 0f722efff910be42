#include "network/healthcare/refusal.h"

#include <cctype>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace careledger::healthcare {
namespace {

constexpr std::string_view kRefusalMarker = "chaincode response ";

// Whether `text` starts the next entry of the gateway's detail list: "<MSP ID> at <address>: ".
bool StartsDetail(std::string_view text) {
  size_t i = 0;
  while (i < text.size() &&
         (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '.' || text[i] == '-' || text[i] == '_')) {
    ++i;
  }
  return i > 0 && text.substr(i).starts_with(" at ");
}

}  // namespace

std::optional<std::string> ChaincodeRefusalReason(std::string_view message) {
  const size_t marker = message.find(kRefusalMarker);
  if (marker == std::string_view::npos) return std::nullopt;
  std::string_view rest = message.substr(marker + kRefusalMarker.size());
  size_t digits = 0;
  while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
  if (digits == 0 || !rest.substr(digits).starts_with(", ")) return std::nullopt;
  rest.remove_prefix(digits + 2);
  // The reason ends where the gateway's list of details starts (" [<MSP> at <address>: ...", after an
  // Evaluate's own message) or where the next entry of that list starts ("; <MSP> at ..."), or at the list's
  // closing bracket; a reason that quotes " [", "; " or "]" itself is kept whole unless such an entry follows.
  for (size_t at = 0; at + 2 <= rest.size(); ++at) {
    const std::string_view separator = rest.substr(at, 2);
    if ((separator == "; " || separator == " [") && StartsDetail(rest.substr(at + 2))) {
      return std::string(rest.substr(0, at));
    }
  }
  const bool in_details = message.substr(0, marker).find(" [") != std::string_view::npos;
  if (in_details && rest.ends_with("]")) rest.remove_suffix(1);
  return std::string(rest);
}

absl::StatusCode RefusalCode(std::string_view reason) {
  const absl::string_view r = AsAbsl(reason);
  if (absl::StartsWith(r, "invalid ") || absl::StartsWith(r, "incorrect number of arguments") ||
      absl::StartsWith(r, "an emergency access needs a reason")) {
    return absl::StatusCode::kInvalidArgument;
  }
  for (absl::string_view prefix : {"regulators cannot write:", "wrong role:", "not authorised:", "no consent:",
                                   "consent expired:", "caller has no person_id attribute:"}) {
    if (absl::StartsWith(r, prefix)) return absl::StatusCode::kPermissionDenied;
  }
  if (absl::StartsWith(r, "unknown ") || absl::StartsWith(r, "no consent to revoke:") ||
      absl::StrContains(r, " is not a guardian of ")) {
    return absl::StatusCode::kNotFound;
  }
  if (absl::EndsWith(r, " is already registered") || absl::EndsWith(r, " already exists") ||
      absl::StrContains(r, " is already a guardian of ")) {
    return absl::StatusCode::kAlreadyExists;
  }
  if (absl::StartsWith(r, "corrupt state:")) return absl::StatusCode::kInternal;
  return absl::StatusCode::kFailedPrecondition;
}

absl::Status ExplainGatewayError(const absl::Status& status) {
  if (status.ok()) return status;
  std::optional<std::string> reason = ChaincodeRefusalReason(AsStd(status.message()));
  if (!reason.has_value()) return status;
  return absl::Status(RefusalCode(*reason), absl::StrCat("refused by the healthcare chaincode: ", *reason));
}

}  // namespace careledger::healthcare
