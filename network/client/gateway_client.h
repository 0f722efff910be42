// A client of the Fabric Gateway API (gateway.Gateway): what Fabric's Gateway SDKs do, in C++, for the
// careledger CLI, tools and tests. It speaks to any peer serving that API — CareLedger's (docs/gateway.md) or
// Fabric's.
//
//   GatewayEndpoint peer;
//   peer.address = "peer0.hospital1.example.org:7051";
//   peer.tls_root_certs_pem = tls_ca_pem;
//   ASSIGN_OR_RETURN(GatewayClient client, GatewayClient::Connect(peer, signer));
//   ASSIGN_OR_RETURN(std::string value, client.Evaluate("healthchannel", "asset", {"ReadAsset", "a1"}));
//   ASSIGN_OR_RETURN(SubmitResult done, client.Submit("healthchannel", "asset", {"CreateAsset", "a2", ...}));
//
// Submit is the whole flow of a transaction, as the SDKs run it:
//   1. a proposal signed by the client (fresh nonce, tx_id = SHA-256(nonce || creator));
//   2. Endorse: the gateway collects endorsements satisfying the chaincode's policy and returns the prepared
//      transaction, unsigned. The client checks that it is the transaction of its own proposal (same headers,
//      same chaincode input) before signing it: the client's signature is what the orderer and committers
//      trust, so it never signs a transaction it did not propose;
//   3. Submit: the signed transaction, which the gateway sends to the ordering service;
//   4. CommitStatus: a request signed by the client, answered once the transaction's block is committed, with
//      its validation code and block number.
// The steps are also available one by one (NewProposal, Endorse, SubmitPrepared, WaitForCommit), e.g. to
// endorse two transactions before submitting either.
//
// Errors: every gateway error keeps its gRPC code and message, prefixed with the call and the peer's address,
// followed by the ErrorDetails the gateway attached ("[Hospital2MSP at peer0.hospital2.example.org:7051: ...]";
// gateway_error.h), so a user sees which endorsing peer or orderer failed and why. Typical codes (as
// docs/gateway.md lists them): UNAVAILABLE (peer unreachable), DEADLINE_EXCEEDED (the call's timeout passed),
// UNKNOWN (Evaluate: the chaincode refused, with its message), ABORTED (Endorse: not enough endorsements — a
// chaincode's refusal then appears in the details — or an orderer refused the transaction),
// PERMISSION_DENIED, NOT_FOUND (channel or chaincode unknown), INVALID_ARGUMENT. Local failures: InvalidArgument
// for arguments the proposal cannot be built from, Internal if signing fails or the gateway returns a prepared
// transaction that is not the proposal's.
//
// A transaction that commits with a validation code other than VALID (an MVCC read conflict, a failed
// endorsement policy) was ordered but changed nothing: Submit reports it as Aborted, naming the code;
// SubmitAndWait returns the SubmitResult with the code for callers that handle it themselves.
//
// Thread-safety: a GatewayClient may be used by many threads at once (one gRPC channel, shared).
#ifndef CARELEDGER_NETWORK_CLIENT_GATEWAY_CLIENT_H_
#define CARELEDGER_NETWORK_CLIENT_GATEWAY_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/common.pb.h"
#include "common/protoutil/proposal.h"
#include "msp/signing_identity.h"
#include "peer/proposal.pb.h"
#include "peer/transaction.pb.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace careledger::client {

// Where a gateway peer listens and how to authenticate it.
struct GatewayEndpoint {
  std::string address;             // "host:port"
  std::string tls_root_certs_pem;  // the CA certificate(s) the peer's TLS certificate chains to; empty: plaintext
  // The host name the peer's TLS certificate must carry, when it is not the address's host (e.g. the address
  // is an IP or a tunnel): "peer0.hospital1.example.org". Empty: the address's host. TLS only.
  std::string server_name_override;
  // This client's TLS certificate and key (PEM), for peers that require mutual TLS. Both or neither; TLS only.
  std::string tls_client_cert_pem;
  std::string tls_client_key_pem;
};

struct EvaluateOptions {
  protoutil::TransientMap transient;  // private inputs: signed, sent to the endorsers, never on the ledger
  // Run on a peer of these organisations instead of the gateway's choice (its own organisation first).
  std::vector<std::string> target_organizations;
  absl::Duration timeout = absl::Seconds(30);
};

struct SubmitOptions {
  protoutil::TransientMap transient;
  // Endorse on exactly these organisations; empty: the gateway picks enough for the endorsement policy.
  std::vector<std::string> endorsing_organizations;
  // For the whole flow: endorse, submit, and wait for the commit.
  absl::Duration timeout = absl::Minutes(1);
};

// A transaction's fate once its block is committed.
struct CommitStatus {
  std::string tx_id;
  ::protos::TxValidationCode code = ::protos::NOT_VALIDATED;
  uint64_t block_number = 0;
};

// What Submit and SubmitAndWait return.
struct SubmitResult {
  std::string tx_id;
  ::protos::TxValidationCode code = ::protos::NOT_VALIDATED;
  uint64_t block_number = 0;
  std::string payload;  // the chaincode's response payload, as endorsed
};

// OK if `result` is VALID; otherwise Aborted "transaction <tx_id> committed in block <n> with code <NAME>"
// (what Submit returns for such a transaction).
absl::Status RequireValid(const SubmitResult& result);

// The gRPC channel GatewayClient::Connect makes for `endpoint` (TLS as the endpoint says, Fabric's 100 MiB
// message limit), for clients that call the Gateway service themselves (network/bench/gateway_load.h).
// Connect's InvalidArgument errors for a malformed endpoint; dialling is lazy, as for Connect.
absl::StatusOr<std::shared_ptr<grpc::Channel>> DialGateway(const GatewayEndpoint& endpoint);

// A proposal signed by the client, for the step-by-step API.
struct Proposal {
  std::string channel_id;
  std::string tx_id;
  ::protos::Proposal proposal;
  ::protos::SignedProposal signed_proposal;
};

// A transaction the gateway endorsed and the client signed, ready for SubmitPrepared.
struct PreparedTransaction {
  std::string channel_id;
  std::string tx_id;
  ::common::Envelope envelope;  // signed
  std::string payload;          // the chaincode's response payload
};

class GatewayClient {
 public:
  // A client of the gateway at `endpoint`, signing as `signer` (must not be null). Connecting is lazy: the
  // first call dials, and reconnects when needed, so Connect does not fail for an unreachable peer (the calls
  // do, UNAVAILABLE). InvalidArgument if the address is not "host:port", if a TLS field holds no PEM block of
  // its kind (gRPC parses them when it dials; a bad one then fails the calls with UNAVAILABLE), if only one of
  // the client certificate and key is given, or if a TLS-only field is set without tls_root_certs_pem.
  static absl::StatusOr<GatewayClient> Connect(const GatewayEndpoint& endpoint,
                                               std::shared_ptr<const msp::SigningIdentity> signer);

  GatewayClient(GatewayClient&&) noexcept;
  GatewayClient& operator=(GatewayClient&&) noexcept;
  ~GatewayClient();

  const std::string& address() const;
  const msp::SigningIdentity& signer() const;

  // Runs `chaincode` with `args` (args[0] the function) as a query and returns its response payload. Nothing
  // is submitted. Errors as above; a chaincode refusal is UNKNOWN with the chaincode's message.
  absl::StatusOr<std::string> Evaluate(std::string_view channel_id, std::string_view chaincode,
                                       const std::vector<std::string>& args, const EvaluateOptions& options = {}) const;

  // Endorses, signs, submits and waits for the transaction's commit: the result if it is VALID, otherwise
  // Aborted naming its code (RequireValid). An error after the transaction was submitted (e.g. the timeout
  // passing while waiting for the commit) names the transaction: it may still commit.
  absl::StatusOr<SubmitResult> Submit(std::string_view channel_id, std::string_view chaincode,
                                      const std::vector<std::string>& args, const SubmitOptions& options = {}) const;
  // The same, returning the result whatever its validation code.
  absl::StatusOr<SubmitResult> SubmitAndWait(std::string_view channel_id, std::string_view chaincode,
                                             const std::vector<std::string>& args,
                                             const SubmitOptions& options = {}) const;

  // --- The steps ------------------------------------------------------------------------------------------
  // A proposal signed by the signer. InvalidArgument if the channel or chaincode is empty.
  absl::StatusOr<Proposal> NewProposal(std::string_view channel_id, std::string_view chaincode,
                                       const std::vector<std::string>& args,
                                       const protoutil::TransientMap& transient = {}) const;
  // Endorse: the prepared transaction for `proposal`, checked to be that proposal's and signed.
  absl::StatusOr<PreparedTransaction> Endorse(const Proposal& proposal,
                                              const std::vector<std::string>& endorsing_organizations,
                                              absl::Time deadline) const;
  // Submit: OK once the gateway handed the transaction to the ordering service.
  absl::Status SubmitPrepared(const PreparedTransaction& transaction, absl::Time deadline) const;
  // CommitStatus: waits until transaction `tx_id` is committed (or the deadline passes: DEADLINE_EXCEEDED).
  absl::StatusOr<CommitStatus> WaitForCommit(std::string_view channel_id, std::string_view tx_id,
                                             absl::Time deadline) const;

 private:
  struct Impl;
  explicit GatewayClient(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::client

#endif  // CARELEDGER_NETWORK_CLIENT_GATEWAY_CLIENT_H_
