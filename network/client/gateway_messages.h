// The messages of a Gateway transaction, built and checked without talking to anyone: what GatewayClient
// sends and how it checks what comes back, shared with clients that drive the calls themselves (the
// asynchronous load generator, network/bench/gateway_load.h).
//
//   NewProposal ─► EndorseRequestFor ─► (Endorse) ─► PrepareTransaction ─► SubmitRequestFor ─► (Submit)
//                                                       └► SignedCommitStatusRequestFor ─► (CommitStatus)
//
// Pure functions of their arguments and the signer; thread-safe when the signer is.
#ifndef CARELEDGER_NETWORK_CLIENT_GATEWAY_MESSAGES_H_
#define CARELEDGER_NETWORK_CLIENT_GATEWAY_MESSAGES_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/protoutil/proposal.h"
#include "gateway/gateway.pb.h"
#include "msp/signing_identity.h"
#include "network/client/gateway_client.h"

namespace careledger::client {

// A proposal of `chaincode` with `args` on `channel_id`, signed by `signer`, timestamped now, with a fresh
// nonce (tx_id = SHA-256(nonce || creator)). InvalidArgument if the channel or chaincode is empty; Internal if
// signing fails.
absl::StatusOr<Proposal> NewSignedProposal(const msp::SigningIdentity& signer, std::string_view channel_id,
                                           std::string_view chaincode, const std::vector<std::string>& args,
                                           const protoutil::TransientMap& transient = {});

// The Endorse request of `proposal`, to be endorsed by `endorsing_organizations` (empty: the gateway's choice).
::gateway::EndorseRequest EndorseRequestFor(const Proposal& proposal,
                                            const std::vector<std::string>& endorsing_organizations);

// The transaction the gateway prepared for `proposal` (`prepared`, from its EndorseResponse), once checked to
// be that proposal's — same channel and signature headers, one action with the same chaincode input: a client
// never signs a transaction it did not propose — and signed by `signer`. Internal, naming the transaction, if
// it is not the proposal's or signing fails.
absl::StatusOr<PreparedTransaction> PrepareTransaction(const Proposal& proposal, ::common::Envelope prepared,
                                                       const msp::SigningIdentity& signer);

// The Submit request of a prepared, signed transaction.
::gateway::SubmitRequest SubmitRequestFor(const PreparedTransaction& transaction);

// The CommitStatus request for transaction `tx_id`, signed by `signer`. Internal if signing fails.
absl::StatusOr<::gateway::SignedCommitStatusRequest> SignedCommitStatusRequestFor(const msp::SigningIdentity& signer,
                                                                                  std::string_view channel_id,
                                                                                  std::string_view tx_id);

}  // namespace careledger::client

#endif  // CARELEDGER_NETWORK_CLIENT_GATEWAY_MESSAGES_H_
