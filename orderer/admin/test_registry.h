// Test-only: a real ChannelRegistry for one orderer (its cluster service listening with mutual TLS on
// 127.0.0.1, its data in a temporary folder) and genesis blocks that make it a consenter, for the admin
// API's tests.
#ifndef CARELEDGER_ORDERER_ADMIN_TEST_REGISTRY_H_
#define CARELEDGER_ORDERER_ADMIN_TEST_REGISTRY_H_

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

namespace careledger::orderer::admin::testing {

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_tls_ = cluster::testing::IssueTls(tls_ca_, "orderer0", &cluster_cert_);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", cluster::testing::MutualTlsServerCredentials(cluster_tls_), &cluster_port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    OrdererNode node;
    node.signer = std::make_shared<msp::SigningIdentity>(orderer_org_.Issue("orderer0", msp::NodeRole::kOrderer));
    node.cluster_tls_certificate = cluster_cert_;
    node.connections = std::make_shared<cluster::ClusterConnections>(cluster_tls_);
    node.data_dir = dir_.Path("data");
    node.election_timeout = absl::Milliseconds(300);
    auto registry = ChannelRegistry::Open(node, &service_);
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = *std::move(registry);
  }

  void TearDown() override {
    registry_.reset();
    server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
  }

  // The genesis block of `channel` whose only consenter presents `consenter_cert_pem` (by default this
  // node's cluster certificate), serialized.
  std::string Genesis(const std::string& channel, std::string consenter_cert_pem = "") {
    if (consenter_cert_pem.empty()) consenter_cert_pem = cluster_cert_.ToPem();
    channelconfig::ChannelSpec spec;
    spec.channel_id = channel;
    spec.application_orgs.push_back({"Hospital1", "Hospital1MSP", hospital_.MspConfig(), {}, {}});
    spec.orderer_orgs.push_back({"Orderer", "OrdererMSP", orderer_org_.MspConfig(), {"127.0.0.1:7050"}, {}});
    spec.consenters.push_back(
        {"127.0.0.1", static_cast<uint32_t>(cluster_port_), consenter_cert_pem, consenter_cert_pem, "OrdererMSP"});
    absl::StatusOr<::common::Block> block = channelconfig::CreateGenesisBlock(spec);
    EXPECT_TRUE(block.ok()) << block.status();
    return block.ok() ? block->SerializeAsString() : std::string();
  }

  careledger::testing::ScopedTempDir dir_;
  cluster::testing::TlsCa tls_ca_ = cluster::testing::MakeTlsCa("tlsca.orderer");
  crypto::Certificate cluster_cert_{nullptr};
  cluster::ClusterTls cluster_tls_;
  msp::testing::TestOrg hospital_{"Hospital1MSP"};
  msp::testing::TestOrg orderer_org_{"OrdererMSP"};
  cluster::ClusterService service_;
  std::unique_ptr<grpc::Server> server_;
  int cluster_port_ = 0;
  std::unique_ptr<ChannelRegistry> registry_;
};

}  // namespace careledger::orderer::admin::testing

#endif  // CARELEDGER_ORDERER_ADMIN_TEST_REGISTRY_H_
