// Typed helpers for the `_lifecycle` system chaincode over a GatewayClient: how a channel's organisations
// agree on a chaincode definition (Fabric's `peer lifecycle chaincode approveformyorg | checkcommitreadiness |
// commit | querycommitted | queryapproved`). Arguments and results are Fabric's lifecycle.* messages
// (peer/lifecycle/lifecycle_chaincode.h is the peer's side and says what each function checks).
//
//   ChaincodeDefinitionSpec spec;
//   spec.name = "records";
//   spec.version = "1.0";
//   spec.sequence = 1;
//   spec.package_id = "records_1.0:6b86...";  // what Install printed
//   spec.signature_policy = "AND('Hospital1MSP.peer','Hospital2MSP.peer')";
//   ASSIGN_OR_RETURN(SubmitResult approved, ApproveForMyOrg(hospital1_admin, "healthchannel", spec));
//   ...  // every organisation the channel's LifecycleEndorsement policy needs approves the same definition
//   ASSIGN_OR_RETURN(SubmitResult committed, Commit(hospital1_admin, "healthchannel", spec));
//
// Approve and Commit are transactions: the client must be an admin of an application organisation of the
// channel, and they succeed only once VALID (GatewayClient::Submit). The queries are evaluations.
//
// Errors: InvalidArgument for a spec that cannot be sent (empty name or version, sequence below 1, a policy
// text that does not parse, both kinds of policy); the client's errors otherwise — a refusal by `_lifecycle`
// carries its reason (wrong sequence, not enough approvals, not an admin, nothing approved or committed): as
// ABORTED with the endorsing peers' details for Approve and Commit, as UNKNOWN for the queries, which is how
// gateways report chaincode refusals; Internal if a query's result does not parse.
//
// Thread-safe, as the client is.
#ifndef CARELEDGER_NETWORK_CLIENT_CHAINCODE_LIFECYCLE_H_
#define CARELEDGER_NETWORK_CLIENT_CHAINCODE_LIFECYCLE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "network/client/gateway_client.h"
#include "peer/lifecycle/lifecycle.pb.h"

namespace careledger::client {

// The system chaincode's name.
inline constexpr char kLifecycleChaincode[] = "_lifecycle";

// A chaincode definition as an organisation approves it and the channel commits it.
struct ChaincodeDefinitionSpec {
  std::string name;
  std::string version;
  int64_t sequence = 0;  // 1 for the first definition, +1 for each change
  // The package this organisation's peers run ("<label>:<sha256 hex>", or "builtin:<name>"). Approve only;
  // empty: approve without a package (this organisation's peers will not run the chaincode).
  std::string package_id;
  // The endorsement policy, at most one of:
  std::string signature_policy;       // Fabric's policy language, e.g. "AND('Hospital1MSP.peer','Hospital2MSP.peer')"
  std::string channel_config_policy;  // a channel policy path, e.g. "/Channel/Application/Endorsement"
  // (neither: the channel's /Channel/Application/Endorsement, as in Fabric)
  bool init_required = false;
};

// The definition's validation_parameter: a serialized protos.ApplicationPolicy holding the compiled signature
// policy or the policy reference; empty for neither. InvalidArgument if both are given or the policy text does
// not parse (the parser's message names the column).
absl::StatusOr<std::string> ValidationParameterOf(const ChaincodeDefinitionSpec& spec);

// A validation_parameter as text, for people: the signature policy in Fabric's language
// ("AND('Hospital1MSP.peer', 'Hospital2MSP.peer')"), the reference's path, "" for an empty parameter, or
// "[malformed endorsement policy]". Never fails.
std::string DescribeValidationParameter(std::string_view validation_parameter);

// ApproveChaincodeDefinitionForMyOrg, as the client's organisation.
absl::StatusOr<SubmitResult> ApproveForMyOrg(const GatewayClient& client, std::string_view channel_id,
                                             const ChaincodeDefinitionSpec& spec, const SubmitOptions& options = {});

// CommitChaincodeDefinition (spec.package_id is not part of it: each organisation approved its own).
absl::StatusOr<SubmitResult> Commit(const GatewayClient& client, std::string_view channel_id,
                                    const ChaincodeDefinitionSpec& spec, const SubmitOptions& options = {});

// Which organisations approved exactly this definition, and where the others' approvals differ.
absl::StatusOr<::lifecycle::CheckCommitReadinessResult> CheckCommitReadiness(const GatewayClient& client,
                                                                             std::string_view channel_id,
                                                                             const ChaincodeDefinitionSpec& spec,
                                                                             const EvaluateOptions& options = {});

// The committed definition of chaincode `name` and who approved it. UNKNOWN "... is not defined on this channel"
// if there is none.
absl::StatusOr<::lifecycle::QueryChaincodeDefinitionResult> QueryCommitted(const GatewayClient& client,
                                                                           std::string_view channel_id,
                                                                           std::string_view name,
                                                                           const EvaluateOptions& options = {});

// Every committed definition of the channel.
absl::StatusOr<::lifecycle::QueryChaincodeDefinitionsResult> QueryAllCommitted(const GatewayClient& client,
                                                                               std::string_view channel_id,
                                                                               const EvaluateOptions& options = {});

// The client's organisation's approval of `name` at `sequence` (0: the newest — the next sequence's if it
// approved one, else the committed sequence's). UNKNOWN "... has not approved ..." if there is none.
absl::StatusOr<::lifecycle::QueryApprovedChaincodeDefinitionResult> QueryApproved(const GatewayClient& client,
                                                                                  std::string_view channel_id,
                                                                                  std::string_view name,
                                                                                  int64_t sequence = 0,
                                                                                  const EvaluateOptions& options = {});

}  // namespace careledger::client

#endif  // CARELEDGER_NETWORK_CLIENT_CHAINCODE_LIFECYCLE_H_
