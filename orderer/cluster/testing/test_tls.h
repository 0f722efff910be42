// Test-only: TLS identities for cluster tests (server and client authentication for 127.0.0.1), and the
// mutual-TLS server credentials a cluster listener uses.
#ifndef CARELEDGER_ORDERER_CLUSTER_TESTING_TEST_TLS_H_
#define CARELEDGER_ORDERER_CLUSTER_TESTING_TEST_TLS_H_

#include <string>

#include "absl/time/clock.h"
#include "common/crypto/x509_issuer.h"
#include "grpcpp/grpcpp.h"
#include "orderer/cluster/cluster_member.h"

namespace careledger::orderer::cluster::testing {

struct TlsCa {
  crypto::PrivateKey key;
  crypto::Certificate cert;
};

inline TlsCa MakeTlsCa(const std::string& name) {
  crypto::PrivateKey key = *crypto::PrivateKey::Generate();
  crypto::CertificateTemplate t;
  t.subject.common_name = name;
  t.not_before = absl::Now() - absl::Hours(1);
  t.not_after = absl::Now() + absl::Hours(24);
  t.is_ca = true;
  return {key, *crypto::IssueCertificate(t, key.public_key(), key, nullptr)};
}

// A node's TLS identity for 127.0.0.1; its certificate is also returned in *cert_out.
inline ClusterTls IssueTls(const TlsCa& ca, const std::string& name, crypto::Certificate* cert_out) {
  crypto::PrivateKey key = *crypto::PrivateKey::Generate();
  crypto::CertificateTemplate t;
  t.subject.common_name = name;
  t.not_before = absl::Now() - absl::Hours(1);
  t.not_after = absl::Now() + absl::Hours(24);
  t.server_auth = true;
  t.client_auth = true;
  t.dns_names = {"localhost"};
  t.ip_addresses = {"127.0.0.1"};
  crypto::Certificate cert = *crypto::IssueCertificate(t, key.public_key(), ca.key, &ca.cert);
  *cert_out = cert;
  return ClusterTls{cert.ToPem(), key.ToPem(), {ca.cert.ToPem()}};
}

inline std::shared_ptr<grpc::ServerCredentials> MutualTlsServerCredentials(const ClusterTls& tls) {
  grpc::SslServerCredentialsOptions options(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  for (const std::string& root : tls.root_ca_pems) options.pem_root_certs += root;
  options.pem_key_cert_pairs.push_back({tls.private_key_pem, tls.certificate_pem});
  return grpc::SslServerCredentials(options);
}

}  // namespace careledger::orderer::cluster::testing

#endif  // CARELEDGER_ORDERER_CLUSTER_TESTING_TEST_TLS_H_
