// Test-only: TLS identities for cluster tests (server and client authentication for 127.0.0.1), and the
// mutual-TLS server credentials a cluster listener uses.
#ifndef CARELEDGER_ORDERER_CLUSTER_TESTING_TEST_TLS_H_
#define CARELEDGER_ORDERER_CLUSTER_TESTING_TEST_TLS_H_

#include <string>

#include "common/crypto/testing/test_tls.h"
#include "grpcpp/grpcpp.h"
#include "orderer/cluster/cluster_member.h"

namespace careledger::orderer::cluster::testing {

using TlsCa = crypto::testing::TlsCa;
using crypto::testing::MakeTlsCa;

// A node's TLS identity for 127.0.0.1; its certificate is also returned in *cert_out.
inline ClusterTls IssueTls(const TlsCa& ca, const std::string& name, crypto::Certificate* cert_out) {
  crypto::testing::TlsKeyPair tls = crypto::testing::IssueLoopbackTls(ca, name);
  *cert_out = tls.cert;
  return ClusterTls{tls.certificate_pem, tls.private_key_pem, {ca.cert.ToPem()}};
}

inline std::shared_ptr<grpc::ServerCredentials> MutualTlsServerCredentials(const ClusterTls& tls) {
  grpc::SslServerCredentialsOptions options(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  for (const std::string& root : tls.root_ca_pems) options.pem_root_certs += root;
  options.pem_key_cert_pairs.push_back({tls.private_key_pem, tls.certificate_pem});
  return grpc::SslServerCredentials(options);
}

}  // namespace careledger::orderer::cluster::testing

#endif  // CARELEDGER_ORDERER_CLUSTER_TESTING_TEST_TLS_H_
