#include "common/channelconfig/channel_config.h"

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/channelconfig/genesis.h"
#include "common/channelconfig/test_network.h"
#include "common/configuration.pb.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/marshal.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/msp_config.pb.h"
#include "orderer/configuration.pb.h"
#include "orderer/etcdraft/configuration.pb.h"
#include "peer/configuration.pb.h"

namespace careledger::channelconfig {
namespace {

using ::careledger::channelconfig::testing::MspManagerFor;
using ::careledger::channelconfig::testing::Network;
using ::careledger::channelconfig::testing::TestNetwork;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Bytes(const google::protobuf::MessageLite& message) {
  absl::StatusOr<std::string> bytes = protoutil::Marshal(message, "test message");
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? *bytes : "";
}

template <typename T>
T Parse(const std::string& bytes) {
  T message;
  EXPECT_TRUE(message.ParseFromString(bytes)) << message.GetTypeName();
  return message;
}

::common::Block Genesis(const ChannelSpec& spec) {
  absl::StatusOr<::common::Block> block = CreateGenesisBlock(spec);
  EXPECT_TRUE(block.ok()) << block.status();
  return block.ok() ? *block : ::common::Block();
}

::common::Config BaseConfig() {
  absl::StatusOr<::common::Config> config = BuildChannelConfig(Network().Spec());
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *config : ::common::Config();
}

// The group at `path` ("" is /Channel, "Orderer", "Application/Hospital1", ...), created if absent.
::common::ConfigGroup& GroupAt(::common::Config& config, const std::string& path) {
  ::common::ConfigGroup* group = config.mutable_channel_group();
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    group = &(*group->mutable_groups())[path.substr(start, end - start)];
    start = end + 1;
  }
  return *group;
}

// Parses value `key` of the group at `path` as T, lets `edit` change it, and stores it back.
template <typename T>
void EditValue(::common::Config& config, const std::string& path, const std::string& key,
               const std::function<void(T&)>& edit) {
  ::common::ConfigValue& value = (*GroupAt(config, path).mutable_values())[key];
  T message = Parse<T>(value.value());
  edit(message);
  value.set_value(Bytes(message));
}

// Edits the etcdraft metadata inside /Channel/Orderer/ConsensusType.
void EditRaft(::common::Config& config, const std::function<void(::etcdraft::ConfigMetadata&)>& edit) {
  EditValue<::orderer::ConsensusType>(config, "Orderer", "ConsensusType", [&](::orderer::ConsensusType& type) {
    auto metadata = Parse<::etcdraft::ConfigMetadata>(type.metadata());
    edit(metadata);
    type.set_metadata(Bytes(metadata));
  });
}

// Edits the FabricMSPConfig inside the MSP value of the organisation at `path`.
void EditMsp(::common::Config& config, const std::string& path,
             const std::function<void(::msp::FabricMSPConfig&)>& edit) {
  EditValue<::msp::MSPConfig>(config, path, "MSP", [&](::msp::MSPConfig& msp) {
    auto fabric = Parse<::msp::FabricMSPConfig>(msp.config());
    edit(fabric);
    msp.set_config(Bytes(fabric));
  });
}

TEST(ChannelConfigTest, EveryFieldOfTheGenesisBlockComesBack) {
  const TestNetwork& net = Network();
  ChannelSpec spec = net.Spec();
  spec.acls["qscc/GetChainInfo"] = "/Channel/Application/Readers";
  spec.acls["peer/Propose"] = "/Channel/Application/Writers";
  spec.batch = {.max_message_count = 100,
                .absolute_max_bytes = 4096,
                .preferred_max_bytes = 1024,
                .timeout = absl::Milliseconds(250)};
  spec.raft = {.tick_interval = absl::Milliseconds(100),
               .election_tick = 20,
               .heartbeat_tick = 2,
               .max_inflight_blocks = 7,
               .snapshot_interval_size = 1 << 20};
  spec.capabilities.application = {"V2_0", "V1_4_2"};
  spec.application_orgs[1].anchor_peers = {{"peer0.hospital2.example.org", 8051},
                                           {"peer1.hospital2.example.org", 9051}};

  const ::common::Block block = Genesis(spec);
  absl::StatusOr<ChannelConfig> parsed = ChannelConfig::FromConfigBlock(block);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const ChannelConfig& config = *parsed;

  EXPECT_EQ(config.channel_id(), "healthchannel");
  EXPECT_EQ(config.sequence(), 0u);
  absl::StatusOr<::common::Config> built = BuildChannelConfig(spec);
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(Bytes(config.config()), Bytes(*built));

  ASSERT_EQ(config.application_orgs().size(), 2u);
  const ApplicationOrg& h1 = config.application_orgs()[0];
  EXPECT_EQ(h1.name, "Hospital1");
  EXPECT_EQ(h1.msp_id, "Hospital1MSP");
  EXPECT_EQ(Bytes(h1.msp_config), Bytes(net.hospital1().MspConfig()));
  EXPECT_THAT(h1.anchor_peers, ElementsAre(AnchorPeer{"peer0.hospital1.example.org", 7051}));
  const ApplicationOrg& h2 = config.application_orgs()[1];
  EXPECT_EQ(h2.name, "Hospital2");
  EXPECT_EQ(h2.msp_id, "Hospital2MSP");
  EXPECT_THAT(h2.anchor_peers, ElementsAre(AnchorPeer{"peer0.hospital2.example.org", 8051},
                                           AnchorPeer{"peer1.hospital2.example.org", 9051}));
  EXPECT_EQ(config.FindApplicationOrg("Hospital2MSP"), &h2);
  EXPECT_EQ(config.FindApplicationOrg("OrdererMSP"), nullptr);

  ASSERT_EQ(config.orderer_orgs().size(), 1u);
  const OrdererOrg& orderer = config.orderer_orgs()[0];
  EXPECT_EQ(orderer.name, "Orderer");
  EXPECT_EQ(orderer.msp_id, "OrdererMSP");
  EXPECT_EQ(Bytes(orderer.msp_config), Bytes(net.orderer_org().MspConfig()));
  EXPECT_THAT(orderer.endpoints, ElementsAre("orderer0.orderer.example.org:7050", "orderer1.orderer.example.org:7050",
                                             "orderer2.orderer.example.org:7050"));
  EXPECT_EQ(config.FindOrdererOrg("OrdererMSP"), &orderer);
  EXPECT_EQ(config.orderer_addresses(), orderer.endpoints);

  EXPECT_EQ(config.batch(), spec.batch);
  EXPECT_EQ(config.max_channels(), 0u);
  EXPECT_EQ(config.consensus_type(), "etcdraft");
  EXPECT_EQ(config.consensus_state(), ConsensusState::kNormal);
  EXPECT_EQ(config.raft_options(), spec.raft);
  ASSERT_EQ(config.consenters().size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const Consenter& consenter = config.consenters()[i];
    EXPECT_EQ(consenter.id, i + 1);
    EXPECT_EQ(consenter.msp_id, "OrdererMSP");
    EXPECT_EQ(consenter.host, spec.consenters[i].host);
    EXPECT_EQ(consenter.port, 7050u);
    EXPECT_EQ(consenter.client_tls_cert_pem, spec.consenters[i].client_tls_cert_pem);
    EXPECT_EQ(consenter.server_tls_cert_pem, spec.consenters[i].server_tls_cert_pem);
  }

  EXPECT_THAT(config.capabilities().channel, ElementsAre("V2_0"));
  EXPECT_THAT(config.capabilities().orderer, ElementsAre("V2_0"));
  EXPECT_THAT(config.capabilities().application, ElementsAre("V1_4_2", "V2_0"));  // sorted
  EXPECT_TRUE(config.CheckCapabilitiesSupported().ok());
  EXPECT_EQ(config.acls(), spec.acls);

  std::vector<std::string> msp_ids;
  for (const ::msp::FabricMSPConfig& msp : config.MspConfigs()) msp_ids.push_back(msp.name());
  EXPECT_THAT(msp_ids, ElementsAre("Hospital1MSP", "Hospital2MSP", "OrdererMSP"));
  EXPECT_NE(MspManagerFor(config), nullptr);  // the definitions build real MSPs
  EXPECT_NE(config.policy_manager().Get("/Channel/Application/Hospital2/Endorsement"), nullptr);
}

// A config as Fabric's configtxgen writes one for Raft, assembled by hand (no Orderers mapping, no global
// addresses, ACLs), serialized with plain (non-deterministic) protobuf and read back.
TEST(ChannelConfigTest, OfChainReadsTheConfigBlockTheLastBlockNames) {
  const ::common::Block genesis = Genesis(Network().Spec());
  int reads = 0;
  auto reader = [&](uint64_t number) -> absl::StatusOr<::common::Block> {
    reads++;
    if (number != 0) return absl::NotFoundError("no such block");
    return genesis;
  };
  absl::StatusOr<ChannelConfig> config = ChannelConfig::OfChain(1, reader);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->channel_id(), Network().Spec().channel_id);
  EXPECT_EQ(reads, 1);  // the last block is the config block: read once
  EXPECT_EQ(ChannelConfig::OfChain(0, reader).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ChannelConfig::OfChain(2, reader).status().code(), absl::StatusCode::kNotFound);
}

TEST(ChannelConfigTest, HandBuiltConfigSurvivesSerialization) {
  const TestNetwork& net = Network();
  auto policy = [](const PolicySpec& spec) {
    ::common::ConfigPolicy config_policy;
    absl::StatusOr<::common::Policy> encoded = EncodePolicy(spec);
    EXPECT_TRUE(encoded.ok()) << encoded.status();
    if (encoded.ok()) *config_policy.mutable_policy() = *encoded;
    config_policy.set_mod_policy("Admins");
    return config_policy;
  };
  auto value = [](const google::protobuf::Message& message) {
    ::common::ConfigValue config_value;
    config_value.set_value(message.SerializeAsString());
    config_value.set_mod_policy("Admins");
    return config_value;
  };
  auto standard_policies = [&](::common::ConfigGroup& group) {
    (*group.mutable_policies())["Readers"] = policy(PolicySpec::ImplicitMeta("ANY Readers"));
    (*group.mutable_policies())["Writers"] = policy(PolicySpec::ImplicitMeta("ANY Writers"));
    (*group.mutable_policies())["Admins"] = policy(PolicySpec::ImplicitMeta("MAJORITY Admins"));
  };
  auto msp_value = [&](const msp::testing::TestOrg& org) {
    ::msp::MSPConfig msp;
    msp.set_config(org.MspConfig().SerializeAsString());
    return value(msp);
  };
  auto org_policies = [&](::common::ConfigGroup& group, const std::string& id) {
    (*group.mutable_policies())["Readers"] = policy(PolicySpec::Signature("OR('" + id + ".member')"));
    (*group.mutable_policies())["Writers"] = policy(PolicySpec::Signature("OR('" + id + ".member')"));
    (*group.mutable_policies())["Admins"] = policy(PolicySpec::Signature("OR('" + id + ".admin')"));
  };

  ::common::Config config;
  config.set_sequence(7);
  ::common::ConfigGroup& root = *config.mutable_channel_group();
  standard_policies(root);
  ::common::HashingAlgorithm hashing;
  hashing.set_name("SHA256");
  (*root.mutable_values())["HashingAlgorithm"] = value(hashing);
  ::common::BlockDataHashingStructure width;
  width.set_width(0xFFFFFFFF);
  (*root.mutable_values())["BlockDataHashingStructure"] = value(width);

  ::common::ConfigGroup& orderer = (*root.mutable_groups())["Orderer"];
  standard_policies(orderer);
  (*orderer.mutable_policies())["BlockValidation"] = policy(PolicySpec::ImplicitMeta("ANY Writers"));
  ::orderer::BatchSize batch;
  batch.set_max_message_count(10);
  batch.set_absolute_max_bytes(99 * 1024 * 1024);
  batch.set_preferred_max_bytes(512 * 1024);
  (*orderer.mutable_values())["BatchSize"] = value(batch);
  ::orderer::BatchTimeout timeout;
  timeout.set_timeout("1m30s");
  (*orderer.mutable_values())["BatchTimeout"] = value(timeout);
  ::etcdraft::ConfigMetadata raft;
  for (int i = 0; i < 2; ++i) {
    ::etcdraft::Consenter* consenter = raft.add_consenters();
    consenter->set_host("raft" + std::to_string(i));
    consenter->set_port(7050);
    consenter->set_client_tls_cert(net.consenter_cert(i));
    consenter->set_server_tls_cert(net.consenter_cert(i));
  }
  raft.mutable_options()->set_tick_interval("500ms");
  raft.mutable_options()->set_election_tick(10);
  raft.mutable_options()->set_heartbeat_tick(1);
  raft.mutable_options()->set_max_inflight_blocks(5);
  ::orderer::ConsensusType consensus;
  consensus.set_type("etcdraft");
  consensus.set_state(::orderer::ConsensusType::STATE_MAINTENANCE);
  consensus.set_metadata(raft.SerializeAsString());
  (*orderer.mutable_values())["ConsensusType"] = value(consensus);
  ::orderer::ChannelRestrictions restrictions;
  restrictions.set_max_count(3);
  (*orderer.mutable_values())["ChannelRestrictions"] = value(restrictions);
  ::common::ConfigGroup& orderer_org = (*orderer.mutable_groups())["OrdererOrg"];
  org_policies(orderer_org, "OrdererMSP");
  (*orderer_org.mutable_values())["MSP"] = msp_value(net.orderer_org());

  ::common::ConfigGroup& app = (*root.mutable_groups())["Application"];
  standard_policies(app);
  ::protos::ACLs acls;
  (*acls.mutable_acls())["event/Block"].set_policy_ref("/Channel/Application/Readers");
  (*app.mutable_values())["ACLs"] = value(acls);
  for (const auto* org : {&net.hospital1(), &net.hospital2()}) {
    ::common::ConfigGroup& org_group = (*app.mutable_groups())[org->msp_id().substr(0, 9)];
    org_policies(org_group, org->msp_id());
    (*org_group.mutable_values())["MSP"] = msp_value(*org);
  }

  ::common::Config reread;
  ASSERT_TRUE(reread.ParseFromString(config.SerializeAsString()));
  absl::StatusOr<ChannelConfig> parsed = ChannelConfig::FromConfig(reread, "hand-built.channel");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->channel_id(), "hand-built.channel");
  EXPECT_EQ(parsed->sequence(), 7u);
  EXPECT_EQ(Bytes(parsed->config()), Bytes(config));
  EXPECT_EQ(parsed->batch().max_message_count, 10u);
  EXPECT_EQ(parsed->batch().absolute_max_bytes, 99u * 1024 * 1024);
  EXPECT_EQ(parsed->batch().preferred_max_bytes, 512u * 1024);
  EXPECT_EQ(parsed->batch().timeout, absl::Seconds(90));
  EXPECT_EQ(parsed->max_channels(), 3u);
  EXPECT_EQ(parsed->consensus_state(), ConsensusState::kMaintenance);
  EXPECT_EQ(parsed->raft_options().snapshot_interval_size, 0u);
  ASSERT_EQ(parsed->consenters().size(), 2u);
  EXPECT_EQ(parsed->consenters()[1].id, 2u);      // no Orderers value: the position
  EXPECT_EQ(parsed->consenters()[1].msp_id, "");  // ... and no organisation
  EXPECT_EQ(parsed->consenters()[1].host, "raft1");
  EXPECT_TRUE(parsed->orderer_addresses().empty());
  EXPECT_TRUE(parsed->capabilities().channel.empty());  // no Capabilities value: none
  EXPECT_TRUE(parsed->capabilities().application.empty());
  EXPECT_EQ(parsed->acls().at("event/Block"), "/Channel/Application/Readers");
  ASSERT_EQ(parsed->orderer_orgs().size(), 1u);
  EXPECT_EQ(parsed->orderer_orgs()[0].name, "OrdererOrg");
  EXPECT_TRUE(parsed->orderer_orgs()[0].endpoints.empty());
  ASSERT_EQ(parsed->application_orgs().size(), 2u);
  EXPECT_EQ(parsed->application_orgs()[0].name, "Hospital1");
  EXPECT_TRUE(parsed->application_orgs()[0].anchor_peers.empty());
  EXPECT_NE(parsed->policy_manager().Get("/Channel/Application/Hospital2/Writers"), nullptr);
  EXPECT_EQ(parsed->policy_manager().Get("/Channel/Application/Endorsement"), nullptr);  // not required
}

TEST(ChannelConfigTest, UnsupportedCapabilitiesAreReportedSeparately) {
  ChannelSpec spec = Network().Spec();
  spec.capabilities.application = {"V2_5"};
  absl::StatusOr<ChannelConfig> config = ChannelConfig::FromConfigBlock(Genesis(spec));
  ASSERT_TRUE(config.ok()) << config.status();  // tools can still read it
  absl::Status supported = config->CheckCapabilitiesSupported();
  EXPECT_EQ(supported.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(supported.message(), HasSubstr("application capability \"V2_5\" is not supported"));

  spec = Network().Spec();
  spec.capabilities.channel = {"V3_0"};
  config = ChannelConfig::FromConfigBlock(Genesis(spec));
  ASSERT_TRUE(config.ok());
  EXPECT_THAT(config->CheckCapabilitiesSupported().message(), HasSubstr("channel capability \"V3_0\""));
}

struct ConfigErrorCase {
  std::string name;
  std::function<void(::common::Config&)> mutate;
  std::string want;
};

::common::ConfigValue Garbage() {
  ::common::ConfigValue value;
  value.set_value("\xff\xff\xff\xff");
  return value;
}

// Every rule of the header comment, one at a time, with the message it must give.
TEST(ChannelConfigTest, RefusesEachMalformedElementNamingItsPath) {
  const TestNetwork& net = Network();
  const ConfigErrorCase cases[] = {
      // The root.
      {"no channel group", [](auto& c) { c.clear_channel_group(); }, "/Channel: the config has no channel group"},
      {"unknown root value", [](auto& c) { (*GroupAt(c, "").mutable_values())["Colour"]; },
       "/Channel: unknown value \"Colour\""},
      {"unknown group", [](auto& c) { GroupAt(c, "Gossip"); }, "/Channel: unknown group \"Gossip\""},
      {"system channel", [](auto& c) { GroupAt(c, "Consortiums"); },
       "/Channel/Consortiums: system channel configurations are not supported"},
      {"no hashing algorithm", [](auto& c) { GroupAt(c, "").mutable_values()->erase("HashingAlgorithm"); },
       "/Channel: required value HashingAlgorithm is missing"},
      {"SHA3",
       [](auto& c) {
         EditValue<::common::HashingAlgorithm>(c, "", "HashingAlgorithm", [](auto& h) { h.set_name("SHA3_256"); });
       },
       "/Channel/HashingAlgorithm: unsupported hashing algorithm \"SHA3_256\" (only SHA256)"},
      {"garbage hashing algorithm", [](auto& c) { (*GroupAt(c, "").mutable_values())["HashingAlgorithm"] = Garbage(); },
       "/Channel/HashingAlgorithm: malformed HashingAlgorithm (common.HashingAlgorithm)"},
      {"Merkle width",
       [](auto& c) {
         EditValue<::common::BlockDataHashingStructure>(c, "", "BlockDataHashingStructure",
                                                        [](auto& s) { s.set_width(2); });
       },
       "/Channel/BlockDataHashingStructure: unsupported width 2 (only 4294967295)"},
      {"no width", [](auto& c) { GroupAt(c, "").mutable_values()->erase("BlockDataHashingStructure"); },
       "/Channel: required value BlockDataHashingStructure is missing"},
      {"empty global address",
       [](auto& c) {
         EditValue<::common::OrdererAddresses>(c, "", "OrdererAddresses", [](auto& a) { a.add_addresses(""); });
       },
       "/Channel/OrdererAddresses: empty address"},
      {"empty capability",
       [](auto& c) {
         EditValue<::common::Capabilities>(c, "", "Capabilities", [](auto& a) { (*a.mutable_capabilities())[""]; });
       },
       "/Channel/Capabilities: empty capability name"},
      {"no orderer group", [](auto& c) { c.mutable_channel_group()->mutable_groups()->erase("Orderer"); },
       "/Channel: required group Orderer is missing"},
      {"no application group", [](auto& c) { c.mutable_channel_group()->mutable_groups()->erase("Application"); },
       "/Channel: required group Application is missing"},
      {"no channel Admins", [](auto& c) { c.mutable_channel_group()->mutable_policies()->erase("Admins"); },
       "/Channel: required policy Admins is missing"},

      // The orderer group.
      {"unknown orderer value", [](auto& c) { (*GroupAt(c, "Orderer").mutable_values())["Speed"]; },
       "/Channel/Orderer: unknown value \"Speed\""},
      {"no BlockValidation", [](auto& c) { GroupAt(c, "Orderer").mutable_policies()->erase("BlockValidation"); },
       "/Channel/Orderer: required policy BlockValidation is missing"},
      {"no BatchSize", [](auto& c) { GroupAt(c, "Orderer").mutable_values()->erase("BatchSize"); },
       "/Channel/Orderer: required value BatchSize is missing"},
      {"zero max message count",
       [](auto& c) {
         EditValue<::orderer::BatchSize>(c, "Orderer", "BatchSize", [](auto& b) { b.set_max_message_count(0); });
       },
       "/Channel/Orderer/BatchSize: max_message_count must be at least 1"},
      {"zero absolute max",
       [](auto& c) {
         EditValue<::orderer::BatchSize>(c, "Orderer", "BatchSize", [](auto& b) { b.set_absolute_max_bytes(0); });
       },
       "/Channel/Orderer/BatchSize: absolute_max_bytes must be at least 1"},
      {"zero preferred max",
       [](auto& c) {
         EditValue<::orderer::BatchSize>(c, "Orderer", "BatchSize", [](auto& b) { b.set_preferred_max_bytes(0); });
       },
       "/Channel/Orderer/BatchSize: preferred_max_bytes must be at least 1"},
      {"preferred above absolute",
       [](auto& c) {
         EditValue<::orderer::BatchSize>(c, "Orderer", "BatchSize", [](auto& b) {
           b.set_absolute_max_bytes(100);
           b.set_preferred_max_bytes(101);
         });
       },
       "/Channel/Orderer/BatchSize: preferred_max_bytes (101) must not exceed absolute_max_bytes (100)"},
      {"no BatchTimeout", [](auto& c) { GroupAt(c, "Orderer").mutable_values()->erase("BatchTimeout"); },
       "/Channel/Orderer: required value BatchTimeout is missing"},
      {"unparsable timeout",
       [](auto& c) {
         EditValue<::orderer::BatchTimeout>(c, "Orderer", "BatchTimeout", [](auto& t) { t.set_timeout("2 seconds"); });
       },
       "/Channel/Orderer/BatchTimeout: unknown unit \" seconds\" in duration \"2 seconds\""},
      {"empty timeout",
       [](auto& c) {
         EditValue<::orderer::BatchTimeout>(c, "Orderer", "BatchTimeout", [](auto& t) { t.set_timeout(""); });
       },
       "/Channel/Orderer/BatchTimeout: no number in duration \"\""},
      {"zero timeout",
       [](auto& c) {
         EditValue<::orderer::BatchTimeout>(c, "Orderer", "BatchTimeout", [](auto& t) { t.set_timeout("0s"); });
       },
       "/Channel/Orderer/BatchTimeout: timeout \"0s\" must be positive"},
      {"negative timeout",
       [](auto& c) {
         EditValue<::orderer::BatchTimeout>(c, "Orderer", "BatchTimeout", [](auto& t) { t.set_timeout("-1s"); });
       },
       "/Channel/Orderer/BatchTimeout: timeout \"-1s\" must be positive"},
      {"garbage channel restrictions",
       [](auto& c) { (*GroupAt(c, "Orderer").mutable_values())["ChannelRestrictions"] = Garbage(); },
       "/Channel/Orderer/ChannelRestrictions: malformed"},
      {"garbage Kafka brokers", [](auto& c) { (*GroupAt(c, "Orderer").mutable_values())["KafkaBrokers"] = Garbage(); },
       "/Channel/Orderer/KafkaBrokers: malformed"},

      // Consensus.
      {"no ConsensusType", [](auto& c) { GroupAt(c, "Orderer").mutable_values()->erase("ConsensusType"); },
       "/Channel/Orderer: required value ConsensusType is missing"},
      {"solo",
       [](auto& c) {
         EditValue<::orderer::ConsensusType>(c, "Orderer", "ConsensusType", [](auto& t) { t.set_type("solo"); });
       },
       "/Channel/Orderer/ConsensusType: unsupported consensus type \"solo\" (only etcdraft)"},
      {"unknown state",
       [](auto& c) {
         EditValue<::orderer::ConsensusType>(c, "Orderer", "ConsensusType", [](auto& t) {
           t.set_state(static_cast<::orderer::ConsensusType::State>(5));
         });
       },
       "/Channel/Orderer/ConsensusType: unknown state 5"},
      {"no metadata",
       [](auto& c) {
         EditValue<::orderer::ConsensusType>(c, "Orderer", "ConsensusType", [](auto& t) { t.clear_metadata(); });
       },
       "/Channel/Orderer/ConsensusType: the etcdraft metadata is missing"},
      {"garbage metadata",
       [](auto& c) {
         EditValue<::orderer::ConsensusType>(c, "Orderer", "ConsensusType",
                                             [](auto& t) { t.set_metadata("\x0a\xff"); });
       },
       "/Channel/Orderer/ConsensusType: malformed etcdraft metadata (etcdraft.ConfigMetadata)"},
      {"no options", [](auto& c) { EditRaft(c, [](auto& m) { m.clear_options(); }); },
       "/Channel/Orderer/ConsensusType: the etcdraft options are missing"},
      {"bad tick", [](auto& c) { EditRaft(c, [](auto& m) { m.mutable_options()->set_tick_interval("fast"); }); },
       "/Channel/Orderer/ConsensusType: tick_interval: expected a number in duration \"fast\""},
      {"zero tick", [](auto& c) { EditRaft(c, [](auto& m) { m.mutable_options()->set_tick_interval("0"); }); },
       "/Channel/Orderer/ConsensusType: tick_interval \"0\" must be positive"},
      {"zero heartbeat", [](auto& c) { EditRaft(c, [](auto& m) { m.mutable_options()->set_heartbeat_tick(0); }); },
       "/Channel/Orderer/ConsensusType: heartbeat_tick must be at least 1"},
      {"election too short",
       [](auto& c) {
         EditRaft(c, [](auto& m) {
           m.mutable_options()->set_election_tick(3);
           m.mutable_options()->set_heartbeat_tick(3);
         });
       },
       "/Channel/Orderer/ConsensusType: election_tick (3) must be greater than heartbeat_tick (3)"},
      {"zero inflight", [](auto& c) { EditRaft(c, [](auto& m) { m.mutable_options()->set_max_inflight_blocks(0); }); },
       "/Channel/Orderer/ConsensusType: max_inflight_blocks must be at least 1"},
      {"no consenters",
       [](auto& c) {
         EditRaft(c, [](auto& m) { m.clear_consenters(); });
         GroupAt(c, "Orderer").mutable_values()->erase("Orderers");
       },
       "/Channel/Orderer/ConsensusType: at least one consenter is required"},
      {"consenter without host", [](auto& c) { EditRaft(c, [](auto& m) { m.mutable_consenters(1)->clear_host(); }); },
       "/Channel/Orderer/ConsensusType: consenters[1]: host is missing"},
      {"consenter port 0", [](auto& c) { EditRaft(c, [](auto& m) { m.mutable_consenters(0)->set_port(0); }); },
       "/Channel/Orderer/ConsensusType: consenters[0]: consenter port 0 is not in 1..65535"},
      {"consenter port too big",
       [](auto& c) { EditRaft(c, [](auto& m) { m.mutable_consenters(0)->set_port(65536); }); },
       "consenters[0]: consenter port 65536 is not in 1..65535"},
      {"garbage client cert",
       [](auto& c) {
         EditRaft(c, [](auto& m) { m.mutable_consenters(2)->set_client_tls_cert("-----BEGIN nonsense"); });
       },
       "/Channel/Orderer/ConsensusType: consenters[2]: client TLS certificate:"},
      {"garbage server cert",
       [](auto& c) { EditRaft(c, [](auto& m) { m.mutable_consenters(0)->set_server_tls_cert("junk"); }); },
       "/Channel/Orderer/ConsensusType: consenters[0]: server TLS certificate:"},
      {"missing server cert",
       [](auto& c) { EditRaft(c, [](auto& m) { m.mutable_consenters(2)->clear_server_tls_cert(); }); },
       "/Channel/Orderer/ConsensusType: consenters[2]: server TLS certificate is missing"},
      {"duplicate address",
       [](auto& c) { EditRaft(c, [](auto& m) { m.mutable_consenters(2)->set_host(m.consenters(0).host()); }); },
       "consenters[2]: address \"orderer0.orderer.example.org:7050\" is also consenters[0]'s"},
      {"shared certificate",
       [&net](auto& c) {
         EditRaft(c, [&net](auto& m) { m.mutable_consenters(1)->set_server_tls_cert(net.consenter_cert(0)); });
       },
       "consenters[1]: a TLS certificate is also used by consenters[0]"},

      // The consenter mapping.
      {"mapping too short",
       [](auto& c) {
         EditValue<::common::Orderers>(c, "Orderer", "Orderers",
                                       [](auto& o) { o.mutable_consenter_mapping()->RemoveLast(); });
       },
       "/Channel/Orderer/Orderers: maps 2 consenters but ConsensusType has 3"},
      {"mapping differs",
       [](auto& c) {
         EditValue<::common::Orderers>(c, "Orderer", "Orderers",
                                       [](auto& o) { o.mutable_consenter_mapping(1)->set_port(1); });
       },
       "/Channel/Orderer/Orderers: consenter_mapping[1] (\"orderer1.orderer.example.org:1\") does not match"},
      {"mapping id 0",
       [](auto& c) {
         EditValue<::common::Orderers>(c, "Orderer", "Orderers",
                                       [](auto& o) { o.mutable_consenter_mapping(0)->set_id(0); });
       },
       "/Channel/Orderer/Orderers: consenter_mapping[0]: id must not be 0"},
      {"mapping id twice",
       [](auto& c) {
         EditValue<::common::Orderers>(c, "Orderer", "Orderers",
                                       [](auto& o) { o.mutable_consenter_mapping(2)->set_id(1); });
       },
       "/Channel/Orderer/Orderers: consenter_mapping[2]: id 1 is used twice"},
      {"mapping to an application org",
       [](auto& c) {
         EditValue<::common::Orderers>(c, "Orderer", "Orderers",
                                       [](auto& o) { o.mutable_consenter_mapping(0)->set_msp_id("Hospital1MSP"); });
       },
       "/Channel/Orderer/Orderers: consenter_mapping[0]: MSP ID \"Hospital1MSP\" is not an orderer organisation's"},

      // Organisations.
      {"no orderer orgs", [](auto& c) { GroupAt(c, "Orderer").mutable_groups()->clear(); },
       "/Channel/Orderer: at least one orderer organisation is required"},
      {"no application orgs", [](auto& c) { GroupAt(c, "Application").mutable_groups()->clear(); },
       "/Channel/Application: at least one application organisation is required"},
      {"bad org name",
       [](auto& c) {
         ::common::ConfigGroup copy = GroupAt(c, "Application/Hospital2");
         GroupAt(c, "Application").mutable_groups()->erase("Hospital2");
         (*GroupAt(c, "Application").mutable_groups())["Hospital 2"] = copy;
       },
       "/Channel/Application: organisation group: name \"Hospital 2\" may only contain"},
      {"org with a sub-group", [](auto& c) { GroupAt(c, "Application/Hospital1/Ward"); },
       "/Channel/Application/Hospital1: organisation groups may not have sub-groups"},
      {"unknown org value", [](auto& c) { (*GroupAt(c, "Orderer/Orderer").mutable_values())["AnchorPeers"]; },
       "/Channel/Orderer/Orderer: unknown value \"AnchorPeers\""},
      {"org without Readers", [](auto& c) { GroupAt(c, "Application/Hospital2").mutable_policies()->erase("Readers"); },
       "/Channel/Application/Hospital2: required policy Readers is missing"},
      {"no MSP", [](auto& c) { GroupAt(c, "Application/Hospital1").mutable_values()->erase("MSP"); },
       "/Channel/Application/Hospital1: required value MSP is missing"},
      {"idemix MSP",
       [](auto& c) { EditValue<::msp::MSPConfig>(c, "Application/Hospital1", "MSP", [](auto& m) { m.set_type(1); }); },
       "/Channel/Application/Hospital1/MSP: unsupported MSP type 1 (only 0, X.509, is supported)"},
      {"empty MSP config",
       [](auto& c) { EditValue<::msp::MSPConfig>(c, "Orderer/Orderer", "MSP", [](auto& m) { m.clear_config(); }); },
       "/Channel/Orderer/Orderer/MSP: the FabricMSPConfig is missing"},
      {"garbage MSP config",
       [](auto& c) {
         EditValue<::msp::MSPConfig>(c, "Orderer/Orderer", "MSP", [](auto& m) { m.set_config("\x12\x80"); });
       },
       "/Channel/Orderer/Orderer/MSP: malformed FabricMSPConfig (msp.FabricMSPConfig)"},
      {"garbage MSP value", [](auto& c) { (*GroupAt(c, "Application/Hospital2").mutable_values())["MSP"] = Garbage(); },
       "/Channel/Application/Hospital2/MSP: malformed MSP (msp.MSPConfig)"},
      {"nameless MSP", [](auto& c) { EditMsp(c, "Application/Hospital2", [](auto& m) { m.clear_name(); }); },
       "/Channel/Application/Hospital2/MSP: the FabricMSPConfig has no name (the MSP ID)"},
      {"duplicate MSP ID",
       [](auto& c) { EditMsp(c, "Application/Hospital2", [](auto& m) { m.set_name("Hospital1MSP"); }); },
       "/Channel/Application/Hospital2/MSP: MSP ID \"Hospital1MSP\" is already used by /Channel/Application/Hospital1"},
      {"shared MSP ID, different definition",
       [](auto& c) {
         EditMsp(c, "Orderer/Orderer", [](auto& m) { m.set_name("Hospital2MSP"); });
         EditValue<::common::Orderers>(c, "Orderer", "Orderers", [](auto& o) {
           for (auto& mapping : *o.mutable_consenter_mapping()) mapping.set_msp_id("Hospital2MSP");
         });
       },
       "/Channel/Application/Hospital2/MSP: MSP ID \"Hospital2MSP\" is also defined by /Channel/Orderer/Orderer"},
      {"anchor peer without host",
       [](auto& c) {
         EditValue<::protos::AnchorPeers>(c, "Application/Hospital1", "AnchorPeers",
                                          [](auto& a) { a.mutable_anchor_peers(0)->clear_host(); });
       },
       "/Channel/Application/Hospital1/AnchorPeers: anchor_peers[0]: host is missing"},
      {"negative anchor port",
       [](auto& c) {
         EditValue<::protos::AnchorPeers>(c, "Application/Hospital1", "AnchorPeers",
                                          [](auto& a) { a.mutable_anchor_peers(0)->set_port(-7051); });
       },
       "/Channel/Application/Hospital1/AnchorPeers: anchor_peers[0]: anchor peer port -7051 is not in 1..65535"},
      {"empty endpoint",
       [](auto& c) {
         EditValue<::common::OrdererAddresses>(c, "Orderer/Orderer", "Endpoints",
                                               [](auto& a) { a.set_addresses(1, ""); });
       },
       "/Channel/Orderer/Orderer/Endpoints: empty endpoint"},

      // The application group.
      {"unknown application value", [](auto& c) { (*GroupAt(c, "Application").mutable_values())["BatchSize"]; },
       "/Channel/Application: unknown value \"BatchSize\""},
      {"ACL without policy",
       [](auto& c) {
         ::protos::ACLs acls;
         (*acls.mutable_acls())["peer/Propose"];
         (*GroupAt(c, "Application").mutable_values())["ACLs"].set_value(acls.SerializeAsString());
       },
       "/Channel/Application/ACLs: resource \"peer/Propose\" has no policy"},
      {"no application Writers", [](auto& c) { GroupAt(c, "Application").mutable_policies()->erase("Writers"); },
       "/Channel/Application: required policy Writers is missing"},

      // Policies.
      {"garbage policy",
       [](auto& c) {
         (*GroupAt(c, "Application/Hospital1").mutable_policies())["Admins"].mutable_policy()->set_value("\xff");
       },
       "/Channel/Application/Hospital1/Admins: malformed signature policy (common.SignaturePolicyEnvelope)"},
      {"MSP policy type",
       [](auto& c) { (*GroupAt(c, "Orderer").mutable_policies())["BlockValidation"].mutable_policy()->set_type(2); },
       "/Channel/Orderer/BlockValidation: unsupported policy type 2"},
      {"policy without body", [](auto& c) { (*GroupAt(c, "").mutable_policies())["Readers"].clear_policy(); },
       "/Channel/Readers: policy is missing"},
      {"signed_by out of range",
       [](auto& c) {
         ::common::Policy& policy =
             *(*GroupAt(c, "Application/Hospital2").mutable_policies())["Endorsement"].mutable_policy();
         auto envelope = Parse<::common::SignaturePolicyEnvelope>(policy.value());
         envelope.mutable_rule()->mutable_n_out_of()->mutable_rules(0)->set_signed_by(9);
         policy.set_value(Bytes(envelope));
       },
       "/Channel/Application/Hospital2/Endorsement: "},
      {"bad policy name",
       [](auto& c) {
         (*GroupAt(c, "Application").mutable_policies())[".."] = GroupAt(c, "Application").policies().at("Readers");
       },
       "/Channel/Application: policy: name \"..\" is not allowed"},
  };
  for (const ConfigErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    ::common::Config config = BaseConfig();
    c.mutate(config);
    absl::StatusOr<ChannelConfig> parsed = ChannelConfig::FromConfig(config, "healthchannel");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.want));
  }
}

TEST(ChannelConfigTest, RefusesAnInvalidChannelId) {
  for (const char* id : {"", "Health", "health channel", "9lives", "health/channel"}) {
    absl::StatusOr<ChannelConfig> parsed = ChannelConfig::FromConfig(BaseConfig(), id);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << id;
    EXPECT_THAT(std::string(parsed.status().message()), StartsWith("channel ID")) << id;
  }
  EXPECT_TRUE(ChannelConfig::FromConfig(BaseConfig(), std::string(249, 'a')).ok());
  EXPECT_FALSE(ChannelConfig::FromConfig(BaseConfig(), std::string(250, 'a')).ok());
}

// The layers of a config block, taken apart so each can be broken.
struct Layers {
  ::common::Envelope envelope;
  ::common::Payload payload;
  ::common::ChannelHeader channel_header;
  ::common::SignatureHeader signature_header;
  ::common::ConfigEnvelope config_envelope;

  static Layers Of(const ::common::Block& block) {
    Layers layers;
    layers.envelope = Parse<::common::Envelope>(block.data().data(0));
    layers.payload = Parse<::common::Payload>(layers.envelope.payload());
    layers.channel_header = Parse<::common::ChannelHeader>(layers.payload.header().channel_header());
    layers.signature_header = Parse<::common::SignatureHeader>(layers.payload.header().signature_header());
    layers.config_envelope = Parse<::common::ConfigEnvelope>(layers.payload.data());
    return layers;
  }

  // Reassembles the layers into block `number` with a correct data hash.
  ::common::Block Block(uint64_t number) const {
    ::common::Payload p = payload;
    p.mutable_header()->set_channel_header(Bytes(channel_header));
    p.mutable_header()->set_signature_header(Bytes(signature_header));
    p.set_data(Bytes(config_envelope));
    ::common::Envelope e = envelope;
    e.set_payload(Bytes(p));
    return WithEnvelopeBytes(Bytes(e), number);
  }

  static ::common::Block WithEnvelopeBytes(const std::string& envelope, uint64_t number) {
    ::common::Block block;
    block.mutable_header()->set_number(number);
    block.mutable_data()->add_data(envelope);
    block.mutable_header()->set_data_hash(protoutil::BlockDataHash(block.data()));
    return block;
  }
};

TEST(ChannelConfigTest, ALaterConfigBlockMustBeSigned) {
  Layers layers = Layers::Of(Genesis(Network().Spec()));
  // Block 0 as configtxgen writes it: no creator, no signature.
  EXPECT_TRUE(ChannelConfig::FromConfigBlock(layers.Block(0)).ok());
  // The same envelope as block 7 is refused: a config block after genesis comes signed by an orderer.
  absl::StatusOr<ChannelConfig> unsigned_later = ChannelConfig::FromConfigBlock(layers.Block(7));
  EXPECT_THAT(unsigned_later.status().message(), HasSubstr("config block 7: the config envelope has no creator"));
  layers.signature_header.set_creator("serialized orderer identity");
  EXPECT_THAT(ChannelConfig::FromConfigBlock(layers.Block(7)).status().message(),
              HasSubstr("config block 7: the config envelope has no signature"));
  layers.envelope.set_signature("orderer signature");
  layers.config_envelope.mutable_config()->set_sequence(4);
  absl::StatusOr<ChannelConfig> later = ChannelConfig::FromConfigBlock(layers.Block(7));
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(later->sequence(), 4u);
  // An empty signature header is accepted in block 0 only.
  layers.signature_header.Clear();
  layers.envelope.clear_signature();
  EXPECT_TRUE(ChannelConfig::FromConfigBlock(layers.Block(0)).ok());
}

TEST(ChannelConfigTest, RefusesEachBrokenBlockLayer) {
  const ::common::Block genesis = Genesis(Network().Spec());
  struct Case {
    std::string name;
    std::function<::common::Block()> make;
    std::string want;
  };
  const Case cases[] = {
      {"no header",
       [&] {
         ::common::Block b = genesis;
         b.clear_header();
         return b;
       },
       "config block: the block header is missing"},
      {"no data",
       [&] {
         ::common::Block b = genesis;
         b.mutable_data()->clear_data();
         return b;
       },
       "config block 0: must hold exactly one envelope, holds 0"},
      {"two envelopes",
       [&] {
         ::common::Block b = genesis;
         b.mutable_data()->add_data(b.data().data(0));
         return b;
       },
       "config block 0: must hold exactly one envelope, holds 2"},
      {"wrong data hash",
       [&] {
         ::common::Block b = genesis;
         b.mutable_header()->set_data_hash("x");
         return b;
       },
       "config block 0: the header's data hash does not match the block's data"},
      {"garbage envelope", [] { return Layers::WithEnvelopeBytes("\xff\xff", 0); },
       "config block 0: malformed envelope (common.Envelope)"},
      {"no payload", [] { return Layers::WithEnvelopeBytes("", 0); }, "config block 0: the envelope has no payload"},
      {"garbage payload",
       [] {
         ::common::Envelope e;
         e.set_payload("\xff");
         return Layers::WithEnvelopeBytes(Bytes(e), 0);
       },
       "config block 0: malformed envelope payload (common.Payload)"},
      {"no payload header",
       [&] {
         Layers l = Layers::Of(genesis);
         ::common::Payload p = l.payload;
         p.clear_header();
         ::common::Envelope e;
         e.set_payload(Bytes(p));
         return Layers::WithEnvelopeBytes(Bytes(e), 0);
       },
       "config block 0: the payload has no header"},
      {"no channel header",
       [&] {
         Layers l = Layers::Of(genesis);
         ::common::Payload p = l.payload;
         p.mutable_header()->clear_channel_header();
         ::common::Envelope e;
         e.set_payload(Bytes(p));
         return Layers::WithEnvelopeBytes(Bytes(e), 0);
       },
       "config block 0: the payload has no channel header"},
      {"garbage channel header",
       [&] {
         Layers l = Layers::Of(genesis);
         ::common::Payload p = l.payload;
         p.mutable_header()->set_channel_header("\xff");
         ::common::Envelope e;
         e.set_payload(Bytes(p));
         return Layers::WithEnvelopeBytes(Bytes(e), 0);
       },
       "config block 0: malformed channel header (common.ChannelHeader)"},
      {"garbage signature header",
       [&] {
         Layers l = Layers::Of(genesis);
         ::common::Payload p = l.payload;
         p.mutable_header()->set_signature_header("\xff");
         ::common::Envelope e;
         e.set_payload(Bytes(p));
         return Layers::WithEnvelopeBytes(Bytes(e), 0);
       },
       "config block 0: malformed signature header (common.SignatureHeader)"},
      {"endorser transaction",
       [&] {
         Layers l = Layers::Of(genesis);
         l.channel_header.set_type(::common::ENDORSER_TRANSACTION);
         return l.Block(0);
       },
       "config block 0: the envelope has header type 3, not CONFIG (1)"},
      {"bad channel ID",
       [&] {
         Layers l = Layers::Of(genesis);
         l.channel_header.set_channel_id("");
         return l.Block(0);
       },
       "config block 0: channel header: channel ID is empty"},
      {"no config envelope",
       [&] {
         Layers l = Layers::Of(genesis);
         ::common::Payload p = l.payload;
         p.clear_data();
         ::common::Envelope e;
         e.set_payload(Bytes(p));
         return Layers::WithEnvelopeBytes(Bytes(e), 0);
       },
       "config block 0: the payload has no config envelope"},
      {"garbage config envelope",
       [&] {
         Layers l = Layers::Of(genesis);
         ::common::Payload p = l.payload;
         p.set_data("\x0a\x05\x01");
         ::common::Envelope e;
         e.set_payload(Bytes(p));
         return Layers::WithEnvelopeBytes(Bytes(e), 0);
       },
       "config block 0: malformed config envelope (common.ConfigEnvelope)"},
      {"no config",
       [&] {
         Layers l = Layers::Of(genesis);
         l.config_envelope.clear_config();
         l.config_envelope.mutable_last_update();  // keeps the data non-empty
         return l.Block(0);
       },
       "config block 0: the config envelope has no config"},
      {"no channel group",
       [&] {
         Layers l = Layers::Of(genesis);
         l.config_envelope.mutable_config()->clear_channel_group();
         return l.Block(0);
       },
       "config block 0: the config has no channel group"},
      {"bad config inside",
       [&] {
         Layers l = Layers::Of(genesis);
         l.config_envelope.mutable_config()->mutable_channel_group()->mutable_groups()->erase("Orderer");
         return l.Block(0);
       },
       "/Channel: required group Orderer is missing"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<ChannelConfig> parsed = ChannelConfig::FromConfigBlock(c.make());
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.want));
  }
}

// Visits the path of every group of `config` ("" is the root).
void ForEachGroup(const ::common::ConfigGroup& group, const std::string& path,
                  const std::function<void(const std::string&, const ::common::ConfigGroup&)>& visit) {
  visit(path, group);
  for (const auto& [key, sub_group] : group.groups()) {
    ForEachGroup(sub_group, path.empty() ? key : path + "/" + key, visit);
  }
}

void ExpectOkOrInvalidArgument(const absl::StatusOr<ChannelConfig>& parsed, const std::string& what) {
  if (parsed.ok()) return;
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << what << ": " << parsed.status();
  EXPECT_THAT(std::string(parsed.status().message()), StartsWith("/Channel")) << what;
}

// Hostile input: whatever lands in a value or a policy, the parser answers with an error, never a crash.
TEST(ChannelConfigTest, GarbageInAnyValueOrPolicyIsAnErrorNeverACrash) {
  const ::common::Config base = BaseConfig();
  std::vector<std::pair<std::string, std::string>> values, policies;  // (group path, key)
  ForEachGroup(base.channel_group(), "", [&](const std::string& path, const ::common::ConfigGroup& group) {
    for (const auto& [key, unused] : group.values()) values.emplace_back(path, key);
    for (const auto& [key, unused] : group.policies()) policies.emplace_back(path, key);
  });
  ASSERT_GT(values.size(), 15u);
  ASSERT_GT(policies.size(), 20u);

  std::mt19937 random(20240601);
  auto garbage_for = [&](const std::string& original) {
    std::vector<std::string> garbage = {"\xff",
                                        "\x0a\xff\xff\xff\xff\x0f",
                                        "\x08\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80",
                                        std::string(original.size() / 2, '\0'),
                                        original.substr(0, original.size() / 2),
                                        original + "\xff"};
    std::string flipped = original;
    for (int i = 0; i < 4 && !flipped.empty(); ++i) {
      flipped[random() % flipped.size()] ^= static_cast<char>(1 + random() % 255);
    }
    garbage.push_back(flipped);
    return garbage;
  };

  // One element (a value's or a policy's bytes) of a config, to break: `bytes` finds the bytes, `erase`
  // removes the element.
  struct Element {
    std::string label;
    std::function<std::string*(::common::Config&)> bytes;
    std::function<void(::common::Config&)> erase;
  };
  std::vector<Element> elements;
  for (const auto& [path, key] : values) {
    elements.push_back({path + "/" + key,
                        [path, key](auto& c) { return (*GroupAt(c, path).mutable_values())[key].mutable_value(); },
                        [path, key](auto& c) { GroupAt(c, path).mutable_values()->erase(key); }});
  }
  for (const auto& [path, key] : policies) {
    elements.push_back(
        {path + "/" + key,
         [path, key](auto& c) { return (*GroupAt(c, path).mutable_policies())[key].mutable_policy()->mutable_value(); },
         [path, key](auto& c) { GroupAt(c, path).mutable_policies()->erase(key); }});
  }

  int errors = 0;
  for (const Element& element : elements) {
    ::common::Config copy = base;
    const std::string original = *element.bytes(copy);
    for (const std::string& bytes : garbage_for(original)) {
      ::common::Config config = base;
      *element.bytes(config) = bytes;
      absl::StatusOr<ChannelConfig> parsed = ChannelConfig::FromConfig(config, "healthchannel");
      ExpectOkOrInvalidArgument(parsed, element.label);
      if (!parsed.ok()) ++errors;
    }
    ::common::Config config = base;
    element.erase(config);
    ExpectOkOrInvalidArgument(ChannelConfig::FromConfig(config, "healthchannel"), "without " + element.label);
  }
  EXPECT_GT(errors, static_cast<int>(values.size() + policies.size()));  // most garbage is caught
}

TEST(ChannelConfigTest, MissingGroupsAreErrorsNeverCrashes) {
  const ::common::Config base = BaseConfig();
  std::vector<std::string> paths;
  ForEachGroup(base.channel_group(), "", [&](const std::string& path, const ::common::ConfigGroup&) {
    if (!path.empty()) paths.push_back(path);
  });
  for (const std::string& path : paths) {
    ::common::Config config = base;
    const size_t slash = path.rfind('/');
    ::common::ConfigGroup& parent = GroupAt(config, slash == std::string::npos ? "" : path.substr(0, slash));
    parent.mutable_groups()->erase(slash == std::string::npos ? path : path.substr(slash + 1));
    absl::StatusOr<ChannelConfig> parsed = ChannelConfig::FromConfig(config, "healthchannel");
    ExpectOkOrInvalidArgument(parsed, "without " + path);
    // Removing an organisation leaves a valid channel only where others remain.
    if (path == "Orderer" || path == "Application" || path == "Orderer/Orderer") {
      EXPECT_FALSE(parsed.ok()) << path;
    }
  }
}

TEST(ChannelConfigTest, RandomlyCorruptedBlocksAreErrorsNeverCrashes) {
  const std::string block_bytes = Bytes(Genesis(Network().Spec()));
  std::mt19937 random(7);
  int parsed_blocks = 0;
  for (int round = 0; round < 300; ++round) {
    std::string corrupted = block_bytes;
    const int flips = 1 + static_cast<int>(random() % 3);
    for (int i = 0; i < flips; ++i) corrupted[random() % corrupted.size()] ^= static_cast<char>(1 + random() % 255);
    ::common::Block block;
    if (!block.ParseFromString(corrupted)) continue;
    ++parsed_blocks;
    absl::StatusOr<ChannelConfig> config = ChannelConfig::FromConfigBlock(block);
    if (!config.ok()) {
      EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument) << config.status();
    }
  }
  EXPECT_GT(parsed_blocks, 0);
}

TEST(ChannelConfigTest, CopiesShareTheCompiledPolicies) {
  absl::StatusOr<ChannelConfig> config = ChannelConfig::FromConfigBlock(Genesis(Network().Spec()));
  ASSERT_TRUE(config.ok());
  const ChannelConfig copy = *config;
  EXPECT_EQ(copy.policy_manager().Get("/Channel/Writers"), config->policy_manager().Get("/Channel/Writers"));
  EXPECT_EQ(copy.channel_id(), config->channel_id());
}

}  // namespace
}  // namespace careledger::channelconfig
