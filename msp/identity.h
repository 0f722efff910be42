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
  Identity(std::shared_ptr<const Msp> msp, std::string serialized, std::vector<crypto::Certificate> chain,
           NodeRole role, Attributes attributes)
      : msp_(std::move(msp)),
        serialized_(std::move(serialized)),
        chain_(std::move(chain)),
        role_(role),
        attributes_(std::move(attributes)) {}

  std::shared_ptr<const Msp> msp_;
  std::string serialized_;
  std::vector<crypto::Certificate> chain_;
  NodeRole role_;
  Attributes attributes_;
};

}  // namespace careledger::msp

#endif  // CARELEDGER_MSP_IDENTITY_H_
