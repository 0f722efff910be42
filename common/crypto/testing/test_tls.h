// Test-only: a TLS certificate authority and the certificates it issues for 127.0.0.1, for tests that run
// real TLS servers and clients on the loopback interface.
#ifndef CARELEDGER_COMMON_CRYPTO_TESTING_TEST_TLS_H_
#define CARELEDGER_COMMON_CRYPTO_TESTING_TEST_TLS_H_

#include <string>

#include "absl/time/clock.h"
#include "common/crypto/ecdsa.h"
#include "common/crypto/x509.h"
#include "common/crypto/x509_issuer.h"

namespace careledger::crypto::testing {

struct TlsCa {
  PrivateKey key;
  Certificate cert;
};

// A node's TLS identity: its certificate, and the certificate and key as PEM text.
struct TlsKeyPair {
  Certificate cert;
  std::string certificate_pem;
  std::string private_key_pem;
};

// A template for `name`, valid from an hour ago for a day.
inline CertificateTemplate TemplateFor(const std::string& name) {
  CertificateTemplate t;
  t.subject.common_name = name;
  t.not_before = absl::Now() - absl::Hours(1);
  t.not_after = absl::Now() + absl::Hours(24);
  return t;
}

inline TlsCa MakeTlsCa(const std::string& name) {
  PrivateKey key = *PrivateKey::Generate();
  CertificateTemplate t = TemplateFor(name);
  t.is_ca = true;
  return {key, *IssueCertificate(t, key.public_key(), key, nullptr)};
}

// For both ends of a connection (server and client authentication), named localhost and 127.0.0.1.
inline TlsKeyPair IssueLoopbackTls(const TlsCa& ca, const std::string& name) {
  PrivateKey key = *PrivateKey::Generate();
  CertificateTemplate t = TemplateFor(name);
  t.server_auth = true;
  t.client_auth = true;
  t.dns_names = {"localhost"};
  t.ip_addresses = {"127.0.0.1"};
  Certificate cert = *IssueCertificate(t, key.public_key(), ca.key, &ca.cert);
  return {cert, cert.ToPem(), key.ToPem()};
}

}  // namespace careledger::crypto::testing

#endif  // CARELEDGER_COMMON_CRYPTO_TESTING_TEST_TLS_H_
