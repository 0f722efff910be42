#include "common/policies/implicit_meta_policy.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace careledger::policies {
namespace {

// Longest sub-policy failure quoted in our own failure; nested meta policies would otherwise nest messages.
constexpr size_t kMaxQuotedReasonBytes = 512;
// Longest sub-policy name quoted; names come from channel configuration, which anyone proposing an update
// writes.
constexpr size_t kMaxQuotedNameBytes = 128;

absl::string_view RuleName(::common::ImplicitMetaPolicy::Rule rule) {
  switch (rule) {
    case ::common::ImplicitMetaPolicy::ANY:
      return "ANY";
    case ::common::ImplicitMetaPolicy::ALL:
      return "ALL";
    case ::common::ImplicitMetaPolicy::MAJORITY:
      return "MAJORITY";
    default:
      return {};
  }
}

class ImplicitMetaPolicyImpl final : public Policy {
 public:
  ImplicitMetaPolicyImpl(std::string description, std::vector<std::shared_ptr<const Policy>> sub_policies,
                         size_t threshold)
      : description_(std::move(description)), sub_policies_(std::move(sub_policies)), threshold_(threshold) {}

  absl::Status Evaluate(std::span<const Identity* const> signers) const override {
    if (threshold_ == 0) return absl::OkStatus();
    size_t satisfied = 0;
    std::string first_failure;
    for (size_t i = 0; i < sub_policies_.size(); ++i) {
      const Policy* sub_policy = sub_policies_[i].get();
      if (sub_policy == nullptr) {
        if (first_failure.empty()) first_failure = absl::StrCat("sub-policy ", i, " is missing");
        continue;
      }
      const absl::Status status = sub_policy->Evaluate(signers);
      if (status.ok()) {
        if (++satisfied == threshold_) return absl::OkStatus();
      } else if (first_failure.empty()) {
        first_failure = absl::StrCat("sub-policy ", i, ": ", status.message().substr(0, kMaxQuotedReasonBytes));
      }
    }
    return absl::PermissionDeniedError(
        absl::StrCat("implicit meta policy ", description_, " not satisfied: ", satisfied, " of ", sub_policies_.size(),
                     " sub-policies satisfied, ", threshold_, " required; first failure: ", first_failure));
  }

 private:
  const std::string description_;  // e.g. "MAJORITY Endorsement"
  const std::vector<std::shared_ptr<const Policy>> sub_policies_;
  const size_t threshold_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Policy>> NewImplicitMetaPolicy(const ::common::ImplicitMetaPolicy& spec,
                                                              std::vector<std::shared_ptr<const Policy>> sub_policies) {
  const absl::string_view rule = RuleName(spec.rule());
  if (rule.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid implicit meta policy: rule ", spec.rule(), " is not ANY, ALL or MAJORITY"));
  }
  if (spec.sub_policy().empty()) {
    return absl::InvalidArgumentError("invalid implicit meta policy: sub_policy names no policy");
  }
  const size_t count = sub_policies.size();
  size_t threshold = 0;
  if (count > 0) {
    switch (spec.rule()) {
      case ::common::ImplicitMetaPolicy::ANY:
        threshold = 1;
        break;
      case ::common::ImplicitMetaPolicy::ALL:
        threshold = count;
        break;
      default:  // MAJORITY, the only rule left after the check above
        threshold = count / 2 + 1;
        break;
    }
  }
  const std::string name = absl::CHexEscape(absl::string_view(spec.sub_policy()).substr(0, kMaxQuotedNameBytes));
  return std::make_unique<ImplicitMetaPolicyImpl>(absl::StrCat(rule, " '", name, "'"), std::move(sub_policies),
                                                  threshold);
}

}  // namespace careledger::policies
