// An organisation's certificate authorities on disk, and the identities they issue, laid out as Fabric's
// cryptogen does so that Fabric's tools and CareLedger's nodes read the same folders:
//
//   <org_dir>/ca/ca-cert.pem, ca-key.pem        root signing CA (key mode 0600)
//   <org_dir>/ca/ica-cert.pem, ica-key.pem      intermediate CA that issues identities (if configured)
//   <org_dir>/ca/revocations.json               what the CA has revoked, and the last CRL number
//   <org_dir>/tlsca/tlsca-cert.pem, tlsca-key.pem
//   <org_dir>/msp/                              the organisation's MSP definition (for channel configuration)
//   <org_dir>/peers/<name>.<domain>/{msp,tls}/     peer nodes
//   <org_dir>/orderers/<name>.<domain>/{msp,tls}/  orderer nodes
//   <org_dir>/users/<name>@<domain>/{msp,tls}/     people and admins
//
// Keys are never overwritten: opening an existing PKI loads its CAs, issuing an identity that exists fails.
#ifndef CARELEDGER_NETWORK_IDENTITY_ORGANIZATION_PKI_H_
#define CARELEDGER_NETWORK_IDENTITY_ORGANIZATION_PKI_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/crypto/ecdsa.h"
#include "common/crypto/x509.h"
#include "msp/attributes.h"
#include "msp/identity.h"
#include "network/consortium/consortium.h"

namespace careledger::network {

enum class IdentityKind { kPeer, kOrderer, kUser };

struct IdentityRequest {
  IdentityKind kind = IdentityKind::kUser;
  std::string name;  // "peer0", "dr.alice"
  msp::NodeRole node_ou = msp::NodeRole::kClient;
  msp::Attributes attributes;
};

// An identity as it is on disk.
struct IdentityInfo {
  IdentityKind kind;
  std::string full_name;  // peer0.hospital1.example.org, dr.alice@hospital1.example.org
  std::string dir;        // its folder, holding msp/ and tls/
  crypto::Certificate certificate;
  msp::NodeRole node_ou;
  msp::Attributes attributes;
  bool revoked;
};

class OrganizationPki {
 public:
  // Loads the CAs of `org_dir`, creating those that do not exist yet (valid ten years from `now`), and
  // (re)writes the organisation's msp/ folder. FailedPrecondition if a CA key on disk does not match its
  // certificate, or the folder holds an intermediate CA while `spec` asks for none (or the reverse).
  static absl::StatusOr<OrganizationPki> OpenOrCreate(const std::string& org_dir, const OrganizationSpec& spec,
                                                      absl::Time now);

  const OrganizationSpec& spec() const { return spec_; }
  const std::string& dir() const { return dir_; }
  const crypto::Certificate& root_cert() const { return root_.cert; }
  const crypto::Certificate& tls_root_cert() const { return tls_.cert; }

  // The folder an identity of this kind and name lives in.
  std::string IdentityDir(IdentityKind kind, const std::string& name) const;
  std::string FullName(IdentityKind kind, const std::string& name) const;

  // Issues a signing certificate (node OU, attributes) and a TLS certificate (nodes: server and client auth
  // for <name>.<domain>, <name>, localhost, 127.0.0.1; users: client auth), valid two years from `now`, with
  // fresh keys, and writes them with the CA certificates and current CRL into the identity's folder.
  // AlreadyExists if the identity's folder already holds a certificate.
  absl::StatusOr<IdentityInfo> Issue(const IdentityRequest& request, absl::Time now);

  // Revokes the signing certificate of the identity in `identity_dir`: records it, issues a new CRL from the
  // issuing CA and writes it into the organisation's msp/ and every identity's msp/ of the organisation.
  // NotFound if there is no such identity; AlreadyExists if it is already revoked. Returns the new CRL.
  absl::StatusOr<crypto::Crl> Revoke(const std::string& identity_dir, absl::Time now);

  // Every identity on disk, peers first, then orderers, then users, each in name order.
  absl::StatusOr<std::vector<IdentityInfo>> ListIdentities() const;

 private:
  struct Ca {
    crypto::PrivateKey key;
    crypto::Certificate cert;
  };
  struct Revocation {
    std::string serial_hex;
    std::string subject;
    absl::Time revoked_at;
  };

  OrganizationPki(std::string dir, OrganizationSpec spec, Ca root, std::optional<Ca> intermediate, Ca tls)
      : dir_(std::move(dir)), spec_(std::move(spec)), root_(root), intermediate_(intermediate), tls_(tls) {}

  const Ca& issuing_ca() const { return intermediate_.has_value() ? *intermediate_ : root_; }
  absl::Status WriteOrganizationMsp() const;
  absl::Status LoadRevocations();
  absl::Status SaveRevocations() const;
  std::vector<std::string> CurrentCrls() const;

  std::string dir_;
  OrganizationSpec spec_;
  Ca root_;
  std::optional<Ca> intermediate_;
  Ca tls_;
  std::vector<Revocation> revocations_;
  uint64_t crl_number_ = 0;
  std::optional<crypto::Crl> crl_;  // the latest CRL, if anything was ever revoked
};

}  // namespace careledger::network

#endif  // CARELEDGER_NETWORK_IDENTITY_ORGANIZATION_PKI_H_
