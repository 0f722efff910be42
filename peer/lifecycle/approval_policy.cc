#include "peer/lifecycle/approval_policy.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/strings.h"
#include "msp/msp_principal.pb.h"

namespace careledger::lifecycle {
namespace {

// An approving organisation as policy evaluation sees it; it never signs anything.
class OrgApproval : public policies::Identity {
 public:
  explicit OrgApproval(std::string msp_id) : msp_id_(std::move(msp_id)), serialized_("approval:" + msp_id_) {}

  std::string_view msp_id() const override { return msp_id_; }
  std::string_view serialized() const override { return serialized_; }

  absl::Status SatisfiesPrincipal(const ::common::MSPPrincipal& principal) const override {
    ::common::MSPRole role;
    if (principal.principal_classification() != ::common::MSPPrincipal::ROLE ||
        !role.ParseFromString(principal.principal())) {
      return absl::PermissionDeniedError("an organisation's approval satisfies role principals only");
    }
    if (role.msp_identifier() != msp_id_) {
      return absl::PermissionDeniedError(
          absl::StrCat("approval by ", msp_id_, " does not satisfy a principal of ", role.msp_identifier()));
    }
    return absl::OkStatus();
  }

  absl::Status Verify(std::string_view, std::string_view) const override {
    return absl::PermissionDeniedError("an organisation's approval carries no signature");
  }

 private:
  std::string msp_id_;
  std::string serialized_;
};

}  // namespace

absl::Status ApprovalsSatisfy(const policies::Policy& policy, std::span<const std::string> approving_msp_ids) {
  std::vector<OrgApproval> approvals;
  approvals.reserve(approving_msp_ids.size());
  for (const std::string& msp_id : approving_msp_ids) approvals.emplace_back(msp_id);
  std::vector<const policies::Identity*> signers;
  for (const OrgApproval& approval : approvals) signers.push_back(&approval);
  return policy.Evaluate(signers);
}

}  // namespace careledger::lifecycle
