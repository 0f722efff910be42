// Endorse: collect endorsements from the peers of enough organisations to satisfy the chaincode's endorsement
// policy and return the transaction for the client to sign, as Fabric's gateway does
// (internal/pkg/gateway/endorse.go).
//
//   1. The policy: the committed definition's (peer/lifecycle), or LifecycleEndorsement for `_lifecycle`.
//   2. The plan: PlanEndorsingOrganizations (endorsement_plan.h) over the organisations still available,
//      honouring the client's endorsing_organizations.
//   3. Each planned organisation not yet endorsed is asked at once, in parallel: this peer's endorser for its
//      own organisation, the organisation's peers (GatewayChannel::EndorsersOf) for others, moving on to the
//      organisation's next peer while one cannot be reached or refuses without the chaincode's answer. Each
//      call has its own deadline (GatewayOptions::endorsement_timeout, within the client's).
//   4. Every endorsement must carry the same payload bytes as the first (this peer's organisation's when it
//      endorses): an endorser that disagrees (other state, other chaincode) counts as its organisation failing.
//   5. Organisations that failed are dropped and the plan is made again from those left (Fabric's layouts), so
//      an unreachable organisation is replaced by others that satisfy the policy — unless the client chose the
//      organisations, or the failure is final: the chaincode refused, or this peer's own endorser refused the
//      proposal (another peer would refuse it too).
//   6. prepared_transaction = protoutil::CreateUnsignedTransaction over the plan's endorsements.
#include <algorithm>
#include <memory>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/time/clock.h"
#include "common/protoutil/transaction.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "peer/gateway/endorsement_plan.h"
#include "peer/gateway/gateway_rpcs.h"
#include "peer/gateway/status_mapping.h"
#include "peer/lifecycle/committed_definitions.h"

namespace careledger::gateway {
namespace {

constexpr char kNotEnoughEndorsements[] =
    "failed to collect enough transaction endorsements, see attached details for more info";

// A compiled endorsement policy: owned when compiled from a definition, borrowed from the channel's policy
// manager for `_lifecycle`.
struct EndorsementPolicy {
  std::unique_ptr<policies::Policy> owned;
  const policies::Policy* policy = nullptr;
};

absl::StatusOr<EndorsementPolicy> EndorsementPolicyOf(const endorser::EndorserChannel& view,
                                                      const std::string& chaincode) {
  EndorsementPolicy result;
  const channelconfig::PolicyManager& channel_policies = view.config().policy_manager();
  if (chaincode == lifecycle::kLifecycleNamespace) {
    ASSIGN_OR_RETURN(result.policy, lifecycle::LifecycleEndorsementPolicy(channel_policies));
    return result;
  }
  std::shared_ptr<const ledger::StateSnapshot> snapshot = view.NewSnapshot();
  ASSIGN_OR_RETURN(std::optional<lifecycle::ChaincodeDefinition> definition,
                   lifecycle::ReadCommittedDefinition(*snapshot, chaincode));
  if (!definition.has_value()) {
    return absl::NotFoundError(absl::StrCat("chaincode '", chaincode, "' is not defined on channel '",
                                            view.config().channel_id(), "' (no committed chaincode definition)"));
  }
  ASSIGN_OR_RETURN(result.owned, lifecycle::CompileEndorsementPolicy(*definition, channel_policies));
  result.policy = result.owned.get();
  return result;
}

// What one organisation's peers answered.
struct OrganizationEndorsement {
  std::string msp_id;
  std::optional<::protos::ProposalResponse> response;  // set on success
  std::shared_ptr<EndorsingPeer> peer;                 // the peer that endorsed
  absl::Status failure;                                // the last peer's failure otherwise
  std::vector<::gateway::ErrorDetail> details;         // one per failed attempt
};

// Asks one organisation's peers, one after another, until one endorses or fails in a way another peer would
// repeat. Each peer is asked with StartProcessProposal and the next one from its answer, so an organisation
// being asked holds no thread; `finished` is counted down once the result is known.
class OrganizationRound {
 public:
  OrganizationRound(const GatewayContext& gateway, const ProposedTransaction& proposed, std::string msp_id,
                    const CallContext& call, absl::BlockingCounter& finished)
      : gateway_(gateway), proposed_(proposed), call_(call), finished_(finished) {
    result_.msp_id = std::move(msp_id);
    result_.failure = absl::UnavailableError(absl::StrCat("no peer of organisation ", result_.msp_id,
                                                          " is known on channel '", proposed.channel_id, "'"));
    peers_ = proposed.channel->EndorsersOf(result_.msp_id);
    if (peers_.empty()) {
      result_.details.push_back(MakeErrorDetail("", result_.msp_id, AsStd(result_.failure.message())));
    }
  }

  void Start() { Ask(0); }

  // The result, once `finished` has reached zero.
  OrganizationEndorsement Take() { return std::move(result_); }

 private:
  void Ask(size_t i) {
    if (i >= peers_.size()) {
      finished_.DecrementCount();
      return;
    }
    peers_[i]->StartProcessProposal(
        *proposed_.signed_proposal, DeadlineWithin(call_, gateway_.options.endorsement_timeout),
        [this, i](absl::StatusOr<::protos::ProposalResponse> response) { OnAnswer(i, std::move(response)); });
  }

  void OnAnswer(size_t i, absl::StatusOr<::protos::ProposalResponse> response) {
    if (response.ok()) {
      result_.response = *std::move(response);
      result_.peer = peers_[i];
      finished_.DecrementCount();
      return;
    }
    result_.failure = response.status();
    result_.details.push_back(
        MakeErrorDetail(peers_[i]->address(), peers_[i]->msp_id(), AsStd(result_.failure.message())));
    Ask(MayTryAnotherPeer(result_.failure) ? i + 1 : peers_.size());
  }

  const GatewayContext& gateway_;
  const ProposedTransaction& proposed_;
  const CallContext& call_;
  absl::BlockingCounter& finished_;
  std::vector<std::shared_ptr<EndorsingPeer>> peers_;  // kept alive while asked
  OrganizationEndorsement result_;
};

// Asks every organisation of `msp_ids` at once: the others' peers through gRPC's asynchronous calls, this
// peer's own organisation on the calling thread meanwhile. No thread per transaction.
std::vector<OrganizationEndorsement> EndorseInParallel(const GatewayContext& gateway,
                                                       const ProposedTransaction& proposed,
                                                       const std::vector<std::string>& msp_ids,
                                                       const CallContext& call) {
  absl::BlockingCounter finished(static_cast<int>(msp_ids.size()));
  std::vector<std::unique_ptr<OrganizationRound>> rounds;
  std::unique_ptr<OrganizationRound> local;
  for (const std::string& msp_id : msp_ids) {
    auto round = std::make_unique<OrganizationRound>(gateway, proposed, msp_id, call, finished);
    if (msp_id == gateway.options.local_msp_id) {
      local = std::move(round);
      continue;
    }
    round->Start();
    rounds.push_back(std::move(round));
  }
  if (local != nullptr) local->Start();
  finished.Wait();
  std::vector<OrganizationEndorsement> results;
  // This peer's organisation first: its payload is the reference the others are compared with.
  if (local != nullptr) results.push_back(local->Take());
  for (std::unique_ptr<OrganizationRound>& round : rounds) results.push_back(round->Take());
  return results;
}

std::vector<std::string> MinusOrganizations(const std::vector<std::string>& orgs,
                                            const std::vector<std::string>& removed) {
  std::vector<std::string> left;
  for (const std::string& org : orgs) {
    if (std::find(removed.begin(), removed.end(), org) == removed.end()) left.push_back(org);
  }
  return left;
}

}  // namespace

absl::StatusOr<::gateway::EndorseResponse> Endorse(const GatewayContext& gateway,
                                                   const ::gateway::EndorseRequest& request, const CallContext& call) {
  if (gateway.options.audit) {
    const ::gateway::ErrorDetail detail =
        MakeErrorDetail(gateway.options.address, gateway.options.local_msp_id, kAuditEndorseRefusal);
    return WithErrorDetails(absl::PermissionDeniedError(kAuditEndorseRefusal), {&detail, 1});
  }
  ASSIGN_OR_RETURN(ProposedTransaction proposed,
                   ReadProposedTransaction(gateway.channels, request.proposed_transaction(), request.transaction_id(),
                                           request.channel_id()));
  ASSIGN_OR_RETURN(EndorsementPolicy policy, EndorsementPolicyOf(proposed.channel->view(), proposed.chaincode));

  std::vector<std::string> available;
  for (const channelconfig::ApplicationOrg& org : proposed.channel->view().config().application_orgs()) {
    available.push_back(org.msp_id);
  }
  const std::vector<std::string> requested(request.endorsing_organizations().begin(),
                                           request.endorsing_organizations().end());
  std::map<std::string, ::protos::ProposalResponse> endorsed;  // by organisation
  std::optional<std::string> reference_payload;
  std::vector<::gateway::ErrorDetail> details;
  std::vector<std::string> plan;
  while (true) {
    absl::StatusOr<std::vector<std::string>> planned =
        PlanEndorsingOrganizations(*policy.policy, available, gateway.options.local_msp_id, requested);
    if (!planned.ok()) {
      if (details.empty()) return planned.status();  // no endorsement was even attempted
      return WithErrorDetails(absl::AbortedError(kNotEnoughEndorsements), details);
    }
    plan = *std::move(planned);
    std::vector<std::string> to_ask;
    for (const std::string& org : plan) {
      if (!endorsed.contains(org)) to_ask.push_back(org);
    }
    if (to_ask.empty()) break;
    if (absl::Now() >= call.deadline) {
      return WithErrorDetails(absl::DeadlineExceededError("endorsement timeout expired while collecting endorsements"),
                              details);
    }

    std::vector<std::string> failed;
    bool final_failure = false;
    for (OrganizationEndorsement& result : EndorseInParallel(gateway, proposed, to_ask, call)) {
      details.insert(details.end(), result.details.begin(), result.details.end());
      if (!result.response.has_value()) {
        failed.push_back(result.msp_id);
        // A refusal another peer would repeat: the chaincode's, or this peer's own endorser's.
        final_failure = final_failure || !MayTryAnotherPeer(result.failure);
        continue;
      }
      if (!reference_payload.has_value()) reference_payload = result.response->payload();
      if (result.response->payload() != *reference_payload) {
        details.push_back(
            MakeErrorDetail(result.peer->address(), result.peer->msp_id(), "ProposalResponsePayloads do not match"));
        failed.push_back(result.msp_id);
        continue;
      }
      endorsed.emplace(result.msp_id, *std::move(result.response));
    }
    if (final_failure || (!failed.empty() && !requested.empty())) {
      return WithErrorDetails(absl::AbortedError(kNotEnoughEndorsements), details);
    }
    available = MinusOrganizations(available, failed);
  }

  std::vector<::protos::ProposalResponse> responses;
  for (const std::string& org : plan) responses.push_back(endorsed.at(org));
  absl::StatusOr<::common::Envelope> prepared =
      protoutil::CreateUnsignedTransaction(proposed.parsed.proposal, responses);
  if (!prepared.ok()) {
    return absl::AbortedError(absl::StrCat("failed to assemble transaction: ", prepared.status().message()));
  }
  ::gateway::EndorseResponse response;
  *response.mutable_prepared_transaction() = *std::move(prepared);
  return response;
}

}  // namespace careledger::gateway
