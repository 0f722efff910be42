// Test-only: a real ChannelRegistry for one orderer (orderer/channel/testing/single_consenter_test_base.h)
// and serialized genesis blocks that make it a consenter, for the admin API's tests.
#ifndef CARELEDGER_ORDERER_ADMIN_TEST_REGISTRY_H_
#define CARELEDGER_ORDERER_ADMIN_TEST_REGISTRY_H_

#include <memory>
#include <string>

#include "orderer/channel/channel_registry.h"
#include "orderer/channel/testing/single_consenter_test_base.h"

namespace careledger::orderer::admin::testing {

class RegistryTest : public orderer::testing::SingleConsenterTestBase {
 protected:
  void SetUp() override {
    SingleConsenterTestBase::SetUp();
    node_.data_dir = dir_.Path("data");
    auto registry = ChannelRegistry::Open(node_, &service_);
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = *std::move(registry);
  }

  void TearDown() override {
    registry_.reset();
    SingleConsenterTestBase::TearDown();
  }

  // The genesis block of `channel` whose only consenter presents `consenter_cert_pem` (by default this
  // node's cluster certificate), serialized.
  std::string Genesis(const std::string& channel, std::string consenter_cert_pem = "") {
    if (consenter_cert_pem.empty()) consenter_cert_pem = cluster_cert_.ToPem();
    absl::StatusOr<::common::Block> block =
        GenesisBlock(channel, consenter_cert_pem, channelconfig::BatchSettings{}.timeout);
    EXPECT_TRUE(block.ok()) << block.status();
    return block.ok() ? block->SerializeAsString() : std::string();
  }

  std::unique_ptr<ChannelRegistry> registry_;
};

}  // namespace careledger::orderer::admin::testing

#endif  // CARELEDGER_ORDERER_ADMIN_TEST_REGISTRY_H_
