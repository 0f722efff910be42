// The endorser: Fabric's ProcessProposal. It checks a signed proposal, simulates the chaincode it invokes
// against a snapshot of the committed state, and signs the result.
//
//   1. the proposal parses at every layer, its tx_id is SHA-256(nonce || creator) (protoutil), its header type
//      is ENDORSER_TRANSACTION with epoch 0, and it names a channel this peer has joined;
//   2. its timestamp is within Options::max_clock_skew of this peer's clock (a replayed or post-dated
//      proposal is refused before any work);
//   3. the creator is a valid identity of a channel MSP, its certificate is valid now, its signature over the
//      proposal bytes verifies, and it satisfies the channel's Writers policy (Readers when only evaluating);
//   4. no transaction with this ID is on the ledger yet;
//   5. the chaincode is `_lifecycle` or has a committed definition (peer/lifecycle), and this peer has its
//      package;
//   6. the chaincode runs on a transaction simulator over one state snapshot; a response with status >= 400
//      is returned as it is, unsigned (Fabric: a failed simulation is never endorsed);
//   7. otherwise the response, read-write set and event are signed into a ProposalResponse
//      (protoutil::CreateProposalResponse), with the chaincode ID {name, definition version}.
//
// Refusals in steps 1-5 are errors (absl::Status) whose code says why, for the gateway to map to gRPC:
//   InvalidArgument     malformed proposal, wrong header type or epoch, timestamp out of the window
//   NotFound            unknown channel; chaincode not defined on the channel
//   PermissionDenied    creator not valid, expired, bad signature, or not allowed by Writers/Readers
//   AlreadyExists       duplicate transaction ID
//   FailedPrecondition  the chaincode's package is not available on this peer
//   Internal / DataLoss storage failures while simulating; a signing failure
// Messages say what and where ("channel 'x': ...").
#ifndef CARELEDGER_PEER_ENDORSER_ENDORSER_H_
#define CARELEDGER_PEER_ENDORSER_ENDORSER_H_

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/protoutil/signer.h"
#include "peer/endorser/chaincode_executor.h"
#include "peer/endorser/endorser_channel.h"
#include "peer/endorser/endorser_metrics.h"
#include "peer/proposal.pb.h"
#include "peer/proposal_response.pb.h"

namespace careledger::endorser {

struct EndorserOptions {
  // How far a proposal's timestamp may be from this peer's clock, either way. Fabric does not check it;
  // CareLedger does so that a captured proposal cannot be replayed much later (its tx_id would still be new if
  // the original was never submitted). Default 15 minutes: generous for clients with poor clocks.
  absl::Duration max_clock_skew = absl::Minutes(15);
  // The clock, injectable for tests.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  // Where every proposal is counted and timed (endorser_metrics.h); null: nowhere. Must outlive the endorser.
  const EndorserMetrics* metrics = nullptr;
};

// Whether the client asks for an endorsement (to submit) or only for the result (Gateway Evaluate).
enum class ProposalMode {
  kEndorse,   // Writers policy; the response is signed
  kEvaluate,  // Readers policy; the response carries the result but no endorsement
};

class Endorser {
 public:
  // `channels`, `executor` and `signer` (this peer's identity) must outlive the endorser.
  Endorser(const ChannelDirectory& channels, ChaincodeExecutor& executor, const protoutil::Signer& signer,
           EndorserOptions options = {});

  // Processes one proposal as described above. Thread-safe; proposals run concurrently.
  absl::StatusOr<::protos::ProposalResponse> ProcessProposal(const ::protos::SignedProposal& signed_proposal,
                                                             ProposalMode mode) const;

 private:
  absl::StatusOr<::protos::ProposalResponse> Process(const ::protos::SignedProposal& signed_proposal,
                                                     ProposalMode mode) const;

  const ChannelDirectory& channels_;
  ChaincodeExecutor& executor_;
  const protoutil::Signer& signer_;
  const EndorserOptions options_;
};

}  // namespace careledger::endorser

#endif  // CARELEDGER_PEER_ENDORSER_ENDORSER_H_
