// The consenters of a channel as the cluster layer knows them: who may call whom, and how to reach them.
#ifndef CARELEDGER_ORDERER_CLUSTER_CLUSTER_MEMBER_H_
#define CARELEDGER_ORDERER_CLUSTER_CLUSTER_MEMBER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/crypto/x509.h"

namespace careledger::orderer::cluster {

struct ClusterMember {
  uint64_t raft_id = 0;
  std::string address;                  // host:port of its cluster listener
  crypto::Certificate client_tls_cert;  // what it presents when it calls us
  crypto::Certificate server_tls_cert;  // what it presents when we call it
};

// Initial metadata a cluster server sends when it admits a stream; a refused stream ends without it.
inline constexpr char kAcceptedMetadataKey[] = "careledger-accepted";

// TLS material of this node for the cluster listener and for calls to other consenters (PEM text).
struct ClusterTls {
  std::string certificate_pem;  // used as both server and client certificate
  std::string private_key_pem;
  std::vector<std::string> root_ca_pems;  // TLS roots of every orderer organisation of the channel(s)
};

}  // namespace careledger::orderer::cluster

#endif  // CARELEDGER_ORDERER_CLUSTER_CLUSTER_MEMBER_H_
