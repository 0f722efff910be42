#include "network/audit/deliver_block_source.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "network/audit/chain_verifier.h"
#include "peer/gateway/deliver_service.h"
#include "peer/gateway/testing/two_peer_network.h"

namespace careledger::audit {
namespace {

using ::testing::HasSubstr;

// A real peer's chain (the gateway tests' network: `bench` defined through `_lifecycle` by both organisations,
// transactions endorsed and committed by the real committer) served by the peer's real Deliver service.
class DeliverBlockSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(net_.ok());
    ASSERT_TRUE(net_.DefineBench().ok());
    for (int i = 0; i < 3; ++i) {
      absl::StatusOr<std::string> tx =
          net_.TransactAndCommit(net_.client1(), "bench", {"put", "key-" + std::to_string(i), "value"});
      ASSERT_TRUE(tx.ok()) << tx.status();
    }
    deliver_ = std::make_unique<gateway::DeliverService>(net_.peer1_gateway_channels(), gateway::DeliverOptions{});
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(deliver_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    endpoint_.address = "127.0.0.1:" + std::to_string(port);
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  gateway::testing::TwoPeerNetwork net_;
  std::unique_ptr<gateway::DeliverService> deliver_;
  std::unique_ptr<grpc::Server> server_;
  client::GatewayEndpoint endpoint_;
};

TEST_F(DeliverBlockSourceTest, VerifiesThePeersWholeChainAsDelivered) {
  const uint64_t height = net_.peer1_channel().ledger().Height();
  ASSERT_GE(height, 5u);  // genesis, approvals and commit of `bench`, three puts
  absl::StatusOr<std::unique_ptr<DeliverBlockSource>> source =
      DeliverBlockSource::Open(endpoint_, net_.client1(), gateway::testing::kChannelId);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ((*source)->ExpectedHeight(), height);
  EXPECT_THAT((*source)->Describe(), HasSubstr(endpoint_.address));
  absl::StatusOr<VerifyResult> result = VerifyChain(**source);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->intact()) << result->inconsistency->message;
  EXPECT_TRUE(result->peer_chain);
  EXPECT_EQ(result->blocks_checked, height);
  EXPECT_EQ(result->last_commit_hash, *net_.peer1_channel().ledger().CommitHash(height - 1));
}

TEST_F(DeliverBlockSourceTest, ARefusedIdentityOrUnknownChannelCouldNotRun) {
  absl::StatusOr<std::unique_ptr<DeliverBlockSource>> outsider =
      DeliverBlockSource::Open(endpoint_, net_.outsider(), gateway::testing::kChannelId);
  EXPECT_EQ(outsider.status().code(), absl::StatusCode::kPermissionDenied) << outsider.status();
  absl::StatusOr<std::unique_ptr<DeliverBlockSource>> unknown =
      DeliverBlockSource::Open(endpoint_, net_.client1(), "otherchannel");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound) << unknown.status();
  client::GatewayEndpoint nobody;
  nobody.address = "127.0.0.1:1";
  absl::StatusOr<std::unique_ptr<DeliverBlockSource>> unreachable =
      DeliverBlockSource::Open(nobody, net_.client1(), gateway::testing::kChannelId, absl::Milliseconds(300));
  EXPECT_EQ(unreachable.status().code(), absl::StatusCode::kUnavailable) << unreachable.status();
}

}  // namespace
}  // namespace careledger::audit
