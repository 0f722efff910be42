// How the endorser runs a user chaincode: the seam between endorsement (which chaincode, which package,
// which simulation) and the chaincode runtime (how native code is loaded, run, fenced and timed out). The
// peer implements it with chaincode/runtime's registry of built-in and installed chaincodes.
#ifndef CARELEDGER_PEER_ENDORSER_CHAINCODE_EXECUTOR_H_
#define CARELEDGER_PEER_ENDORSER_CHAINCODE_EXECUTOR_H_

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "chaincode/runtime/ledger_access.h"
#include "peer/chaincode_event.pb.h"
#include "peer/proposal_response.pb.h"

namespace careledger::endorser {

// What a chaincode answered: its response (any status; >= 400 is a refusal the endorser passes on without
// endorsing) and the event it set, if any.
struct ChaincodeResult {
  ::protos::Response response;
  std::optional<::protos::ChaincodeEvent> event;
};

class ChaincodeExecutor {
 public:
  virtual ~ChaincodeExecutor() = default;

  // Runs the chaincode of `package_id` (see peer/lifecycle/chaincode_definition.h), defined on the channel as
  // `chaincode_name`, for one proposal. A
  // chaincode's own failure (an error it returns, an exception, a timeout) is a result with status >= 400,
  // not an error. Errors: NotFound if this peer has no such package (not built in, not installed);
  // FailedPrecondition if an installed file no longer matches its hash. Thread-safe.
  virtual absl::StatusOr<ChaincodeResult> Execute(std::string_view package_id, std::string_view chaincode_name,
                                                  const chaincode::InvocationContext& context,
                                                  chaincode::LedgerAccess& ledger) = 0;
};

}  // namespace careledger::endorser

#endif  // CARELEDGER_PEER_ENDORSER_CHAINCODE_EXECUTOR_H_
