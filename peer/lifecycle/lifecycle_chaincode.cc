#include "peer/lifecycle/lifecycle_chaincode.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "common/policies/organization_policy.h"
#include "peer/lifecycle/chaincode_definition.h"
#include "peer/lifecycle/lifecycle.pb.h"

namespace careledger::lifecycle {
namespace {

constexpr int32_t kStatusOk = 200;
constexpr int32_t kStatusError = 500;

::protos::Response Success(const google::protobuf::Message& result) {
  ::protos::Response response;
  response.set_status(kStatusOk);
  response.set_payload(result.SerializeAsString());
  return response;
}

::protos::Response Failure(std::string_view function, const absl::Status& status) {
  ::protos::Response response;
  response.set_status(kStatusError);
  response.set_message(absl::StrCat(AsAbsl(function), " failed: ", status.message()));
  return response;
}

// args[1] parsed as `Args`; a missing args[1] is the empty message (the query functions without arguments).
template <typename Args>
absl::StatusOr<Args> ParseArgs(std::span<const std::string> args) {
  Args parsed;
  if (args.size() > 2) {
    return absl::InvalidArgumentError(absl::StrCat("expected one argument message, got ", args.size() - 1));
  }
  if (args.size() == 2 && !parsed.ParseFromString(args[1])) {
    return absl::InvalidArgumentError(absl::StrCat("the argument is not a serialized ", Args().GetTypeName()));
  }
  return parsed;
}

// The definition described by Approve, Commit or CheckCommitReadiness arguments (same fields in each).
template <typename Args>
absl::StatusOr<ChaincodeDefinition> DefinitionOf(const Args& request) {
  return DefinitionFromArgs(request.name(), request.sequence(), request.version(), request.endorsement_plugin(),
                            request.validation_plugin(), request.validation_parameter(), request.collections(),
                            request.init_required());
}

absl::Status RequireChannelAdmin(const LifecycleCaller& caller, const LifecycleChannel& channel,
                                 std::string_view action) {
  const auto& orgs = channel.application_msp_ids;
  if (std::find(orgs.begin(), orgs.end(), caller.msp_id) == orgs.end()) {
    return absl::PermissionDeniedError(absl::StrCat("only an application organisation of the channel may ",
                                                    AsAbsl(action), "; ", caller.msp_id, " is not one"));
  }
  if (!caller.is_admin) {
    return absl::PermissionDeniedError(
        absl::StrCat("only an admin of ", caller.msp_id, " may ", AsAbsl(action), "; the caller is not an admin"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ChaincodeDefinition>> ReadDefinition(chaincode::LedgerAccess& ledger,
                                                                   std::string_view name, const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, ledger.GetState(key));
  if (!bytes) return std::optional<ChaincodeDefinition>();
  ASSIGN_OR_RETURN(ChaincodeDefinition definition, DecodeDefinition(name, *bytes));
  return std::optional<ChaincodeDefinition>(std::move(definition));
}

absl::StatusOr<std::optional<ChaincodeDefinition>> ReadCommitted(chaincode::LedgerAccess& ledger,
                                                                  std::string_view name) {
  return ReadDefinition(ledger, name, DefinitionKey(name));
}

// Where the channel's organisations stand on one definition.
struct Readiness {
  std::vector<std::string> approving;                        // approved exactly this definition
  std::map<std::string, std::vector<std::string>> differing;  // approved something else: the fields
  std::vector<std::string> silent;                           // no approval of this sequence
  std::set<std::string> packages;                            // packages the approving organisations named
};

absl::StatusOr<Readiness> ReadReadiness(const ChaincodeDefinition& definition, const LifecycleChannel& channel,
                                        chaincode::LedgerAccess& ledger) {
  Readiness readiness;
  for (const std::string& msp_id : channel.application_msp_ids) {
    const std::string key = ApprovalKey(definition.name, definition.sequence, msp_id);
    ASSIGN_OR_RETURN(std::optional<ChaincodeDefinition> approval, ReadDefinition(ledger, definition.name, key));
    if (!approval) {
      readiness.silent.push_back(msp_id);
      continue;
    }
    std::vector<std::string> mismatches = definition.Mismatches(*approval);
    if (!mismatches.empty()) {
      readiness.differing[msp_id] = std::move(mismatches);
      continue;
    }
    readiness.approving.push_back(msp_id);
    if (!approval->package_id.empty()) readiness.packages.insert(approval->package_id);
  }
  return readiness;
}

std::string DescribeReadiness(const Readiness& readiness) {
  std::vector<std::string> parts;
  parts.push_back(absl::StrCat("approved by [", absl::StrJoin(readiness.approving, ", "), "]"));
  for (const auto& [msp_id, fields] : readiness.differing) {
    parts.push_back(absl::StrCat(msp_id, " approved a different definition (", absl::StrJoin(fields, ", "), ")"));
  }
  if (!readiness.silent.empty()) {
    parts.push_back(absl::StrCat("no approval from [", absl::StrJoin(readiness.silent, ", "), "]"));
  }
  return absl::StrJoin(parts, "; ");
}

absl::StatusOr<int64_t> CommittedSequence(chaincode::LedgerAccess& ledger, std::string_view name) {
  ASSIGN_OR_RETURN(std::optional<ChaincodeDefinition> committed, ReadCommitted(ledger, name));
  return committed ? committed->sequence : 0;
}

absl::StatusOr<::lifecycle::ApproveChaincodeDefinitionForMyOrgResult> Approve(std::span<const std::string> args,
                                                                             const LifecycleCaller& caller,
                                                                             const LifecycleChannel& channel,
                                                                             chaincode::LedgerAccess& ledger) {
  ASSIGN_OR_RETURN(auto request, ParseArgs<::lifecycle::ApproveChaincodeDefinitionForMyOrgArgs>(args));
  RETURN_IF_ERROR(RequireChannelAdmin(caller, channel, "approve a chaincode definition for its organisation"));
  ASSIGN_OR_RETURN(ChaincodeDefinition definition,
                   DefinitionOf(request));
  if (request.source().has_local_package()) {
    definition.package_id = request.source().local_package().package_id();
    RETURN_IF_ERROR(ValidatePackageId(definition.package_id));
  }
  ASSIGN_OR_RETURN(std::optional<ChaincodeDefinition> committed, ReadCommitted(ledger, definition.name));
  const int64_t current = committed ? committed->sequence : 0;
  if (committed && definition.sequence == current) {
    if (std::vector<std::string> fields = committed->Mismatches(definition); !fields.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("chaincode '", definition.name, "' sequence ", current,
                       " is committed with different parameters (", absl::StrJoin(fields, ", "),
                       "); approve sequence ", current + 1, " to change it"));
    }
  } else if (definition.sequence != current + 1) {
    return absl::FailedPreconditionError(absl::StrCat("requested sequence is ", definition.sequence,
                                                      ", but the next definition of chaincode '", definition.name,
                                                      "' must be sequence ", current + 1));
  }
  RETURN_IF_ERROR(ledger.PutState(ApprovalKey(definition.name, definition.sequence, caller.msp_id),
                                  EncodeDefinition(definition)));
  return ::lifecycle::ApproveChaincodeDefinitionForMyOrgResult();
}

absl::StatusOr<::lifecycle::CommitChaincodeDefinitionResult> Commit(std::span<const std::string> args,
                                                                   const LifecycleCaller& caller,
                                                                   const LifecycleChannel& channel,
                                                                   chaincode::LedgerAccess& ledger) {
  ASSIGN_OR_RETURN(auto request, ParseArgs<::lifecycle::CommitChaincodeDefinitionArgs>(args));
  RETURN_IF_ERROR(RequireChannelAdmin(caller, channel, "commit a chaincode definition"));
  ASSIGN_OR_RETURN(ChaincodeDefinition definition,
                   DefinitionOf(request));
  ASSIGN_OR_RETURN(int64_t current, CommittedSequence(ledger, definition.name));
  if (definition.sequence != current + 1) {
    return absl::FailedPreconditionError(absl::StrCat("requested sequence is ", definition.sequence,
                                                      ", but the next definition of chaincode '", definition.name,
                                                      "' must be sequence ", current + 1));
  }
  ASSIGN_OR_RETURN(Readiness readiness, ReadReadiness(definition, channel, ledger));
  absl::Status enough = policies::EvaluateOrganizations(*channel.lifecycle_endorsement, readiness.approving);
  if (!enough.ok()) {
    return absl::FailedPreconditionError(absl::StrCat("chaincode '", definition.name, "' sequence ",
                                                      definition.sequence, " is not approved by enough organisations ",
                                                      "for the channel's LifecycleEndorsement policy: ",
                                                      DescribeReadiness(readiness), " (", enough.message(), ")"));
  }
  if (readiness.packages.size() > 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("chaincode '", definition.name, "' sequence ", definition.sequence,
                     ": the approving organisations name different packages [",
                     absl::StrJoin(readiness.packages, ", "), "]; they must agree on one"));
  }
  if (!readiness.packages.empty()) definition.package_id = *readiness.packages.begin();
  RETURN_IF_ERROR(ledger.PutState(DefinitionKey(definition.name), EncodeDefinition(definition)));
  return ::lifecycle::CommitChaincodeDefinitionResult();
}

void SetApprovals(const Readiness& readiness, google::protobuf::Map<std::string, bool>* approvals) {
  for (const std::string& msp_id : readiness.approving) (*approvals)[msp_id] = true;
  for (const auto& [msp_id, fields] : readiness.differing) (*approvals)[msp_id] = false;
  for (const std::string& msp_id : readiness.silent) (*approvals)[msp_id] = false;
}

absl::StatusOr<::lifecycle::CheckCommitReadinessResult> CheckCommitReadiness(std::span<const std::string> args,
                                                                            const LifecycleChannel& channel,
                                                                            chaincode::LedgerAccess& ledger) {
  ASSIGN_OR_RETURN(auto request, ParseArgs<::lifecycle::CheckCommitReadinessArgs>(args));
  ASSIGN_OR_RETURN(ChaincodeDefinition definition,
                   DefinitionOf(request));
  ASSIGN_OR_RETURN(Readiness readiness, ReadReadiness(definition, channel, ledger));
  ::lifecycle::CheckCommitReadinessResult result;
  SetApprovals(readiness, result.mutable_approvals());
  for (const auto& [msp_id, fields] : readiness.differing) {
    for (const std::string& field : fields) (*result.mutable_mismatches())[msp_id].add_items(field);
  }
  return result;
}

absl::StatusOr<::lifecycle::QueryApprovedChaincodeDefinitionResult> QueryApproved(std::span<const std::string> args,
                                                                                  const LifecycleCaller& caller,
                                                                                  chaincode::LedgerAccess& ledger) {
  ASSIGN_OR_RETURN(auto request, ParseArgs<::lifecycle::QueryApprovedChaincodeDefinitionArgs>(args));
  RETURN_IF_ERROR(ValidateChaincodeName(request.name()));
  std::vector<int64_t> sequences = {request.sequence()};
  if (request.sequence() == 0) {
    ASSIGN_OR_RETURN(int64_t current, CommittedSequence(ledger, request.name()));
    sequences = {current + 1, current};
  }
  for (int64_t sequence : sequences) {
    if (sequence < 1) continue;
    ASSIGN_OR_RETURN(std::optional<ChaincodeDefinition> approval,
                     ReadDefinition(ledger, request.name(), ApprovalKey(request.name(), sequence, caller.msp_id)));
    if (approval) return ToApprovedResult(*approval);
  }
  const std::string which = request.sequence() == 0 ? "" : absl::StrCat(" sequence ", request.sequence());
  return absl::NotFoundError(
      absl::StrCat(caller.msp_id, " has not approved chaincode '", request.name(), "'", which));
}

absl::StatusOr<::lifecycle::QueryChaincodeDefinitionResult> QueryDefinition(std::span<const std::string> args,
                                                                           const LifecycleChannel& channel,
                                                                           chaincode::LedgerAccess& ledger) {
  ASSIGN_OR_RETURN(auto request, ParseArgs<::lifecycle::QueryChaincodeDefinitionArgs>(args));
  RETURN_IF_ERROR(ValidateChaincodeName(request.name()));
  ASSIGN_OR_RETURN(std::optional<ChaincodeDefinition> committed, ReadCommitted(ledger, request.name()));
  if (!committed) {
    return absl::NotFoundError(absl::StrCat("chaincode '", request.name(), "' is not defined on this channel"));
  }
  ASSIGN_OR_RETURN(Readiness readiness, ReadReadiness(*committed, channel, ledger));
  const auto approved = ToApprovedResult(*committed);
  ::lifecycle::QueryChaincodeDefinitionResult result;
  result.set_sequence(approved.sequence());
  result.set_version(approved.version());
  result.set_endorsement_plugin(approved.endorsement_plugin());
  result.set_validation_plugin(approved.validation_plugin());
  result.set_validation_parameter(approved.validation_parameter());
  result.set_init_required(approved.init_required());
  SetApprovals(readiness, result.mutable_approvals());
  return result;
}

absl::StatusOr<::lifecycle::QueryChaincodeDefinitionsResult> QueryDefinitions(std::span<const std::string> args,
                                                                             chaincode::LedgerAccess& ledger) {
  ASSIGN_OR_RETURN(auto request, ParseArgs<::lifecycle::QueryChaincodeDefinitionsArgs>(args));
  ASSIGN_OR_RETURN(auto entries, ledger.GetStateByRange(kDefinitionRangeStart, kDefinitionRangeEnd));
  ::lifecycle::QueryChaincodeDefinitionsResult result;
  while (true) {
    ASSIGN_OR_RETURN(std::optional<chaincode::KeyValue> entry, entries->Next());
    if (!entry) break;
    const std::string name = entry->key.substr(sizeof(kDefinitionRangeStart) - 1);
    ASSIGN_OR_RETURN(ChaincodeDefinition definition, DecodeDefinition(name, entry->value));
    const auto approved = ToApprovedResult(definition);
    auto* out = result.add_chaincode_definitions();
    out->set_name(name);
    out->set_sequence(approved.sequence());
    out->set_version(approved.version());
    out->set_endorsement_plugin(approved.endorsement_plugin());
    out->set_validation_plugin(approved.validation_plugin());
    out->set_validation_parameter(approved.validation_parameter());
    out->set_init_required(approved.init_required());
  }
  return result;
}

template <typename Result>
::protos::Response Answer(std::string_view function, absl::StatusOr<Result> result) {
  if (!result.ok()) return Failure(function, result.status());
  return Success(*result);
}

}  // namespace

::protos::Response InvokeLifecycle(std::span<const std::string> args, const LifecycleCaller& caller,
                                   const LifecycleChannel& channel, chaincode::LedgerAccess& ledger) {
  if (args.empty()) return Failure(kLifecycleNamespace, absl::InvalidArgumentError("no function name"));
  const std::string& function = args[0];
  if (function == "ApproveChaincodeDefinitionForMyOrg") {
    return Answer(function, Approve(args, caller, channel, ledger));
  }
  if (function == "CommitChaincodeDefinition") return Answer(function, Commit(args, caller, channel, ledger));
  if (function == "CheckCommitReadiness") return Answer(function, CheckCommitReadiness(args, channel, ledger));
  if (function == "QueryApprovedChaincodeDefinition") return Answer(function, QueryApproved(args, caller, ledger));
  if (function == "QueryChaincodeDefinition") return Answer(function, QueryDefinition(args, channel, ledger));
  if (function == "QueryChaincodeDefinitions") return Answer(function, QueryDefinitions(args, ledger));
  ::protos::Response response;
  response.set_status(kStatusError);
  response.set_message(absl::StrCat("unknown function: ", function));
  return response;
}

}  // namespace careledger::lifecycle
