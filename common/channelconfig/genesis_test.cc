#include "common/channelconfig/genesis.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/channelconfig/channel_config.h"
#include "common/channelconfig/config_keys.h"
#include "common/channelconfig/test_network.h"
#include "common/configuration.pb.h"
#include "common/policies/policy_parser.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/marshal.h"
#include "common/protoutil/txid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/msp_config.pb.h"
#include "orderer/configuration.pb.h"
#include "orderer/etcdraft/configuration.pb.h"
#include "peer/configuration.pb.h"

namespace careledger::channelconfig {
namespace {

using ::careledger::channelconfig::testing::Network;
using ::careledger::channelconfig::testing::TestNetwork;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

template <typename T>
T Parse(const std::string& bytes) {
  T message;
  EXPECT_TRUE(message.ParseFromString(bytes)) << message.GetTypeName();
  return message;
}

template <typename T>
T Value(const ::common::ConfigGroup& group, const std::string& key) {
  EXPECT_TRUE(group.values().contains(key)) << key;
  return group.values().contains(key) ? Parse<T>(group.values().at(key).value()) : T();
}

template <typename Map>
std::vector<std::string> Keys(const Map& map) {
  std::vector<std::string> keys;
  for (const auto& [key, unused] : map) keys.push_back(key);
  return keys;
}

std::string Bytes(const google::protobuf::MessageLite& message) {
  absl::StatusOr<std::string> bytes = protoutil::Marshal(message, "test message");
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? *bytes : "";
}

// The policy at `name` of `group`, as text: the signature rule, or "<RULE> <sub-policy>".
std::string PolicyText(const ::common::ConfigGroup& group, const std::string& name) {
  if (!group.policies().contains(name)) return "<missing>";
  const ::common::Policy& policy = group.policies().at(name).policy();
  if (policy.type() == ::common::Policy::SIGNATURE) {
    return policies::SignaturePolicyToString(Parse<::common::SignaturePolicyEnvelope>(policy.value()));
  }
  if (policy.type() == ::common::Policy::IMPLICIT_META) {
    const auto meta = Parse<::common::ImplicitMetaPolicy>(policy.value());
    return ::common::ImplicitMetaPolicy::Rule_Name(meta.rule()) + " " + meta.sub_policy();
  }
  return "<type " + std::to_string(policy.type()) + ">";
}

// The canonical text of a signature rule, as PolicyText gives it ("OR('A.admin')" prints as
// "AND('A.admin')": one of one).
std::string Canonical(const std::string& rule) {
  absl::StatusOr<::common::SignaturePolicyEnvelope> envelope = policies::ParseSignaturePolicy(rule);
  EXPECT_TRUE(envelope.ok()) << rule;
  return envelope.ok() ? policies::SignaturePolicyToString(*envelope) : "<invalid>";
}

::common::Config Build(const ChannelSpec& spec) {
  absl::StatusOr<::common::Config> config = BuildChannelConfig(spec);
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *config : ::common::Config();
}

TEST(GenesisTest, TheChannelGroupHasFabricsLayout) {
  const ::common::Config config = Build(Network().Spec());
  EXPECT_EQ(config.sequence(), 0u);
  const ::common::ConfigGroup& root = config.channel_group();
  EXPECT_EQ(root.mod_policy(), "Admins");
  EXPECT_THAT(Keys(root.groups()), UnorderedElementsAre("Orderer", "Application"));
  EXPECT_THAT(Keys(root.values()), UnorderedElementsAre("HashingAlgorithm", "BlockDataHashingStructure",
                                                        "OrdererAddresses", "Capabilities"));
  EXPECT_EQ(Value<::common::HashingAlgorithm>(root, "HashingAlgorithm").name(), "SHA256");
  EXPECT_EQ(Value<::common::BlockDataHashingStructure>(root, "BlockDataHashingStructure").width(), 4294967295u);
  EXPECT_THAT(Value<::common::OrdererAddresses>(root, "OrdererAddresses").addresses(),
              ElementsAre("orderer0.orderer.example.org:7050", "orderer1.orderer.example.org:7050",
                          "orderer2.orderer.example.org:7050"));
  EXPECT_THAT(Keys(Value<::common::Capabilities>(root, "Capabilities").capabilities()), ElementsAre("V2_0"));
  EXPECT_THAT(Keys(root.policies()), UnorderedElementsAre("Readers", "Writers", "Admins"));
  EXPECT_EQ(PolicyText(root, "Readers"), "ANY Readers");
  EXPECT_EQ(PolicyText(root, "Writers"), "ANY Writers");
  EXPECT_EQ(PolicyText(root, "Admins"), "MAJORITY Admins");
}

TEST(GenesisTest, TheOrdererGroupHasFabricsLayout) {
  const TestNetwork& net = Network();
  const ::common::Config config = Build(net.Spec());
  const ::common::ConfigGroup& orderer = config.channel_group().groups().at("Orderer");
  EXPECT_THAT(Keys(orderer.values()), UnorderedElementsAre("ConsensusType", "BatchSize", "BatchTimeout",
                                                           "ChannelRestrictions", "Capabilities", "Orderers"));
  const auto batch = Value<::orderer::BatchSize>(orderer, "BatchSize");
  EXPECT_EQ(batch.max_message_count(), 500u);
  EXPECT_EQ(batch.absolute_max_bytes(), 10u * 1024 * 1024);
  EXPECT_EQ(batch.preferred_max_bytes(), 2u * 1024 * 1024);
  EXPECT_EQ(Value<::orderer::BatchTimeout>(orderer, "BatchTimeout").timeout(), "2s");
  EXPECT_EQ(Value<::orderer::ChannelRestrictions>(orderer, "ChannelRestrictions").max_count(), 0u);

  const auto consensus = Value<::orderer::ConsensusType>(orderer, "ConsensusType");
  EXPECT_EQ(consensus.type(), "etcdraft");
  EXPECT_EQ(consensus.state(), ::orderer::ConsensusType::STATE_NORMAL);
  const auto metadata = Parse<::etcdraft::ConfigMetadata>(consensus.metadata());
  ASSERT_EQ(metadata.consenters_size(), 3);
  EXPECT_EQ(metadata.consenters(1).host(), "orderer1.orderer.example.org");
  EXPECT_EQ(metadata.consenters(1).port(), 7050u);
  EXPECT_EQ(metadata.consenters(1).client_tls_cert(), net.consenter_cert(1));
  EXPECT_EQ(metadata.consenters(1).server_tls_cert(), net.consenter_cert(1));
  EXPECT_EQ(metadata.options().tick_interval(), "500ms");
  EXPECT_EQ(metadata.options().election_tick(), 10u);
  EXPECT_EQ(metadata.options().heartbeat_tick(), 1u);
  EXPECT_EQ(metadata.options().max_inflight_blocks(), 5u);
  EXPECT_EQ(metadata.options().snapshot_interval_size(), 16u * 1024 * 1024);

  const auto orderers = Value<::common::Orderers>(orderer, "Orderers");
  ASSERT_EQ(orderers.consenter_mapping_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(orderers.consenter_mapping(i).id(), static_cast<uint32_t>(i + 1));
    EXPECT_EQ(orderers.consenter_mapping(i).msp_id(), "OrdererMSP");
    EXPECT_EQ(orderers.consenter_mapping(i).host(), metadata.consenters(i).host());
  }

  EXPECT_THAT(Keys(orderer.policies()), UnorderedElementsAre("Readers", "Writers", "Admins", "BlockValidation"));
  EXPECT_EQ(PolicyText(orderer, "BlockValidation"), "ANY Writers");
  EXPECT_EQ(PolicyText(orderer, "Admins"), "MAJORITY Admins");

  ASSERT_THAT(Keys(orderer.groups()), ElementsAre("Orderer"));
  const ::common::ConfigGroup& org = orderer.groups().at("Orderer");
  EXPECT_THAT(Keys(org.values()), UnorderedElementsAre("MSP", "Endpoints"));
  EXPECT_EQ(Value<::common::OrdererAddresses>(org, "Endpoints").addresses_size(), 3);
  const auto msp = Value<::msp::MSPConfig>(org, "MSP");
  EXPECT_EQ(msp.type(), 0);
  EXPECT_EQ(msp.config(), Bytes(net.orderer_org().MspConfig()));
  EXPECT_EQ(PolicyText(org, "Readers"), Canonical("OR('OrdererMSP.member')"));
  EXPECT_EQ(PolicyText(org, "Writers"), Canonical("OR('OrdererMSP.member')"));
  EXPECT_EQ(PolicyText(org, "Admins"), Canonical("OR('OrdererMSP.admin')"));
}

TEST(GenesisTest, TheApplicationGroupHasFabricsLayout) {
  const TestNetwork& net = Network();
  ChannelSpec spec = net.Spec();
  spec.acls["qscc/GetChainInfo"] = "/Channel/Application/Readers";
  const ::common::Config config = Build(spec);
  const ::common::ConfigGroup& app = config.channel_group().groups().at("Application");
  EXPECT_THAT(Keys(app.values()), UnorderedElementsAre("Capabilities", "ACLs"));
  const auto acls = Value<::protos::ACLs>(app, "ACLs");
  ASSERT_TRUE(acls.acls().contains("qscc/GetChainInfo"));
  EXPECT_EQ(acls.acls().at("qscc/GetChainInfo").policy_ref(), "/Channel/Application/Readers");
  EXPECT_THAT(Keys(app.policies()),
              UnorderedElementsAre("Readers", "Writers", "Admins", "Endorsement", "LifecycleEndorsement"));
  EXPECT_EQ(PolicyText(app, "Endorsement"), "MAJORITY Endorsement");
  EXPECT_EQ(PolicyText(app, "LifecycleEndorsement"), "MAJORITY Endorsement");

  ASSERT_THAT(Keys(app.groups()), UnorderedElementsAre("Hospital1", "Hospital2"));
  const ::common::ConfigGroup& h1 = app.groups().at("Hospital1");
  EXPECT_THAT(Keys(h1.values()), UnorderedElementsAre("MSP", "AnchorPeers"));
  const auto anchors = Value<::protos::AnchorPeers>(h1, "AnchorPeers");
  ASSERT_EQ(anchors.anchor_peers_size(), 1);
  EXPECT_EQ(anchors.anchor_peers(0).host(), "peer0.hospital1.example.org");
  EXPECT_EQ(anchors.anchor_peers(0).port(), 7051);
  EXPECT_EQ(Value<::msp::MSPConfig>(h1, "MSP").config(), Bytes(net.hospital1().MspConfig()));
  EXPECT_EQ(PolicyText(h1, "Readers"),
            Canonical("OR('Hospital1MSP.admin', 'Hospital1MSP.peer', 'Hospital1MSP.client')"));
  EXPECT_EQ(PolicyText(h1, "Writers"), Canonical("OR('Hospital1MSP.admin', 'Hospital1MSP.client')"));
  EXPECT_EQ(PolicyText(h1, "Admins"), Canonical("OR('Hospital1MSP.admin')"));
  EXPECT_EQ(PolicyText(h1, "Endorsement"), Canonical("OR('Hospital1MSP.peer')"));
  // No anchor peers: no AnchorPeers value at all, as configtxgen writes it.
  EXPECT_THAT(Keys(app.groups().at("Hospital2").values()), ElementsAre("MSP"));
}

// Every group, value and policy: version 0 and mod_policy "Admins", except the global orderer addresses.
void ExpectVersionsAndModPolicies(const ::common::ConfigGroup& group, const std::string& path) {
  EXPECT_EQ(group.version(), 0u) << path;
  EXPECT_EQ(group.mod_policy(), "Admins") << path;
  for (const auto& [key, value] : group.values()) {
    EXPECT_EQ(value.version(), 0u) << path << "/" << key;
    const std::string want = path == "/Channel" && key == "OrdererAddresses" ? "/Channel/Orderer/Admins" : "Admins";
    EXPECT_EQ(value.mod_policy(), want) << path << "/" << key;
  }
  for (const auto& [key, policy] : group.policies()) {
    EXPECT_EQ(policy.version(), 0u) << path << "/" << key;
    EXPECT_EQ(policy.mod_policy(), "Admins") << path << "/" << key;
  }
  for (const auto& [key, sub_group] : group.groups()) ExpectVersionsAndModPolicies(sub_group, path + "/" + key);
}

TEST(GenesisTest, EveryElementIsVersionZeroWithAdminsModPolicy) {
  ExpectVersionsAndModPolicies(Build(Network().Spec()).channel_group(), "/Channel");
}

TEST(GenesisTest, TheGenesisBlockHasFabricsLayout) {
  const ChannelSpec spec = Network().Spec();
  absl::StatusOr<::common::Block> block = CreateGenesisBlock(spec);
  ASSERT_TRUE(block.ok()) << block.status();

  EXPECT_EQ(block->header().number(), 0u);
  EXPECT_TRUE(block->header().previous_hash().empty());
  ASSERT_EQ(block->data().data_size(), 1);
  EXPECT_EQ(block->header().data_hash(), protoutil::BlockDataHash(block->data()));
  EXPECT_EQ(block->header().data_hash().size(), 32u);

  const auto envelope = Parse<::common::Envelope>(block->data().data(0));
  EXPECT_TRUE(envelope.signature().empty());
  const auto payload = Parse<::common::Payload>(envelope.payload());
  const auto channel_header = Parse<::common::ChannelHeader>(payload.header().channel_header());
  EXPECT_EQ(channel_header.type(), ::common::CONFIG);
  EXPECT_EQ(channel_header.version(), 0);
  EXPECT_EQ(channel_header.channel_id(), "healthchannel");
  EXPECT_EQ(channel_header.epoch(), 0u);
  EXPECT_EQ(channel_header.timestamp().seconds(), absl::ToUnixSeconds(spec.genesis_time));
  EXPECT_EQ(channel_header.timestamp().nanos(), 0);
  const auto signature_header = Parse<::common::SignatureHeader>(payload.header().signature_header());
  EXPECT_TRUE(signature_header.creator().empty());
  EXPECT_EQ(signature_header.nonce().size(), protoutil::kNonceSize);
  EXPECT_TRUE(protoutil::CheckTxId(channel_header.tx_id(), signature_header.nonce(), "").ok());

  const auto config_envelope = Parse<::common::ConfigEnvelope>(payload.data());
  EXPECT_FALSE(config_envelope.has_last_update());
  EXPECT_EQ(Bytes(config_envelope.config()), Bytes(Build(spec)));

  ASSERT_EQ(block->metadata().metadata_size(), 5);
  const auto signatures = Parse<::common::Metadata>(block->metadata().metadata(::common::SIGNATURES));
  EXPECT_TRUE(signatures.signatures().empty());
  const auto orderer_metadata = Parse<::common::OrdererBlockMetadata>(signatures.value());
  EXPECT_TRUE(orderer_metadata.has_last_config());
  EXPECT_EQ(orderer_metadata.last_config().index(), 0u);
  const auto last_config = Parse<::common::Metadata>(block->metadata().metadata(1 /* LAST_CONFIG, deprecated */));
  EXPECT_EQ(Parse<::common::LastConfig>(last_config.value()).index(), 0u);
  EXPECT_EQ(block->metadata().metadata(::common::TRANSACTIONS_FILTER), std::string(1, '\0'));
  EXPECT_TRUE(block->metadata().metadata(3 /* ORDERER, deprecated */).empty());
  EXPECT_TRUE(block->metadata().metadata(::common::COMMIT_HASH).empty());
}

TEST(GenesisTest, SubSecondGenesisTimesAreKept) {
  ChannelSpec spec = Network().Spec();
  spec.genesis_time = absl::FromUnixSeconds(1700000000) + absl::Nanoseconds(123456789);
  absl::StatusOr<::common::Block> block = CreateGenesisBlock(spec);
  ASSERT_TRUE(block.ok()) << block.status();
  const auto payload = Parse<::common::Payload>(Parse<::common::Envelope>(block->data().data(0)).payload());
  const auto header = Parse<::common::ChannelHeader>(payload.header().channel_header());
  EXPECT_EQ(header.timestamp().seconds(), 1700000000);
  EXPECT_EQ(header.timestamp().nanos(), 123456789);

  spec.genesis_time = absl::FromUnixSeconds(-1) + absl::Milliseconds(250);  // before 1970: nanos stay positive
  block = CreateGenesisBlock(spec);
  ASSERT_TRUE(block.ok()) << block.status();
  const auto early = Parse<::common::ChannelHeader>(
      Parse<::common::Payload>(Parse<::common::Envelope>(block->data().data(0)).payload()).header().channel_header());
  EXPECT_EQ(early.timestamp().seconds(), -1);
  EXPECT_EQ(early.timestamp().nanos(), 250000000);
}

TEST(GenesisTest, TheSameSpecGivesTheSameBytes) {
  absl::StatusOr<::common::Block> first = CreateGenesisBlock(Network().Spec());
  absl::StatusOr<::common::Block> second = CreateGenesisBlock(Network().Spec());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(Bytes(*first), Bytes(*second));
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<::common::Block> again = CreateGenesisBlock(Network().Spec());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->data().data(0), first->data().data(0));
  }
}

TEST(GenesisTest, DifferentSpecsOrTimesGiveDifferentTransactionIds) {
  auto tx_id = [](const ChannelSpec& spec) {
    absl::StatusOr<::common::Block> block = CreateGenesisBlock(spec);
    EXPECT_TRUE(block.ok()) << block.status();
    if (!block.ok()) return std::string();
    const auto payload = Parse<::common::Payload>(Parse<::common::Envelope>(block->data().data(0)).payload());
    return Parse<::common::ChannelHeader>(payload.header().channel_header()).tx_id();
  };
  ChannelSpec spec = Network().Spec();
  const std::string base = tx_id(spec);
  spec.genesis_time += absl::Seconds(1);
  EXPECT_NE(tx_id(spec), base);
  spec = Network().Spec();
  spec.batch.max_message_count = 10;
  EXPECT_NE(tx_id(spec), base);
  spec = Network().Spec();
  spec.channel_id = "otherchannel";
  EXPECT_NE(tx_id(spec), base);
}

// Protobuf maps have no order; the block must not depend on the order in which entries were inserted.
TEST(GenesisTest, MapInsertionOrderDoesNotChangeTheBytes) {
  const ::common::Config config = Build(Network().Spec());
  // Rebuild every map of the tree in reverse key order.
  std::function<::common::ConfigGroup(const ::common::ConfigGroup&)> reversed = [&](const ::common::ConfigGroup& g) {
    ::common::ConfigGroup copy;
    copy.set_version(g.version());
    copy.set_mod_policy(g.mod_policy());
    std::vector<std::string> keys = Keys(g.groups());
    std::sort(keys.rbegin(), keys.rend());
    for (const std::string& key : keys) (*copy.mutable_groups())[key] = reversed(g.groups().at(key));
    keys = Keys(g.values());
    std::sort(keys.rbegin(), keys.rend());
    for (const std::string& key : keys) (*copy.mutable_values())[key] = g.values().at(key);
    keys = Keys(g.policies());
    std::sort(keys.rbegin(), keys.rend());
    for (const std::string& key : keys) (*copy.mutable_policies())[key] = g.policies().at(key);
    return copy;
  };
  ::common::Config shuffled;
  *shuffled.mutable_channel_group() = reversed(config.channel_group());
  const absl::Time time = absl::FromUnixSeconds(1700000000);
  absl::StatusOr<::common::Block> a = GenesisBlockFromConfig(config, "healthchannel", time);
  absl::StatusOr<::common::Block> b = GenesisBlockFromConfig(shuffled, "healthchannel", time);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Bytes(*a), Bytes(*b));
}

TEST(GenesisTest, AnOrganisationMayBeBothOrdererAndApplicationOrg) {
  // Fabric's SampleOrg is in both groups; the channel has one MSP for it.
  const TestNetwork& net = Network();
  ChannelSpec spec = net.Spec();
  OrdererOrgSpec both;
  both.name = "Hospital1";
  both.msp_id = "Hospital1MSP";
  both.msp_config = net.hospital1().MspConfig();
  spec.orderer_orgs.push_back(both);
  absl::StatusOr<::common::Block> block = CreateGenesisBlock(spec);
  ASSERT_TRUE(block.ok()) << block.status();
  absl::StatusOr<ChannelConfig> config = ChannelConfig::FromConfigBlock(*block);
  ASSERT_TRUE(config.ok()) << config.status();
  std::vector<std::string> ids;
  for (const auto& msp : config->MspConfigs()) ids.push_back(msp.name());
  EXPECT_THAT(ids, ElementsAre("Hospital1MSP", "Hospital2MSP", "OrdererMSP"));
}

TEST(GenesisTest, EncodePolicyFollowsConfigtxgen) {
  absl::StatusOr<::common::Policy> meta = EncodePolicy(PolicySpec::ImplicitMeta("MAJORITY Admins"));
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ(meta->type(), ::common::Policy::IMPLICIT_META);
  const auto parsed = Parse<::common::ImplicitMetaPolicy>(meta->value());
  EXPECT_EQ(parsed.rule(), ::common::ImplicitMetaPolicy::MAJORITY);
  EXPECT_EQ(parsed.sub_policy(), "Admins");

  absl::StatusOr<::common::Policy> signature = EncodePolicy(PolicySpec::Signature("AND('A.peer', 'B.peer')"));
  ASSERT_TRUE(signature.ok());
  EXPECT_EQ(signature->type(), ::common::Policy::SIGNATURE);
  absl::StatusOr<::common::SignaturePolicyEnvelope> want = policies::ParseSignaturePolicy("AND('A.peer', 'B.peer')");
  ASSERT_TRUE(want.ok());
  EXPECT_EQ(signature->value(), Bytes(*want));

  for (const char* bad :
       {"ANY", "ANY  Readers", "any Readers", "SOME Readers", "ANY Readers Writers", "ANY ", " ANY Readers", ""}) {
    absl::StatusOr<::common::Policy> encoded = EncodePolicy(PolicySpec::ImplicitMeta(bad));
    EXPECT_EQ(encoded.status().code(), absl::StatusCode::kInvalidArgument) << "'" << bad << "'";
  }
  EXPECT_EQ(EncodePolicy(PolicySpec::Signature("OR(")).status().code(), absl::StatusCode::kInvalidArgument);
}

struct SpecErrorCase {
  std::string name;
  std::function<void(ChannelSpec&)> mutate;
  std::string want;
};

TEST(GenesisTest, RefusesBadSpecsNamingTheField) {
  const TestNetwork& net = Network();
  const SpecErrorCase cases[] = {
      {"bad channel ID", [](ChannelSpec& s) { s.channel_id = "Health"; }, "channel_id: channel ID \"Health\""},
      {"empty channel ID", [](ChannelSpec& s) { s.channel_id = ""; }, "channel_id: channel ID is empty"},
      {"no application orgs", [](ChannelSpec& s) { s.application_orgs.clear(); }, "application_orgs: at least one"},
      {"no orderer orgs", [](ChannelSpec& s) { s.orderer_orgs.clear(); }, "orderer_orgs: at least one"},
      {"no consenters", [](ChannelSpec& s) { s.consenters.clear(); }, "consenters: at least one"},
      {"bad org name", [](ChannelSpec& s) { s.application_orgs[0].name = "Hospital/1"; },
       "application_orgs[0] (\"Hospital/1\"): organisation name"},
      {"duplicate org name", [](ChannelSpec& s) { s.application_orgs[1].name = "Hospital1"; },
       "application_orgs[1] (\"Hospital1\"): another organisation of this group has the same name"},
      {"empty MSP ID", [](ChannelSpec& s) { s.orderer_orgs[0].msp_id = ""; },
       "orderer_orgs[0] (\"Orderer\"): msp_id is empty"},
      {"MSP ID not the config name", [](ChannelSpec& s) { s.application_orgs[1].msp_id = "Other"; },
       "application_orgs[1] (\"Hospital2\"): msp_id \"Other\" does not match msp_config.name \"Hospital2MSP\""},
      {"duplicate MSP ID",
       [&net](ChannelSpec& s) { s.application_orgs.push_back(TestNetwork::AppOrg("Hospital1b", net.hospital1())); },
       "application_orgs[2] (\"Hospital1b\"): MSP ID \"Hospital1MSP\" is used by another organisation"},
      {"consenter of an unknown org", [](ChannelSpec& s) { s.consenters[1].msp_id = "Hospital1MSP"; },
       "consenters[1] (\"orderer1.orderer.example.org:7050\"): msp_id \"Hospital1MSP\" is not an orderer"},
      {"zero batch timeout", [](ChannelSpec& s) { s.batch.timeout = absl::ZeroDuration(); },
       "batch.timeout: must be positive"},
      {"infinite batch timeout", [](ChannelSpec& s) { s.batch.timeout = absl::InfiniteDuration(); },
       "batch.timeout: exceeds the largest Go duration"},
      {"negative tick", [](ChannelSpec& s) { s.raft.tick_interval = -absl::Seconds(1); },
       "raft.tick_interval: must be positive"},
      {"bad signature override",
       [](ChannelSpec& s) { s.application_orgs[0].policies["Endorsement"] = PolicySpec::Signature("OR('x.peer'"); },
       "application_orgs[0] (\"Hospital1\"): policy \"Endorsement\":"},
      {"bad implicit meta override",
       [](ChannelSpec& s) { s.policies.application["Endorsement"] = PolicySpec::ImplicitMeta("MOST Endorsement"); },
       "policies.application: policy \"Endorsement\": unknown implicit meta rule \"MOST\""},
      {"bad policy name",
       [](ChannelSpec& s) { s.policies.channel["Read/ers"] = PolicySpec::ImplicitMeta("ANY Readers"); },
       "policies.channel: policy \"Read/ers\": name"},
      {"empty capability", [](ChannelSpec& s) { s.capabilities.orderer.push_back(""); },
       "capabilities.orderer: empty capability name"},
      {"empty ACL policy", [](ChannelSpec& s) { s.acls["qscc/GetChainInfo"] = ""; },
       "acls[\"qscc/GetChainInfo\"]: resource and policy must not be empty"},
      // Rules the config parser enforces come back with the config path.
      {"preferred above absolute", [](ChannelSpec& s) { s.batch.preferred_max_bytes = s.batch.absolute_max_bytes + 1; },
       "channel spec: /Channel/Orderer/BatchSize: preferred_max_bytes (10485761) must not exceed absolute_max_bytes"},
      {"zero max message count", [](ChannelSpec& s) { s.batch.max_message_count = 0; },
       "channel spec: /Channel/Orderer/BatchSize: max_message_count must be at least 1"},
      {"election not above heartbeat", [](ChannelSpec& s) { s.raft.election_tick = 1; },
       "channel spec: /Channel/Orderer/ConsensusType: election_tick (1) must be greater than heartbeat_tick (1)"},
      {"garbage consenter certificate", [](ChannelSpec& s) { s.consenters[2].client_tls_cert_pem = "not a cert"; },
       "channel spec: /Channel/Orderer/ConsensusType: consenters[2]: client TLS certificate:"},
      {"consenter port", [](ChannelSpec& s) { s.consenters[0].port = 70000; },
       "consenter port 70000 is not in 1..65535"},
      {"anchor peer port", [](ChannelSpec& s) { s.application_orgs[0].anchor_peers[0].port = 0; },
       "channel spec: /Channel/Application/Hospital1/AnchorPeers: anchor_peers[0]: anchor peer port 0"},
      {"same MSP ID, different definitions",
       [&net](ChannelSpec& s) {
         OrdererOrgSpec clash;
         clash.name = "H1Orderers";
         clash.msp_id = "Hospital1MSP";
         clash.msp_config = net.hospital1().MspConfig(/*node_ous=*/false);
         s.orderer_orgs.push_back(clash);
       },
       "channel spec: /Channel/Application/Hospital1/MSP: MSP ID \"Hospital1MSP\" is also defined by "
       "/Channel/Orderer/H1Orderers with a different MSP definition"},
  };
  for (const SpecErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    ChannelSpec spec = net.Spec();
    c.mutate(spec);
    absl::StatusOr<::common::Config> config = BuildChannelConfig(spec);
    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(config.status().message(), HasSubstr(c.want));
    EXPECT_EQ(CreateGenesisBlock(spec).status(), config.status());
  }
}

TEST(GenesisTest, GenesisBlockFromConfigRefusesWhatCannotBeBlockZero) {
  ::common::Config config = Build(Network().Spec());
  const absl::Time time = absl::FromUnixSeconds(1700000000);
  EXPECT_THAT(GenesisBlockFromConfig(config, "Bad Channel", time).status().message(), HasSubstr("channel ID"));
  EXPECT_THAT(GenesisBlockFromConfig(config, "healthchannel", absl::InfiniteFuture()).status().message(),
              HasSubstr("outside years 1..9999"));
  EXPECT_THAT(GenesisBlockFromConfig(config, "healthchannel",
                                     absl::FromCivil(absl::CivilSecond(10000, 1, 1), absl::UTCTimeZone()))
                  .status()
                  .message(),
              HasSubstr("outside years 1..9999"));
  EXPECT_TRUE(GenesisBlockFromConfig(config, "healthchannel",
                                     absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), absl::UTCTimeZone()))
                  .ok());
  config.set_sequence(3);
  EXPECT_THAT(GenesisBlockFromConfig(config, "healthchannel", time).status().message(),
              HasSubstr("must have sequence 0, not 3"));
}

TEST(GenesisTest, CustomBatchAndRaftSettingsAreWritten) {
  ChannelSpec spec = Network().Spec();
  spec.batch = {.max_message_count = 10,
                .absolute_max_bytes = 1000,
                .preferred_max_bytes = 1000,
                .timeout = absl::Milliseconds(250)};
  spec.raft.tick_interval = absl::Minutes(1);
  spec.capabilities.application = {"V2_0", "V1_4_2"};
  const ::common::Config config = Build(spec);
  const ::common::ConfigGroup& orderer = config.channel_group().groups().at("Orderer");
  EXPECT_EQ(Value<::orderer::BatchTimeout>(orderer, "BatchTimeout").timeout(), "250ms");
  const auto metadata =
      Parse<::etcdraft::ConfigMetadata>(Value<::orderer::ConsensusType>(orderer, "ConsensusType").metadata());
  EXPECT_EQ(metadata.options().tick_interval(), "1m0s");
}

}  // namespace
}  // namespace careledger::channelconfig
