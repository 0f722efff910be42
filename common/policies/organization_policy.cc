#include "common/policies/organization_policy.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/strings.h"
#include "msp/msp_principal.pb.h"

namespace careledger::policies {
namespace {

// An organisation standing in as a signer; it never signs anything.
class OrganizationSigner : public Identity {
 public:
  explicit OrganizationSigner(std::string msp_id) : msp_id_(std::move(msp_id)), serialized_("organization:" + msp_id_) {}

  std::string_view msp_id() const override { return msp_id_; }
  std::string_view serialized() const override { return serialized_; }
  // One organisation is one signer, however often it is named.
  std::string_view signer_key() const override { return serialized_; }

  absl::Status SatisfiesPrincipal(const ::common::MSPPrincipal& principal) const override {
    ::common::MSPRole role;
    if (principal.principal_classification() != ::common::MSPPrincipal::ROLE ||
        !role.ParseFromString(principal.principal())) {
      return absl::PermissionDeniedError("an organisation satisfies role principals only");
    }
    if (role.msp_identifier() != msp_id_) {
      return absl::PermissionDeniedError(
          absl::StrCat("organisation ", msp_id_, " does not satisfy a principal of ", role.msp_identifier()));
    }
    return absl::OkStatus();
  }

  absl::Status Verify(std::string_view, std::string_view) const override {
    return absl::PermissionDeniedError("an organisation stands in for its signers and carries no signature");
  }

 private:
  std::string msp_id_;
  std::string serialized_;
};

}  // namespace

absl::Status EvaluateOrganizations(const Policy& policy, std::span<const std::string> msp_ids) {
  std::vector<OrganizationSigner> organizations;
  organizations.reserve(msp_ids.size());
  for (const std::string& msp_id : msp_ids) organizations.emplace_back(msp_id);
  std::vector<const Identity*> signers;
  for (const OrganizationSigner& organization : organizations) signers.push_back(&organization);
  return policy.Evaluate(signers);
}

}  // namespace careledger::policies
