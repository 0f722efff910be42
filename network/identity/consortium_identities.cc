#include "network/identity/consortium_identities.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/encoding/hex.h"
#include "common/status_macros.h"

namespace careledger::network {

std::string OrganizationDir(const std::string& out_dir, const OrganizationSpec& org) {
  return absl::StrCat(out_dir, "/organizations/", org.domain);
}

absl::StatusOr<std::vector<ConsortiumIdentity>> GenerateConsortiumIdentities(const Consortium& consortium,
                                                                             const std::string& out_dir,
                                                                             absl::Time now) {
  std::vector<ConsortiumIdentity> result;
  for (const OrganizationSpec& org : consortium.organizations) {
    ASSIGN_OR_RETURN(OrganizationPki pki, OrganizationPki::OpenOrCreate(OrganizationDir(out_dir, org), org, now));
    std::vector<IdentityRequest> requests;
    for (const PeerSpec& p : org.peers) requests.push_back({IdentityKind::kPeer, p.name, msp::NodeRole::kPeer, {}});
    for (const OrdererSpec& o : org.orderers) {
      requests.push_back({IdentityKind::kOrderer, o.name, msp::NodeRole::kOrderer, {}});
    }
    for (const UserSpec& u : org.users) requests.push_back({IdentityKind::kUser, u.name, u.node_ou, u.attributes});
    ASSIGN_OR_RETURN(std::vector<IdentityInfo> existing, pki.ListIdentities());
    for (const IdentityRequest& request : requests) {
      const std::string dir = pki.IdentityDir(request.kind, request.name);
      auto found = std::find_if(existing.begin(), existing.end(), [&](const IdentityInfo& i) { return i.dir == dir; });
      if (found != existing.end()) {
        result.push_back({org.name, org.msp_id, *found, false});
        continue;
      }
      ASSIGN_OR_RETURN(IdentityInfo info, pki.Issue(request, now));
      result.push_back({org.name, org.msp_id, std::move(info), true});
    }
  }
  return result;
}

absl::StatusOr<std::vector<ConsortiumIdentity>> ListConsortiumIdentities(const Consortium& consortium,
                                                                         const std::string& out_dir, absl::Time now) {
  std::vector<ConsortiumIdentity> result;
  for (const OrganizationSpec& org : consortium.organizations) {
    ASSIGN_OR_RETURN(OrganizationPki pki, OrganizationPki::OpenOrCreate(OrganizationDir(out_dir, org), org, now));
    ASSIGN_OR_RETURN(std::vector<IdentityInfo> identities, pki.ListIdentities());
    for (IdentityInfo& info : identities) result.push_back({org.name, org.msp_id, std::move(info), false});
  }
  return result;
}

std::string FormatIdentityTable(const std::vector<ConsortiumIdentity>& identities) {
  std::vector<std::vector<std::string>> rows = {
      {"ORGANIZATION", "MSP ID", "IDENTITY", "NODE OU", "ROLE", "PERSON ID", "SERIAL", "EXPIRES", "STATUS"}};
  for (const ConsortiumIdentity& id : identities) {
    auto attr = [&](const char* name) {
      auto it = id.info.attributes.find(name);
      return it == id.info.attributes.end() ? std::string("-") : it->second;
    };
    const std::string status = id.info.revoked ? "revoked" : id.created ? "created" : "kept";
    rows.push_back({id.organization, id.msp_id, id.info.full_name, std::string(msp::NodeRoleName(id.info.node_ou)),
                    attr(kRoleAttribute), attr(kPersonIdAttribute), HexEncode(id.info.certificate.serial_number()).substr(0, 12),
                    absl::FormatTime("%Y-%m-%d", id.info.certificate.not_after(), absl::UTCTimeZone()), status});
  }
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      absl::StrAppend(&out, row[c], c + 1 < row.size() ? std::string(widths[c] - row[c].size() + 2, ' ') : "\n");
    }
  }
  return out;
}

}  // namespace careledger::network
