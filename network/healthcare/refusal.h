// A healthcare chaincode refusal as the role commands report it: the chaincode's reason text alone (its texts
// are stable, docs/healthcare-chaincode.md), with a status code that says what kind of refusal it is, so that
// `careledger` exits 2 for arguments the chaincode found invalid and 1 for everything else it refused.
//
// A refusal reaches a Gateway client inside a longer message (network/client/gateway_client.h):
//   Evaluate: "Evaluate at <peer>: evaluate call to endorser returned error: chaincode response 500, <reason>"
//   Submit:   "Endorse at <peer>: failed to collect enough transaction endorsements, see attached details
//              [Hospital1MSP at <peer>: chaincode response 500, <reason>; Hospital2MSP at <peer>: ...]"
//
// Pure functions; thread-safe.
#ifndef CARELEDGER_NETWORK_HEALTHCARE_REFUSAL_H_
#define CARELEDGER_NETWORK_HEALTHCARE_REFUSAL_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace careledger::healthcare {

// The reason text of the first chaincode refusal in a Gateway error message, or nullopt if the message holds
// none (the peer was unreachable, the audit peer refused to endorse, ...).
std::optional<std::string> ChaincodeRefusalReason(std::string_view message);

// The status code for the chaincode's refusal `reason`, by the prefix of its stable text:
//   InvalidArgument     "invalid ...", "incorrect number of arguments: ...", "an emergency access needs a reason"
//   PermissionDenied    "regulators cannot write:", "wrong role:", "not authorised:", "no consent:",
//                       "consent expired:", "caller has no person_id attribute:"
//   NotFound            "unknown patient", "unknown record", "unknown version", "unknown function",
//                       "no consent to revoke:", "... is not a guardian of ..."
//   AlreadyExists       "... is already registered", "... already exists", "... is already a guardian of ..."
//   Internal            "corrupt state:"
//   FailedPrecondition  any other text
absl::StatusCode RefusalCode(std::string_view reason);

// `status` as a role command reports it: a chaincode refusal becomes
//   RefusalCode(reason) "refused by the healthcare chaincode: <reason>"
// anything else (including OK) is returned unchanged.
absl::Status ExplainGatewayError(const absl::Status& status);

}  // namespace careledger::healthcare

#endif  // CARELEDGER_NETWORK_HEALTHCARE_REFUSAL_H_
