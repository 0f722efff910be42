// Identities for a whole consortium: what `careledger crypto generate` does, and how `careledger identity`
// finds an organisation's PKI again. Every organisation lives in <out_dir>/organizations/<domain>/ (see
// organization_pki.h); <out_dir>/consortium.yaml is the description it was generated from.
#ifndef CARELEDGER_NETWORK_IDENTITY_CONSORTIUM_IDENTITIES_H_
#define CARELEDGER_NETWORK_IDENTITY_CONSORTIUM_IDENTITIES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "network/consortium/consortium.h"
#include "network/identity/organization_pki.h"

namespace careledger::network {

struct ConsortiumIdentity {
  std::string organization;
  std::string msp_id;
  IdentityInfo info;
  bool created;  // false: it existed and was kept as it was
};

// The folder of an organisation's PKI.
std::string OrganizationDir(const std::string& out_dir, const OrganizationSpec& org);

// Creates, under `out_dir`, the CAs of every organisation and every node and user the description lists.
// Anything already present (CA keys, identities) is kept, never replaced: re-running after adding a user to
// the description adds just that user. Errors from OrganizationPki pass through, naming the path.
absl::StatusOr<std::vector<ConsortiumIdentity>> GenerateConsortiumIdentities(const Consortium& consortium,
                                                                             const std::string& out_dir,
                                                                             absl::Time now);

// Every identity on disk for the organisations of `consortium`.
absl::StatusOr<std::vector<ConsortiumIdentity>> ListConsortiumIdentities(const Consortium& consortium,
                                                                         const std::string& out_dir, absl::Time now);

// A table, one identity per line: organisation, identity, node OU, role and person attributes, certificate
// serial, expiry, and status (created, kept, revoked).
std::string FormatIdentityTable(const std::vector<ConsortiumIdentity>& identities);

}  // namespace careledger::network

#endif  // CARELEDGER_NETWORK_IDENTITY_CONSORTIUM_IDENTITIES_H_
