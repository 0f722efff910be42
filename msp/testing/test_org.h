// Test-only: a real organisation PKI (root CA, optional intermediate CA, NodeOUs) built in memory with
// CareLedger's own issuer, for tests of anything that validates identities. Failures abort the test binary:
// a fixture that cannot be built makes every assertion after it meaningless.
#ifndef CARELEDGER_MSP_TESTING_TEST_ORG_H_
#define CARELEDGER_MSP_TESTING_TEST_ORG_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/crypto/ecdsa.h"
#include "common/crypto/x509.h"
#include "msp/attributes.h"
#include "msp/identity.h"
#include "msp/msp_config.pb.h"
#include "msp/signing_identity.h"

namespace careledger::msp::testing {

// Certificates issued by a TestOrg are valid from kTestEpoch for ten years unless stated otherwise.
inline const absl::Time kTestEpoch = absl::FromUnixSeconds(1700000000);

class TestOrg {
 public:
  // A root CA "ca.<msp_id>" and, if `with_intermediate`, an intermediate CA that issues every identity.
  explicit TestOrg(std::string msp_id, bool with_intermediate = false);

  const std::string& msp_id() const { return msp_id_; }
  const crypto::Certificate& root_cert() const { return root_.cert; }
  const crypto::Certificate& issuing_cert() const { return issuer().cert; }

  // The MSP definition, with NodeOUs on (OUs "client", "peer", "admin", "orderer") unless disabled.
  ::msp::FabricMSPConfig MspConfig(bool node_ous = true) const;

  // Issues a certificate with the given OUs (usually one node OU) and attributes.
  SigningIdentity Issue(const std::string& common_name, const std::vector<std::string>& ous,
                        const Attributes& attributes = {}, absl::Time not_before = kTestEpoch,
                        absl::Time not_after = kTestEpoch + absl::Hours(24 * 3650)) const;
  // The same, returning the certificate and its private key (to write key files).
  std::pair<crypto::Certificate, crypto::PrivateKey> IssueWithKey(const std::string& common_name,
                                                                  const std::vector<std::string>& ous) const;
  // A certificate over `key` (someone else's key, or the same key certified again), for node role `role`.
  crypto::Certificate IssueForKey(const std::string& common_name, NodeRole role, const crypto::PublicKey& key) const;
  // Shorthand for the four node roles.
  SigningIdentity Issue(const std::string& common_name, NodeRole role, const Attributes& attributes = {}) const;

  // A PEM CRL of the issuing CA revoking `revoked`.
  std::string Crl(const std::vector<crypto::Certificate>& revoked) const;

 private:
  struct Ca {
    crypto::PrivateKey key;
    crypto::Certificate cert;
  };
  static Ca MakeRootCa(const std::string& msp_id);
  const Ca& issuer() const { return intermediate_.empty() ? root_ : intermediate_.front(); }

  std::string msp_id_;
  Ca root_;
  std::vector<Ca> intermediate_;  // zero or one
};

}  // namespace careledger::msp::testing

#endif  // CARELEDGER_MSP_TESTING_TEST_ORG_H_
