// Test-only: the fixture of tests that run one orderer node as the only consenter of its channels: its
// cluster service listening with mutual TLS on 127.0.0.1, the OrdererNode to open a ChannelRegistry with
// (its data in a temporary folder), and genesis blocks naming a consenter.
#ifndef CARELEDGER_ORDERER_CHANNEL_TESTING_SINGLE_CONSENTER_TEST_BASE_H_
#define CARELEDGER_ORDERER_CHANNEL_TESTING_SINGLE_CONSENTER_TEST_BASE_H_

#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "common/channelconfig/genesis.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "msp/testing/test_org.h"
#include "orderer/channel/channel_registry.h"
#include "orderer/cluster/testing/test_tls.h"

namespace careledger::orderer::testing {

class SingleConsenterTestBase : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_tls_ = cluster::testing::IssueTls(tls_ca_, "orderer0", &cluster_cert_);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", cluster::testing::MutualTlsServerCredentials(cluster_tls_), &cluster_port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    node_.signer = std::make_shared<msp::SigningIdentity>(orderer_org_.Issue("orderer0", msp::NodeRole::kOrderer));
    node_.cluster_tls_certificate = cluster_cert_;
    node_.connections = std::make_shared<cluster::ClusterConnections>(cluster_tls_);
    node_.data_dir = dir_.path();
    node_.election_timeout = absl::Milliseconds(300);
  }

  void TearDown() override { server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1))); }

  // The genesis block of `channel` for Hospital1MSP and OrdererMSP whose only consenter presents
  // `consenter_cert_pem` on this node's cluster port; the batch timeout is `batch_timeout`.
  absl::StatusOr<::common::Block> GenesisBlock(const std::string& channel, const std::string& consenter_cert_pem,
                                               absl::Duration batch_timeout) {
    channelconfig::ChannelSpec spec;
    spec.channel_id = channel;
    spec.application_orgs.push_back({"Hospital1", "Hospital1MSP", hospital_.MspConfig(), {}, {}});
    spec.orderer_orgs.push_back({"Orderer", "OrdererMSP", orderer_org_.MspConfig(), {"127.0.0.1:7050"}, {}});
    spec.consenters.push_back(
        {"127.0.0.1", static_cast<uint32_t>(cluster_port_), consenter_cert_pem, consenter_cert_pem, "OrdererMSP"});
    spec.batch.timeout = batch_timeout;
    return channelconfig::CreateGenesisBlock(spec);
  }

  careledger::testing::ScopedTempDir dir_;
  cluster::testing::TlsCa tls_ca_ = cluster::testing::MakeTlsCa("tlsca.orderer");
  crypto::Certificate cluster_cert_{nullptr};  // this node's cluster TLS certificate
  cluster::ClusterTls cluster_tls_;
  msp::testing::TestOrg hospital_{"Hospital1MSP"};
  msp::testing::TestOrg orderer_org_{"OrdererMSP"};
  cluster::ClusterService service_;
  std::unique_ptr<grpc::Server> server_;
  int cluster_port_ = 0;
  OrdererNode node_;
};

}  // namespace careledger::orderer::testing

#endif  // CARELEDGER_ORDERER_CHANNEL_TESTING_SINGLE_CONSENTER_TEST_BASE_H_
