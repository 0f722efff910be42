// An X.509 identity an MSP has validated: a doctor, a patient, a peer, an orderer, an admin.
//
// Identities are only ever created by Msp::DeserializeIdentity, which returns them already validated
// (chain to the MSP's roots, not revoked, exactly one node OU when NodeOUs are on). Validity of the chain is
// judged without the wall clock, so the same transaction gets the same verdict forever; certificate expiry is
// checked separately with CheckValidAt where requests arrive (endorsement, broadcast, deliver).
#ifndef CARELEDGER_MSP_IDENTITY_H_
#define CARELEDGER_MSP_IDENTITY_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/crypto/x509.h"
#include "common/policies/policy.h"
#include "msp/attributes.h"

namespace careledger::msp {

class Msp;

// The node OU an identity carries (Fabric's NodeOUs). kUnclassified when the MSP does not use NodeOUs.
enum class NodeRole { kUnclassified, kClient, kPeer, kAdmin, kOrderer };

std::string_view NodeRoleName(NodeRole role);

// Immutable and thread-safe. Keeps its MSP alive.
class Identity final : public policies::Identity {
 public:
  std::string_view msp_id() const override;
  std::string_view serialized() const override { return serialized_; }
  // Length-prefixed MSP ID, then the certificate's public key as a DER SubjectPublicKeyInfo in one fixed form
  // (named curve P-256, uncompressed point): "<decimal length of the MSP ID>:<MSP ID><SPKI DER>". Every
  // encoding of the certificate, and every certificate over the same key in the same MSP, gives these bytes.
  //
  // A key, not a certificate, because a signature proves possession of a key: whoever holds it is the
  // signer. A certificate is not even one byte string: a CA may certify one key several times (renewal,
  // re-enrolment), and the CA's own ECDSA signature on a certificate can be rewritten as (r, n - s), a second
  // valid DER form of the same certificate (Fabric sanitizes it to low S before hashing for that reason).
  // Counting certificates would let one key holder count twice; counting keys cannot. Fabric counts
  // certificates (IdentityIdentifier{Mspid, hash of the certificate}), so a set Fabric accepts because one key
  // sits in two certificates is refused here: stricter, never looser. The key is written in one fixed form
  // rather than as OpenSSL re-encodes it from the certificate because OpenSSL keeps the form it read (a
  // compressed point, explicit curve parameters), which would give one key several names.
  std::string_view signer_key() const override { return signer_key_; }
  absl::Status SatisfiesPrincipal(const ::common::MSPPrincipal& principal) const override;
  absl::Status Verify(std::string_view message, std::string_view signature) const override;

  const crypto::Certificate& certificate() const { return chain_.front(); }
  // Leaf first, root last.
  const std::vector<crypto::Certificate>& chain() const { return chain_; }
  NodeRole role() const { return role_; }
  const Attributes& attributes() const { return attributes_; }
  // The value of attribute `name`, or nullopt if the certificate does not carry it.
  std::optional<std::string> Attribute(std::string_view name) const;

  // OK if `now` lies within the certificate's validity period; PermissionDenied naming the bound otherwise.
  absl::Status CheckValidAt(absl::Time now) const;

  // Fabric's client-identity ID, "x509::<subject DN>::<issuer DN>": stable across certificate renewals by the
  // same CA, which is why chaincode keys records by it.
  std::string ClientId() const;

 private:
  friend class Msp;
  // `signer_key` is SignerKey(msp ID, leaf key), computed by the MSP before it builds the identity.
  Identity(std::shared_ptr<const Msp> msp, std::string serialized, std::string signer_key,
           std::vector<crypto::Certificate> chain, NodeRole role, Attributes attributes)
      : msp_(std::move(msp)),
        serialized_(std::move(serialized)),
        signer_key_(std::move(signer_key)),
        chain_(std::move(chain)),
        role_(role),
        attributes_(std::move(attributes)) {}

  // The signer_key() of a certificate with `key` in MSP `msp_id`. Internal if `key` is not the uncompressed
  // P-256 point crypto::PublicKey promises.
  static absl::StatusOr<std::string> SignerKey(std::string_view msp_id, const crypto::PublicKey& key);

  std::shared_ptr<const Msp> msp_;
  std::string serialized_;
  std::string signer_key_;
  std::vector<crypto::Certificate> chain_;
  NodeRole role_;
  Attributes attributes_;
};

}  // namespace careledger::msp

#endif  // CARELEDGER_MSP_IDENTITY_H_
