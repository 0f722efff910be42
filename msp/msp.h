// One organisation's membership service provider (Fabric's X.509 "bccsp" MSP): who the organisation's
// members are, and what role each has.
//
// An MSP is built from a msp.FabricMSPConfig: the form it takes in channel configuration, and what
// LoadMspConfig reads from a Fabric-style msp/ folder. It trusts its root CAs through its intermediate CAs,
// honours its CRLs, and classifies identities by node OU (client, peer, admin, orderer) when NodeOUs are on.
#ifndef CARELEDGER_MSP_MSP_H_
#define CARELEDGER_MSP_MSP_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/crypto/x509.h"
#include "msp/identity.h"
#include "msp/identities.pb.h"
#include "msp/msp_config.pb.h"
#include "msp/msp_principal.pb.h"

namespace careledger::msp {

// The type value of an X.509 MSP in msp.MSPConfig.
inline constexpr int32_t kFabricMspType = 0;

// Immutable after Create, thread-safe. Always held by shared_ptr: identities keep their MSP alive.
class Msp : public std::enable_shared_from_this<Msp> {
 public:
  // Validates `config` and builds the MSP. InvalidArgument naming the offending item when: the name is empty;
  // there is no root certificate; a root or intermediate certificate is malformed or not a CA; an
  // intermediate does not chain to a root; a CRL is malformed or not signed by one of the MSP's CAs; NodeOUs
  // are enabled without client and peer OU identifiers, or an OU identifier names a certificate that is not
  // one of the MSP's CAs; an admin or TLS certificate is malformed.
  static absl::StatusOr<std::shared_ptr<const Msp>> Create(const ::msp::FabricMSPConfig& config);

  const std::string& name() const { return name_; }
  bool node_ous_enabled() const { return node_ous_.enabled; }
  const std::vector<crypto::Certificate>& tls_root_certs() const { return tls_roots_; }
  const std::vector<crypto::Certificate>& tls_intermediate_certs() const { return tls_intermediates_; }

  // Parses and validates an identity this MSP vouches for. id_bytes must hold one PEM certificate: text
  // before it is skipped, as Fabric's pem.Decode does; anything but whitespace after it is refused (see
  // CheckNothingAfterPemBlock in msp.cc for why).
  // InvalidArgument: the MSP ID is not this MSP's, the certificate is malformed, or id_bytes hold a second
  // certificate or other data after it.
  // PermissionDenied: the certificate is a CA, does not chain to the roots (judged at its own notBefore plus
  // one second, as Fabric does, so the answer never changes with time), is revoked, carries zero or several
  // node OUs when NodeOUs are on, was not issued by the CA an OU identifier requires, or carries a malformed
  // attribute extension.
  absl::StatusOr<std::shared_ptr<const Identity>> DeserializeIdentity(
      const ::msp::SerializedIdentity& serialized) const;

  // OK if `identity` (one of this MSP's) satisfies `principal`; see Identity::SatisfiesPrincipal.
  // PermissionDenied when it does not; InvalidArgument when the principal is malformed.
  absl::Status SatisfiesPrincipal(const Identity& identity, const ::common::MSPPrincipal& principal) const;

  // SHA-256 over the DER of the certificates that certified `identity` (its chain without the leaf): Fabric's
  // certifiers identifier for ORGANIZATION_UNIT principals.
  std::string CertifiersId(const Identity& identity) const;

 private:
  struct OuIdentifier {
    std::string ou;
    std::string certifier_der;  // empty: any of the MSP's CAs
  };
  struct NodeOus {
    bool enabled = false;
    OuIdentifier client, peer, admin, orderer;  // an empty ou means "not configured"
  };

  explicit Msp(std::string name) : name_(std::move(name)) {}
  absl::StatusOr<NodeRole> Classify(const std::vector<crypto::Certificate>& chain) const;
  absl::Status CheckNotRevoked(const std::vector<crypto::Certificate>& chain) const;
  bool IsAdmin(const Identity& identity) const;
  absl::Status SatisfiesRole(const Identity& identity, const ::common::MSPRole& role) const;

  std::string name_;
  std::vector<crypto::Certificate> roots_;
  std::vector<crypto::Certificate> intermediates_;
  std::unique_ptr<crypto::ChainVerifier> verifier_;
  std::vector<crypto::Crl> crls_;
  std::vector<crypto::Certificate> admins_;
  std::vector<crypto::Certificate> tls_roots_;
  std::vector<crypto::Certificate> tls_intermediates_;
  NodeOus node_ous_;
};

// The serialized msp.SerializedIdentity of a certificate: what identities look like on the wire.
std::string SerializeIdentity(std::string_view msp_id, const crypto::Certificate& certificate);

}  // namespace careledger::msp

#endif  // CARELEDGER_MSP_MSP_H_
