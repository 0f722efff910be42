// X.509 certificates and CRLs (OpenSSL 3), as the membership service needs them: parse, read the fields
// MSPs classify identities by, verify chains to trusted roots, check revocation.
#ifndef CARELEDGER_COMMON_CRYPTO_X509_H_
#define CARELEDGER_COMMON_CRYPTO_X509_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/crypto/ecdsa.h"

namespace careledger::crypto {

// The subject or issuer of a certificate, reduced to the attributes CareLedger uses.
struct DistinguishedName {
  std::string common_name;
  std::string organization;
  std::vector<std::string> organizational_units;  // in certificate order
  std::string country;
  std::string state;
  std::string locality;

  // RFC 2253 one-line form, e.g. "CN=peer0.hospital1,OU=peer,O=Hospital1,C=US". Filled in when parsed;
  // ignored when the name is an input (CertificateTemplate).
  std::string one_line;
};

// A parsed X.509 certificate with an ECDSA P-256 public key. Cheap to copy (shared, immutable); thread-safe.
class Certificate {
 public:
  // Parses exactly one PEM CERTIFICATE block (text before and after it is ignored, a second certificate is
  // an error: use ParsePemBundle). InvalidArgument if the text holds no certificate, the certificate is
  // malformed, or its key is not ECDSA P-256.
  static absl::StatusOr<Certificate> FromPem(std::string_view pem);
  static absl::StatusOr<Certificate> FromDer(std::string_view der);
  // Every CERTIFICATE block of `pem`, in order; InvalidArgument if any is malformed or there is none.
  static absl::StatusOr<std::vector<Certificate>> ParsePemBundle(std::string_view pem);

  const std::string& der() const;
  std::string ToPem() const;

  const PublicKey& public_key() const;
  const DistinguishedName& subject() const;
  const DistinguishedName& issuer() const;
  // Big-endian magnitude of the serial number, without sign padding.
  const std::string& serial_number() const;
  absl::Time not_before() const;
  absl::Time not_after() const;
  bool is_ca() const;                        // basicConstraints cA=TRUE
  const std::string& subject_key_id() const;    // empty if the extension is absent
  const std::string& authority_key_id() const;  // keyIdentifier; empty if absent
  const std::vector<std::string>& dns_names() const;
  const std::vector<std::string>& ip_addresses() const;  // textual, e.g. "127.0.0.1"

  // The value (extnValue contents) of the extension with dotted OID `oid`, or nullopt if absent.
  // Fabric CA stores identity attributes as JSON under 1.2.3.4.5.6.7.8.1.
  std::optional<std::string> ExtensionValue(std::string_view oid) const;

  // OK if `issuer`'s key signed this certificate and issuer's subject is this certificate's issuer.
  // PermissionDenied otherwise.
  absl::Status CheckIssuedBy(const Certificate& issuer) const;

  friend bool operator==(const Certificate& a, const Certificate& b) { return a.der() == b.der(); }

  struct Impl;
  explicit Certificate(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  const Impl& impl() const { return *impl_; }  // for careledger_crypto's own .cc files

 private:
  std::shared_ptr<const Impl> impl_;
};

// A certificate revocation list. Cheap to copy (shared, immutable); thread-safe.
class Crl {
 public:
  // Parses one PEM X509 CRL block, or DER. InvalidArgument if malformed.
  static absl::StatusOr<Crl> FromPem(std::string_view pem);
  static absl::StatusOr<Crl> FromDer(std::string_view der);

  const std::string& der() const;
  std::string ToPem() const;
  const DistinguishedName& issuer() const;
  const std::string& authority_key_id() const;  // empty if absent
  absl::Time this_update() const;
  std::optional<absl::Time> next_update() const;
  // Serial numbers (big-endian magnitude, as Certificate::serial_number) listed as revoked.
  const std::vector<std::string>& revoked_serials() const;

  // True if `cert` names this CRL's issuer as its issuer and its serial is listed.
  bool Revokes(const Certificate& cert) const;
  // OK if `issuer` signed this CRL; PermissionDenied otherwise.
  absl::Status CheckIssuedBy(const Certificate& issuer) const;

  struct Impl;
  explicit Crl(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

 private:
  std::shared_ptr<const Impl> impl_;
};

// Verifies certificate chains to a fixed set of trusted roots through optional intermediates.
// Build once per trust configuration (an MSP), then call Verify from any thread.
class ChainVerifier {
 public:
  // InvalidArgument if `roots` is empty or a root is not a CA certificate.
  static absl::StatusOr<ChainVerifier> Create(std::span<const Certificate> roots,
                                              std::span<const Certificate> intermediates);

  // Verifies that `leaf` chains to one of the roots, checking signatures, CA constraints and, when `at` is
  // set, that every certificate of the chain is valid at that time (nullopt ignores validity periods).
  // Returns the chain from leaf to root. PermissionDenied with OpenSSL's reason and the failing depth.
  // Revocation is not checked here (see Crl::Revokes): the MSP decides which CRLs it trusts.
  absl::StatusOr<std::vector<Certificate>> Verify(const Certificate& leaf, std::optional<absl::Time> at) const;

  struct Impl;

 private:
  explicit ChainVerifier(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace careledger::crypto

#endif  // CARELEDGER_COMMON_CRYPTO_X509_H_
