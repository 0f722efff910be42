// The rules of envelope_filter.h that a running channel cannot reach (a channel in maintenance mode, a CRL in
// the channel's MSP definition, a missing policy), checked directly against a parsed channel configuration.
// Everything else is exercised through gRPC in atomic_broadcast_service_test.cc.
#include "orderer/services/envelope_filter.h"

#include "common/channelconfig/genesis.h"
#include "common/channelconfig/test_network.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/msp.h"
#include "orderer/ab.pb.h"
#include "orderer/configuration.pb.h"

namespace careledger::orderer {
namespace {

using ::testing::HasSubstr;

class EnvelopeFilterTest : public ::testing::Test {
 protected:
  // The test network's channel, with `edit` applied to its configuration tree.
  void Build(const std::function<void(::common::Config&)>& edit = [](::common::Config&) {}) {
    channelconfig::ChannelSpec spec = network_.Spec();
    spec.application_orgs[0].msp_config.add_revocation_list(network_.hospital1().Crl({revoked_.certificate()}));
    auto config = channelconfig::BuildChannelConfig(spec);
    ASSERT_TRUE(config.ok()) << config.status();
    edit(*config);
    auto parsed = channelconfig::ChannelConfig::FromConfig(*config, "healthchannel");
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    config_ = std::make_unique<channelconfig::ChannelConfig>(*std::move(parsed));
    std::vector<std::shared_ptr<const msp::Msp>> msps;
    for (const ::msp::FabricMSPConfig& definition : config_->MspConfigs()) msps.push_back(*msp::Msp::Create(definition));
    msps_ = *msp::MspManager::Create(std::move(msps));
  }

  Verdict Check(const msp::SigningIdentity& signer) {
    ::orderer::SeekInfo data;
    auto envelope = protoutil::CreateSignedEnvelope(::common::ENDORSER_TRANSACTION, "healthchannel", signer, data, 0,
                                                    google::protobuf::Timestamp());
    EXPECT_TRUE(envelope.ok()) << envelope.status();
    auto parsed = protoutil::ParseEnvelope(*envelope);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return CheckBroadcastEnvelope(ChannelView{*config_, *msps_}, *envelope, *parsed, kNow);
  }

  static inline const absl::Time kNow = msp::testing::kTestEpoch + absl::Hours(1);
  channelconfig::testing::TestNetwork network_;
  msp::SigningIdentity client_ = network_.hospital1().Issue("client", msp::NodeRole::kClient);
  msp::SigningIdentity revoked_ = network_.hospital1().Issue("revoked", msp::NodeRole::kClient);
  std::unique_ptr<channelconfig::ChannelConfig> config_;
  std::unique_ptr<msp::MspManager> msps_;
};

TEST_F(EnvelopeFilterTest, AcceptsAClientOfAnOrganisation) {
  Build();
  Verdict verdict = Check(client_);
  EXPECT_TRUE(verdict.ok()) << verdict.info;
}

TEST_F(EnvelopeFilterTest, RefusesARevokedCreator) {
  Build();
  Verdict verdict = Check(revoked_);
  EXPECT_EQ(verdict.status, ::common::FORBIDDEN);
  EXPECT_THAT(verdict.info, HasSubstr("not a valid identity on channel healthchannel"));
  EXPECT_THAT(verdict.info, HasSubstr("revoked"));
}

TEST_F(EnvelopeFilterTest, RefusesNormalTransactionsInMaintenanceMode) {
  Build([](::common::Config& config) {
    ::common::ConfigValue& value =
        (*(*config.mutable_channel_group()->mutable_groups())["Orderer"].mutable_values())["ConsensusType"];
    ::orderer::ConsensusType consensus;
    ASSERT_TRUE(consensus.ParseFromString(value.value()));
    consensus.set_state(::orderer::ConsensusType::STATE_MAINTENANCE);
    value.set_value(consensus.SerializeAsString());
  });
  Verdict verdict = Check(client_);
  EXPECT_EQ(verdict.status, ::common::SERVICE_UNAVAILABLE);
  EXPECT_THAT(verdict.info, HasSubstr("maintenance mode"));
}

TEST_F(EnvelopeFilterTest, AMissingPolicyIsTheOrderersFaultNotTheClients) {
  Build();
  ::orderer::SeekInfo data;
  auto envelope = protoutil::CreateSignedEnvelope(::common::ENDORSER_TRANSACTION, "healthchannel", client_, data, 0,
                                                  google::protobuf::Timestamp());
  ASSERT_TRUE(envelope.ok());
  Verdict verdict = CheckCreator(ChannelView{*config_, *msps_}, *envelope, client_.SerializedIdentity(),
                                 "/Channel/NoSuchPolicy", kNow);
  EXPECT_EQ(verdict.status, ::common::INTERNAL_SERVER_ERROR);
  EXPECT_THAT(verdict.info, HasSubstr("/Channel/NoSuchPolicy"));
}

TEST(HeaderTypeLabelTest, NamesKnownAndUnknownTypes) {
  EXPECT_EQ(HeaderTypeLabel(::common::ENDORSER_TRANSACTION), "ENDORSER_TRANSACTION (3)");
  EXPECT_EQ(HeaderTypeLabel(42), "unknown (42)");
}

}  // namespace
}  // namespace careledger::orderer
