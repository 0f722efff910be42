#include "peer/gateway/endorsement_plan.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/policies/organization_policy.h"
#include "common/strings.h"

namespace careledger::gateway {
namespace {

std::vector<std::string> Members(std::span<const std::string> orgs, uint32_t mask) {
  std::vector<std::string> members;
  for (size_t i = 0; i < orgs.size(); ++i) {
    if (mask & (uint32_t{1} << i)) members.push_back(orgs[i]);
  }
  return members;
}

// Orders candidate sets: fewer organisations first, then those including the local one, then channel order
// (a lower bit is an earlier organisation, so comparing the reversed bit patterns compares channel order).
bool Preferred(uint32_t a, uint32_t b, uint32_t local_bit) {
  const int size_a = __builtin_popcount(a), size_b = __builtin_popcount(b);
  if (size_a != size_b) return size_a < size_b;
  const bool local_a = (a & local_bit) != 0, local_b = (b & local_bit) != 0;
  if (local_a != local_b) return local_a;
  for (uint32_t bit = 1; bit != 0; bit <<= 1) {
    if ((a & bit) != (b & bit)) return (a & bit) != 0;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> PlanEndorsingOrganizations(const policies::Policy& policy,
                                                                    std::span<const std::string> channel_orgs,
                                                                    std::string_view local_msp_id,
                                                                    std::span<const std::string> requested) {
  if (!requested.empty()) {
    std::vector<std::string> chosen;
    for (const std::string& org : channel_orgs) {
      if (std::find(requested.begin(), requested.end(), org) != requested.end()) chosen.push_back(org);
    }
    for (const std::string& org : requested) {
      if (std::find(channel_orgs.begin(), channel_orgs.end(), org) == channel_orgs.end()) {
        return absl::InvalidArgumentError(absl::StrCat("requested endorsing organisation ", org,
                                                       " is not a member of the channel"));
      }
    }
    if (absl::Status enough = policies::EvaluateOrganizations(policy, chosen); !enough.ok()) {
      return absl::FailedPreconditionError(absl::StrCat("the requested organisations [", absl::StrJoin(chosen, ", "),
                                                        "] cannot satisfy the endorsement policy: ",
                                                        enough.message()));
    }
    return chosen;
  }

  if (channel_orgs.size() > kMaxExhaustiveOrganizations) {
    std::vector<std::string> chosen;
    for (const std::string& org : channel_orgs) {
      chosen.push_back(org);
      if (policies::EvaluateOrganizations(policy, chosen).ok()) return chosen;
    }
  } else {
    uint32_t local_bit = 0;
    for (size_t i = 0; i < channel_orgs.size(); ++i) {
      if (channel_orgs[i] == local_msp_id) local_bit = uint32_t{1} << i;
    }
    std::vector<uint32_t> candidates;
    for (uint32_t mask = 1; mask < (uint32_t{1} << channel_orgs.size()); ++mask) candidates.push_back(mask);
    std::sort(candidates.begin(), candidates.end(),
              [local_bit](uint32_t a, uint32_t b) { return Preferred(a, b, local_bit); });
    for (uint32_t mask : candidates) {
      std::vector<std::string> chosen = Members(channel_orgs, mask);
      if (policies::EvaluateOrganizations(policy, chosen).ok()) return chosen;
    }
  }
  std::vector<std::string> all(channel_orgs.begin(), channel_orgs.end());
  absl::Status reason = policies::EvaluateOrganizations(policy, all);
  return absl::FailedPreconditionError(absl::StrCat(
      "no set of the channel's organisations can satisfy the endorsement policy: ", reason.message()));
}

}  // namespace careledger::gateway
