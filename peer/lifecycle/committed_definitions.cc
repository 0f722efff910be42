#include "peer/lifecycle/committed_definitions.h"

#include "absl/strings/str_cat.h"
#include "common/policies/signature_policy.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::lifecycle {
namespace {

// A channel policy used as a chaincode's endorsement policy; the channel's policy manager owns it.
class ChannelPolicyReference : public policies::Policy {
 public:
  explicit ChannelPolicyReference(const policies::Policy* policy) : policy_(policy) {}
  absl::Status Evaluate(std::span<const policies::Identity* const> signers) const override {
    return policy_->Evaluate(signers);
  }

 private:
  const policies::Policy* policy_;
};

}  // namespace

absl::StatusOr<std::optional<ChaincodeDefinition>> ReadCommittedDefinition(const ledger::StateSnapshot& state,
                                                                           std::string_view name) {
  ASSIGN_OR_RETURN(std::optional<ledger::VersionedValue> stored, state.Get(kLifecycleNamespace, DefinitionKey(name)));
  if (!stored) return std::optional<ChaincodeDefinition>();
  ASSIGN_OR_RETURN(ChaincodeDefinition definition, DecodeDefinition(name, stored->value));
  return std::optional<ChaincodeDefinition>(std::move(definition));
}

absl::StatusOr<std::unique_ptr<policies::Policy>> CompileEndorsementPolicy(
    const ChaincodeDefinition& definition, const channelconfig::PolicyManager& channel_policies) {
  const ::protos::ApplicationPolicy& policy = definition.endorsement_policy;
  if (policy.has_signature_policy()) {
    auto compiled = policies::NewSignaturePolicy(policy.signature_policy());
    if (!compiled.ok()) {
      return Annotate(compiled.status(), absl::StrCat("endorsement policy of chaincode '", definition.name, "'"));
    }
    return std::move(*compiled);
  }
  const policies::Policy* referenced = channel_policies.Get(policy.channel_config_policy_reference());
  if (referenced == nullptr) {
    return absl::NotFoundError(absl::StrCat("endorsement policy of chaincode '", definition.name,
                                            "' refers to channel policy '", policy.channel_config_policy_reference(),
                                            "', which the channel does not have"));
  }
  return std::unique_ptr<policies::Policy>(std::make_unique<ChannelPolicyReference>(referenced));
}

absl::StatusOr<const policies::Policy*> LifecycleEndorsementPolicy(
    const channelconfig::PolicyManager& channel_policies) {
  const policies::Policy* policy = channel_policies.Get(kLifecycleEndorsementPolicy);
  if (policy == nullptr) {
    return absl::NotFoundError(absl::StrCat("the channel has no ", kLifecycleEndorsementPolicy, " policy"));
  }
  return policy;
}

}  // namespace careledger::lifecycle
