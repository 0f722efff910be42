// Issuing X.509 certificates and CRLs: what a certificate authority does. Used by the identity tooling
// (`careledger crypto generate`, `careledger identity issue|revoke`) and by tests that need real PKIs.
#ifndef CARELEDGER_COMMON_CRYPTO_X509_ISSUER_H_
#define CARELEDGER_COMMON_CRYPTO_X509_ISSUER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/crypto/ecdsa.h"
#include "common/crypto/x509.h"

namespace careledger::crypto {

// An extension beyond those CertificateTemplate has fields for.
struct CustomExtension {
  std::string oid;    // dotted form, e.g. "1.2.3.4.5.6.7.8.1"
  std::string value;  // the extnValue contents, as-is
  bool critical = false;
};

// What goes into a certificate. Key identifiers are derived, as Fabric's cryptogen does: the subject key
// identifier is SHA-256 of the subject key's uncompressed point; the authority key identifier is the issuer's
// subject key identifier.
struct CertificateTemplate {
  DistinguishedName subject;   // one_line is ignored
  std::string serial_number;   // big-endian; empty: 16 random bytes
  absl::Time not_before;
  absl::Time not_after;
  bool is_ca = false;
  std::optional<int> max_path_length;  // CA certificates only
  bool server_auth = false;            // extendedKeyUsage serverAuth (TLS servers)
  bool client_auth = false;            // extendedKeyUsage clientAuth (TLS clients)
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;  // textual IPv4 or IPv6
  std::vector<CustomExtension> extensions;
};

// Issues a certificate for `subject_key`, signed with `issuer_key`. With `issuer` null the certificate is
// self-signed (`issuer_key` must then be the subject's own key). Key usage follows the template: CAs get
// keyCertSign + cRLSign + digitalSignature, others digitalSignature (+ keyEncipherment for TLS).
// InvalidArgument for an inconsistent template (empty common name, not_after before not_before, a bad IP
// address or OID, a non-CA issuer, an issuer_key that is not the issuer's key).
absl::StatusOr<Certificate> IssueCertificate(const CertificateTemplate& tmpl, const PublicKey& subject_key,
                                             const PrivateKey& issuer_key, const Certificate* issuer);

struct RevokedCertificate {
  std::string serial_number;  // big-endian, as Certificate::serial_number
  absl::Time revoked_at;
};

struct CrlTemplate {
  std::vector<RevokedCertificate> revoked;
  absl::Time this_update;
  absl::Time next_update;
  uint64_t crl_number = 1;  // increases with each CRL the CA issues
};

// Issues a CRL signed by `issuer` with `issuer_key`. InvalidArgument if issuer is not a CA or the key is not
// the issuer's.
absl::StatusOr<Crl> IssueCrl(const CrlTemplate& tmpl, const Certificate& issuer, const PrivateKey& issuer_key);

}  // namespace careledger::crypto

#endif  // CARELEDGER_COMMON_CRYPTO_X509_ISSUER_H_
