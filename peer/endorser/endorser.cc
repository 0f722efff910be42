#include "peer/endorser/endorser.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/common.pb.h"
#include "common/protoutil/header_type.h"
#include "common/protoutil/proposal.h"
#include "common/protoutil/timestamp.h"
#include "common/protoutil/transaction.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "msp/identity.h"
#include "peer/endorser/simulated_ledger_access.h"
#include "peer/ledger/txsim/tx_simulator.h"
#include "peer/lifecycle/chaincode_definition.h"
#include "peer/lifecycle/committed_definitions.h"
#include "peer/lifecycle/lifecycle_chaincode.h"

namespace careledger::endorser {
namespace {

constexpr char kWritersPolicy[] = "/Channel/Application/Writers";
constexpr char kReadersPolicy[] = "/Channel/Application/Readers";
// The version Fabric reports for system chaincodes in a ChaincodeAction.
constexpr char kSystemChaincodeVersion[] = "syscc";

// A proposal that passed steps 1-4: who sent it, to which channel, invoking what.
struct CheckedProposal {
  protoutil::ParsedProposal parsed;
  std::shared_ptr<const EndorserChannel> channel;
  std::shared_ptr<const msp::Identity> creator;
};

absl::Status CheckHeader(const protoutil::ParsedProposal& parsed) {
  const ::common::ChannelHeader& header = parsed.channel_header;
  if (header.type() != ::common::ENDORSER_TRANSACTION) {
    return absl::InvalidArgumentError(absl::StrCat("proposal ", header.tx_id(), ": header type ",
                                                   protoutil::HeaderTypeLabel(header.type()),
                                                   " cannot be endorsed (expected ENDORSER_TRANSACTION)"));
  }
  if (header.epoch() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("proposal ", header.tx_id(), ": epoch must be 0, got ", header.epoch()));
  }
  if (header.channel_id().empty()) {
    return absl::InvalidArgumentError(absl::StrCat("proposal ", header.tx_id(), " names no channel"));
  }
  return absl::OkStatus();
}

absl::Status CheckTimestamp(const ::common::ChannelHeader& header, const EndorserOptions& options) {
  const absl::Time proposed = protoutil::FromTimestamp(header.timestamp());
  const absl::Time now = options.clock();
  if (absl::AbsDuration(proposed - now) > options.max_clock_skew) {
    return absl::InvalidArgumentError(absl::StrCat(
        "proposal ", header.tx_id(), ": timestamp ", absl::FormatTime(proposed, absl::UTCTimeZone()),
        " is more than ", absl::FormatDuration(options.max_clock_skew), " from this peer's clock (",
        absl::FormatTime(now, absl::UTCTimeZone()), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const msp::Identity>> CheckCreator(const ::protos::SignedProposal& signed_proposal,
                                                                  const protoutil::ParsedProposal& parsed,
                                                                  const EndorserChannel& channel, ProposalMode mode,
                                                                  absl::Time now) {
  const std::string& channel_id = parsed.channel_header.channel_id();
  absl::StatusOr<std::shared_ptr<const msp::Identity>> creator =
      channel.msps().Deserialize(parsed.signature_header.creator());
  if (!creator.ok()) {
    return absl::PermissionDeniedError(absl::StrCat("channel '", channel_id,
                                                    "': the proposal's creator is not a valid identity of the "
                                                    "channel: ", creator.status().message()));
  }
  const msp::Identity& identity = **creator;
  if (absl::Status valid = identity.CheckValidAt(now); !valid.ok()) {
    return absl::PermissionDeniedError(absl::StrCat("channel '", channel_id, "': creator ", identity.ClientId(),
                                                    " of ", AsAbsl(identity.msp_id()), ": ", valid.message()));
  }
  if (absl::Status signature = identity.Verify(signed_proposal.proposal_bytes(), signed_proposal.signature());
      !signature.ok()) {
    return absl::PermissionDeniedError(absl::StrCat("channel '", channel_id,
                                                    "': the proposal's signature does not verify against its "
                                                    "creator: ", signature.message()));
  }
  const char* policy_path = mode == ProposalMode::kEndorse ? kWritersPolicy : kReadersPolicy;
  const policies::Policy* policy = channel.config().policy_manager().Get(policy_path);
  if (policy == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat("channel '", channel_id, "' has no ", policy_path, " policy"));
  }
  const policies::Identity* signers[] = {&identity};
  if (absl::Status allowed = policy->Evaluate(signers); !allowed.ok()) {
    return absl::PermissionDeniedError(absl::StrCat("channel '", channel_id, "': creator of ",
                                                    AsAbsl(identity.msp_id()), " is not allowed by ", policy_path,
                                                    ": ", allowed.message()));
  }
  return creator;
}

chaincode::InvocationContext InvocationContextOf(const CheckedProposal& proposal) {
  const protoutil::ParsedProposal& parsed = proposal.parsed;
  chaincode::InvocationContext context;
  context.channel_id = parsed.channel_header.channel_id();
  context.tx_id = parsed.channel_header.tx_id();
  context.timestamp = protoutil::FromTimestamp(parsed.channel_header.timestamp());
  const auto& args = parsed.invocation_spec.chaincode_spec().input().args();
  context.args.assign(args.begin(), args.end());
  context.transient.insert(parsed.payload.transientmap().begin(), parsed.payload.transientmap().end());
  const msp::Identity& creator = *proposal.creator;
  context.creator.msp_id = std::string(creator.msp_id());
  context.creator.serialized_identity = std::string(creator.serialized());
  context.creator.id = creator.ClientId();
  context.creator.certificate_pem = creator.certificate().ToPem();
  context.creator.attributes.insert(creator.attributes().begin(), creator.attributes().end());
  return context;
}

}  // namespace

Endorser::Endorser(const ChannelDirectory& channels, ChaincodeExecutor& executor, const protoutil::Signer& signer,
                   EndorserOptions options)
    : channels_(channels), executor_(executor), signer_(signer), options_(std::move(options)) {}

absl::StatusOr<::protos::ProposalResponse> Endorser::ProcessProposal(const ::protos::SignedProposal& signed_proposal,
                                                                     ProposalMode mode) const {
  if (options_.metrics == nullptr) return Process(signed_proposal, mode);
  const absl::Time start = absl::Now();
  absl::StatusOr<::protos::ProposalResponse> response = Process(signed_proposal, mode);
  const bool success = response.ok() && response->response().status() < protoutil::kResponseStatusErrorThreshold;
  options_.metrics->Processed(mode, success, absl::Now() - start);
  return response;
}

absl::StatusOr<::protos::ProposalResponse> Endorser::Process(const ::protos::SignedProposal& signed_proposal,
                                                             ProposalMode mode) const {
  // Steps 1-4: is this a proposal we may act on?
  CheckedProposal proposal;
  {
    absl::StatusOr<protoutil::ParsedProposal> parsed = protoutil::ParseSignedProposal(signed_proposal);
    if (!parsed.ok()) return Annotate(parsed.status(), "malformed proposal");
    proposal.parsed = *std::move(parsed);
  }
  const ::common::ChannelHeader& header = proposal.parsed.channel_header;
  RETURN_IF_ERROR(CheckHeader(proposal.parsed));
  proposal.channel = channels_.Find(header.channel_id());
  if (proposal.channel == nullptr) {
    return absl::NotFoundError(absl::StrCat("channel '", header.channel_id(), "' is not joined by this peer"));
  }
  RETURN_IF_ERROR(CheckTimestamp(header, options_));
  ASSIGN_OR_RETURN(proposal.creator,
                   CheckCreator(signed_proposal, proposal.parsed, *proposal.channel, mode, options_.clock()));
  ASSIGN_OR_RETURN(bool duplicate, proposal.channel->HasTransaction(header.tx_id()));
  if (duplicate) {
    return absl::AlreadyExistsError(absl::StrCat("channel '", header.channel_id(), "': transaction ", header.tx_id(),
                                                 " is already on the ledger"));
  }

  // Step 5: which chaincode, in which version.
  const std::string& name = proposal.parsed.invocation_spec.chaincode_spec().chaincode_id().name();
  std::shared_ptr<const ledger::StateSnapshot> snapshot = proposal.channel->NewSnapshot();
  ::protos::ChaincodeID chaincode_id;
  chaincode_id.set_name(name);
  std::optional<lifecycle::ChaincodeDefinition> definition;
  if (name == lifecycle::kLifecycleNamespace) {
    chaincode_id.set_version(kSystemChaincodeVersion);
  } else {
    ASSIGN_OR_RETURN(definition, lifecycle::ReadCommittedDefinition(*snapshot, name));
    if (!definition) {
      return absl::NotFoundError(absl::StrCat("channel '", header.channel_id(), "': chaincode '", name,
                                              "' is not defined (no committed chaincode definition)"));
    }
    if (definition->package_id.empty()) {
      return absl::FailedPreconditionError(absl::StrCat("channel '", header.channel_id(), "': chaincode '", name,
                                                        "' has no package in its committed definition"));
    }
    chaincode_id.set_version(definition->version);
  }

  // Step 6: simulate.
  ledger::TxSimulator simulator(snapshot, header.tx_id());
  SimulatedLedgerAccess ledger_access(name, simulator, *proposal.channel);
  ChaincodeResult result;
  if (!definition) {
    lifecycle::LifecycleChannel channel;
    for (const auto& org : proposal.channel->config().application_orgs()) {
      channel.application_msp_ids.push_back(org.msp_id);
    }
    ASSIGN_OR_RETURN(channel.lifecycle_endorsement,
                     lifecycle::LifecycleEndorsementPolicy(proposal.channel->config().policy_manager()));
    const lifecycle::LifecycleCaller caller{std::string(proposal.creator->msp_id()),
                                            proposal.creator->role() == msp::NodeRole::kAdmin};
    const auto& args = proposal.parsed.invocation_spec.chaincode_spec().input().args();
    const std::vector<std::string> arg_list(args.begin(), args.end());
    result.response = lifecycle::InvokeLifecycle(arg_list, caller, channel, ledger_access);
  } else {
    absl::StatusOr<ChaincodeResult> executed =
        executor_.Execute(definition->package_id, name, InvocationContextOf(proposal), ledger_access);
    if (!executed.ok()) {
      return Annotate(executed.status(), absl::StrCat("channel '", header.channel_id(), "': chaincode '", name, "'"));
    }
    result = *std::move(executed);
  }
  absl::StatusOr<ledger::SimulationResults> simulation = simulator.Done();
  if (result.response.status() < protoutil::kResponseStatusOk ||
      result.response.status() >= protoutil::kResponseStatusErrorThreshold) {
    ::protos::ProposalResponse refused;
    *refused.mutable_response() = result.response;
    return refused;
  }
  if (!simulation.ok()) {
    return Annotate(simulation.status(), absl::StrCat("channel '", header.channel_id(), "': simulating ", name));
  }

  // Step 7: sign (or, when only evaluating, answer without an endorsement).
  if (mode == ProposalMode::kEvaluate) {
    ::protos::ProposalResponse evaluated;
    evaluated.set_version(1);
    *evaluated.mutable_response() = result.response;
    return evaluated;
  }
  const std::string events = result.event ? result.event->SerializeAsString() : std::string();
  return protoutil::CreateProposalResponse(proposal.parsed.proposal, result.response, simulation->rwset_bytes, events,
                                           chaincode_id, signer_);
}

}  // namespace careledger::endorser
