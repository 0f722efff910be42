#include "common/channelconfig/policy_manager.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/channelconfig/config_keys.h"
#include "common/channelconfig/internal.h"
#include "common/policies.pb.h"
#include "common/policies/implicit_meta_policy.h"
#include "common/policies/signature_policy.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"

namespace careledger::channelconfig {
namespace {

using internal::Quote;
using internal::SortedKeys;
using PolicyMap = std::map<std::string, std::shared_ptr<const policies::Policy>, std::less<>>;

absl::StatusOr<std::unique_ptr<policies::Policy>> CompilePolicy(const ::common::ConfigGroup& group,
                                                                const std::string& group_path,
                                                                const ::common::ConfigPolicy& config_policy,
                                                                const PolicyMap& compiled) {
  if (!config_policy.has_policy()) return absl::InvalidArgumentError("policy is missing");
  const ::common::Policy& policy = config_policy.policy();
  switch (policy.type()) {
    case ::common::Policy::SIGNATURE: {
      ASSIGN_OR_RETURN(auto envelope,
                       protoutil::Unmarshal<::common::SignaturePolicyEnvelope>(policy.value(), "signature policy"));
      return policies::NewSignaturePolicy(envelope);
    }
    case ::common::Policy::IMPLICIT_META: {
      ASSIGN_OR_RETURN(auto spec,
                       protoutil::Unmarshal<::common::ImplicitMetaPolicy>(policy.value(), "implicit meta policy"));
      std::vector<std::shared_ptr<const policies::Policy>> sub_policies;
      for (const std::string& sub_group : SortedKeys(group.groups())) {
        const auto it = compiled.find(absl::StrCat(group_path, "/", sub_group, "/", spec.sub_policy()));
        sub_policies.push_back(it == compiled.end() ? nullptr : it->second);
      }
      return policies::NewImplicitMetaPolicy(spec, std::move(sub_policies));
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("unsupported policy type ", policy.type(), " (only SIGNATURE and IMPLICIT_META)"));
  }
}

// Compiles the policies of `group` (at `path`) after those of its sub-groups, which implicit meta policies
// refer to.
absl::Status CompileGroup(const ::common::ConfigGroup& group, const std::string& path, int depth, PolicyMap& compiled) {
  if (depth > kMaxGroupDepth) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": groups are nested deeper than ", kMaxGroupDepth, " levels"));
  }
  for (const std::string& key : SortedKeys(group.groups())) {
    if (absl::Status valid = ValidateConfigName(key); !valid.ok()) {
      return Annotate(valid, absl::StrCat(path, ": group"));
    }
    RETURN_IF_ERROR(CompileGroup(group.groups().at(key), absl::StrCat(path, "/", key), depth + 1, compiled));
  }
  for (const std::string& key : SortedKeys(group.policies())) {
    if (absl::Status valid = ValidateConfigName(key); !valid.ok()) {
      return Annotate(valid, absl::StrCat(path, ": policy"));
    }
    std::string policy_path = absl::StrCat(path, "/", key);
    absl::StatusOr<std::unique_ptr<policies::Policy>> policy =
        CompilePolicy(group, path, group.policies().at(key), compiled);
    if (!policy.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(policy_path, ": ", policy.status().message()));
    }
    compiled.emplace(std::move(policy_path), std::shared_ptr<const policies::Policy>(*std::move(policy)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PolicyManager> PolicyManager::Create(const ::common::ConfigGroup& channel_group) {
  PolicyManager manager;
  RETURN_IF_ERROR(CompileGroup(channel_group, absl::StrCat("/", kChannelGroupKey), 0, manager.policies_));
  return manager;
}

const policies::Policy* PolicyManager::Get(std::string_view path) const {
  const auto it = policies_.find(path);
  return it == policies_.end() ? nullptr : it->second.get();
}

absl::StatusOr<const policies::Policy*> PolicyManager::GetOrError(std::string_view path) const {
  const policies::Policy* policy = Get(path);
  if (policy == nullptr) {
    return absl::NotFoundError(absl::StrCat("no policy at ", Quote(path, 256)));
  }
  return policy;
}

std::vector<std::string> PolicyManager::Paths() const {
  std::vector<std::string> paths;
  paths.reserve(policies_.size());
  for (const auto& [path, unused] : policies_) paths.push_back(path);
  return paths;
}

std::string ResolvePolicyPath(std::string_view group_path, std::string_view reference) {
  if (!reference.empty() && reference.front() == '/') return std::string(reference);
  return absl::StrCat(AsAbsl(group_path), "/", AsAbsl(reference));
}

}  // namespace careledger::channelconfig
