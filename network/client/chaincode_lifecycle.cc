#include "network/client/chaincode_lifecycle.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/policies/policy_parser.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "peer/policy.pb.h"

namespace careledger::client {
namespace {

absl::Status CheckSpec(const ChaincodeDefinitionSpec& spec) {
  if (spec.name.empty()) return absl::InvalidArgumentError("a chaincode definition needs a name");
  if (spec.version.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("chaincode definition '", spec.name, "' needs a version"));
  }
  if (spec.sequence < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("chaincode definition '", spec.name, "': sequence must be at least 1, not ", spec.sequence));
  }
  return absl::OkStatus();
}

// The fields Approve, Commit and CheckCommitReadiness arguments share (Fabric's messages repeat them).
template <typename Args>
absl::StatusOr<Args> DefinitionArgs(const ChaincodeDefinitionSpec& spec) {
  RETURN_IF_ERROR(CheckSpec(spec));
  Args args;
  args.set_name(spec.name);
  args.set_version(spec.version);
  args.set_sequence(spec.sequence);
  ASSIGN_OR_RETURN(*args.mutable_validation_parameter(), ValidationParameterOf(spec));
  args.set_init_required(spec.init_required);
  return args;
}

absl::StatusOr<std::string> Run(const GatewayClient& client, std::string_view channel_id, std::string_view function,
                                const google::protobuf::Message& args, const EvaluateOptions& options) {
  return client.Evaluate(channel_id, kLifecycleChaincode, {std::string(function), args.SerializeAsString()}, options);
}

// Evaluates `function` and parses its result.
template <typename Result>
absl::StatusOr<Result> Query(const GatewayClient& client, std::string_view channel_id, std::string_view function,
                             const google::protobuf::Message& args, const EvaluateOptions& options) {
  ASSIGN_OR_RETURN(const std::string payload, Run(client, channel_id, function, args, options));
  Result result;
  if (!result.ParseFromString(payload)) {
    return absl::InternalError(absl::StrCat("the peer at ", client.address(), " answered ", AsAbsl(function),
                                            " with a result that is not a ", result.GetTypeName()));
  }
  return result;
}

absl::StatusOr<SubmitResult> Transact(const GatewayClient& client, std::string_view channel_id,
                                      std::string_view function, const google::protobuf::Message& args,
                                      const SubmitOptions& options) {
  return client.Submit(channel_id, kLifecycleChaincode, {std::string(function), args.SerializeAsString()}, options);
}

}  // namespace

absl::StatusOr<std::string> ValidationParameterOf(const ChaincodeDefinitionSpec& spec) {
  ::protos::ApplicationPolicy policy;
  if (!spec.signature_policy.empty() && !spec.channel_config_policy.empty()) {
    return absl::InvalidArgumentError(
        "give the endorsement policy either as a signature policy or as a channel config policy, not both");
  }
  if (!spec.signature_policy.empty()) {
    absl::StatusOr<::common::SignaturePolicyEnvelope> parsed = policies::ParseSignaturePolicy(spec.signature_policy);
    if (!parsed.ok()) return Annotate(parsed.status(), "signature policy");
    *policy.mutable_signature_policy() = *std::move(parsed);
  } else if (!spec.channel_config_policy.empty()) {
    policy.set_channel_config_policy_reference(spec.channel_config_policy);
  } else {
    return std::string();
  }
  return policy.SerializeAsString();
}

std::string DescribeValidationParameter(std::string_view validation_parameter) {
  if (validation_parameter.empty()) return "";
  ::protos::ApplicationPolicy policy;
  if (!policy.ParseFromArray(validation_parameter.data(), static_cast<int>(validation_parameter.size()))) {
    return "[malformed endorsement policy]";
  }
  switch (policy.Type_case()) {
    case ::protos::ApplicationPolicy::kSignaturePolicy:
      return policies::SignaturePolicyToString(policy.signature_policy());
    case ::protos::ApplicationPolicy::kChannelConfigPolicyReference:
      return policy.channel_config_policy_reference();
    default:
      return "[malformed endorsement policy]";
  }
}

absl::StatusOr<SubmitResult> ApproveForMyOrg(const GatewayClient& client, std::string_view channel_id,
                                             const ChaincodeDefinitionSpec& spec, const SubmitOptions& options) {
  ASSIGN_OR_RETURN(auto args, DefinitionArgs<::lifecycle::ApproveChaincodeDefinitionForMyOrgArgs>(spec));
  if (spec.package_id.empty()) {
    args.mutable_source()->mutable_unavailable();
  } else {
    args.mutable_source()->mutable_local_package()->set_package_id(spec.package_id);
  }
  return Transact(client, channel_id, "ApproveChaincodeDefinitionForMyOrg", args, options);
}

absl::StatusOr<SubmitResult> Commit(const GatewayClient& client, std::string_view channel_id,
                                    const ChaincodeDefinitionSpec& spec, const SubmitOptions& options) {
  ASSIGN_OR_RETURN(auto args, DefinitionArgs<::lifecycle::CommitChaincodeDefinitionArgs>(spec));
  return Transact(client, channel_id, "CommitChaincodeDefinition", args, options);
}

absl::StatusOr<::lifecycle::CheckCommitReadinessResult> CheckCommitReadiness(const GatewayClient& client,
                                                                             std::string_view channel_id,
                                                                             const ChaincodeDefinitionSpec& spec,
                                                                             const EvaluateOptions& options) {
  ASSIGN_OR_RETURN(auto args, DefinitionArgs<::lifecycle::CheckCommitReadinessArgs>(spec));
  return Query<::lifecycle::CheckCommitReadinessResult>(client, channel_id, "CheckCommitReadiness", args, options);
}

absl::StatusOr<::lifecycle::QueryChaincodeDefinitionResult> QueryCommitted(const GatewayClient& client,
                                                                           std::string_view channel_id,
                                                                           std::string_view name,
                                                                           const EvaluateOptions& options) {
  if (name.empty()) return absl::InvalidArgumentError("which chaincode? the name is empty");
  ::lifecycle::QueryChaincodeDefinitionArgs args;
  args.set_name(std::string(name));
  return Query<::lifecycle::QueryChaincodeDefinitionResult>(client, channel_id, "QueryChaincodeDefinition", args,
                                                            options);
}

absl::StatusOr<::lifecycle::QueryChaincodeDefinitionsResult> QueryAllCommitted(const GatewayClient& client,
                                                                               std::string_view channel_id,
                                                                               const EvaluateOptions& options) {
  return Query<::lifecycle::QueryChaincodeDefinitionsResult>(client, channel_id, "QueryChaincodeDefinitions",
                                                             ::lifecycle::QueryChaincodeDefinitionsArgs(), options);
}

absl::StatusOr<::lifecycle::QueryApprovedChaincodeDefinitionResult> QueryApproved(const GatewayClient& client,
                                                                                  std::string_view channel_id,
                                                                                  std::string_view name,
                                                                                  int64_t sequence,
                                                                                  const EvaluateOptions& options) {
  if (name.empty()) return absl::InvalidArgumentError("which chaincode? the name is empty");
  if (sequence < 0) return absl::InvalidArgumentError(absl::StrCat("sequence must not be negative, not ", sequence));
  ::lifecycle::QueryApprovedChaincodeDefinitionArgs args;
  args.set_name(std::string(name));
  args.set_sequence(sequence);
  return Query<::lifecycle::QueryApprovedChaincodeDefinitionResult>(client, channel_id,
                                                                    "QueryApprovedChaincodeDefinition", args, options);
}

}  // namespace careledger::client
