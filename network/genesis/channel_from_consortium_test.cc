#include "network/genesis/channel_from_consortium.h"

#include <filesystem>
#include <string>

#include "absl/time/clock.h"
#include "common/channelconfig/channel_config.h"
#include "common/channelconfig/genesis.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/msp.h"
#include "msp/msp_dir.h"
#include "msp/msp_manager.h"
#include "network/consortium/consortium.h"
#include "network/genesis/channel_summary.h"
#include "network/identity/consortium_identities.h"

namespace careledger::network {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kGenesisTime = absl::FromUnixSeconds(1790000000);

std::map<std::string, OrdererNodeAddresses> ThreeOrderers() {
  return {{"orderer0", {"127.0.0.1:7050", "127.0.0.1:7052"}},
          {"orderer1", {"127.0.0.1:8050", "127.0.0.1:8052"}},
          {"orderer2.orderer.example.org", {"127.0.0.1:9050", "127.0.0.1:9052"}}};
}

// The example consortium, generated into a fresh folder as `careledger crypto generate` does.
class ChannelFromConsortiumTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto consortium = LoadConsortium(std::string(CARELEDGER_SOURCE_DIR) + "/network/examples/healthnet.yaml");
    ASSERT_TRUE(consortium.ok()) << consortium.status();
    consortium_ = *consortium;
    auto identities = GenerateConsortiumIdentities(consortium_, dir_, absl::Now());
    ASSERT_TRUE(identities.ok()) << identities.status();
    options_.orderer_addresses = ThreeOrderers();
    options_.genesis_time = kGenesisTime;
  }

  absl::StatusOr<channelconfig::ChannelConfig> BuildAndParse() {
    auto spec = ChannelSpecFromConsortium(consortium_, dir_, options_);
    if (!spec.ok()) return spec.status();
    auto block = channelconfig::CreateGenesisBlock(*spec);
    if (!block.ok()) return block.status();
    return channelconfig::ChannelConfig::FromConfigBlock(*block);
  }

  std::string ReadOrEmpty(const std::string& path) {
    auto text = file::ReadFile(path);
    EXPECT_TRUE(text.ok()) << text.status();
    return text.ok() ? *text : "";
  }

  careledger::testing::ScopedTempDir temp_;
  const std::string dir_ = temp_.Path("crypto");
  Consortium consortium_;
  ChannelFromConsortiumOptions options_;
};

TEST_F(ChannelFromConsortiumTest, GenesisOfTheExampleConsortiumParsesBack) {
  options_.channel_id = "healthchannel";
  options_.batch.timeout = absl::Milliseconds(250);
  options_.batch.max_message_count = 100;
  options_.batch.preferred_max_bytes = 1 << 20;
  auto config = BuildAndParse();
  ASSERT_TRUE(config.ok()) << config.status();

  EXPECT_EQ(config->channel_id(), "healthchannel");
  std::vector<std::string> app_msps;
  for (const auto& org : config->application_orgs()) app_msps.push_back(org.msp_id);
  EXPECT_THAT(app_msps, ElementsAre("Hospital1MSP", "Hospital2MSP", "RegulatorMSP"));
  ASSERT_EQ(config->orderer_orgs().size(), 1u);
  const channelconfig::OrdererOrg& orderer_org = config->orderer_orgs()[0];
  EXPECT_EQ(orderer_org.name, "Orderer");
  EXPECT_EQ(orderer_org.msp_id, "OrdererMSP");
  EXPECT_THAT(orderer_org.endpoints, ElementsAre("127.0.0.1:7050", "127.0.0.1:8050", "127.0.0.1:9050"));

  ASSERT_EQ(config->consenters().size(), 3u);
  const std::string orderers_dir = dir_ + "/organizations/orderer.example.org/orderers/";
  const uint32_t ports[] = {7052, 8052, 9052};
  for (size_t i = 0; i < 3; ++i) {
    const channelconfig::Consenter& c = config->consenters()[i];
    SCOPED_TRACE(i);
    EXPECT_EQ(c.id, i + 1);
    EXPECT_EQ(c.msp_id, "OrdererMSP");
    EXPECT_EQ(c.host, "127.0.0.1");
    EXPECT_EQ(c.port, ports[i]);
    const std::string cert =
        ReadOrEmpty(orderers_dir + "orderer" + std::to_string(i) + ".orderer.example.org/tls/server.crt");
    EXPECT_EQ(c.server_tls_cert_pem, cert);
    EXPECT_EQ(c.client_tls_cert_pem, cert);
  }

  channelconfig::BatchSettings expected_batch;
  expected_batch.timeout = absl::Milliseconds(250);
  expected_batch.max_message_count = 100;
  expected_batch.preferred_max_bytes = 1 << 20;
  expected_batch.absolute_max_bytes = 10 << 20;
  EXPECT_EQ(config->batch(), expected_batch);

  EXPECT_NE(config->policy_manager().Get("/Channel/Application/Hospital1/Writers"), nullptr);
  EXPECT_NE(config->policy_manager().Get("/Channel/Orderer/Orderer/Writers"), nullptr);
  EXPECT_NE(config->policy_manager().Get("/Channel/Orderer/BlockValidation"), nullptr);
}

TEST_F(ChannelFromConsortiumTest, DefaultsAreFabricsBatchSettingsAndTheHealthChannel) {
  auto config = BuildAndParse();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->channel_id(), "healthchannel");
  EXPECT_EQ(config->batch(), channelconfig::BatchSettings());
  EXPECT_EQ(config->batch().timeout, absl::Seconds(2));
  EXPECT_EQ(config->batch().max_message_count, 500u);
  EXPECT_EQ(config->batch().absolute_max_bytes, 10u << 20);
  EXPECT_EQ(config->batch().preferred_max_bytes, 2u << 20);
}

TEST_F(ChannelFromConsortiumTest, SameInputsGiveTheSameBlock) {
  auto spec = ChannelSpecFromConsortium(consortium_, dir_, options_);
  ASSERT_TRUE(spec.ok()) << spec.status();
  auto a = channelconfig::CreateGenesisBlock(*spec);
  auto b = channelconfig::CreateGenesisBlock(*spec);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString());
}

// The channel's MSP definitions are what nodes will judge identities by: every identity the folder holds must
// be accepted by its own organisation's definition and sign verifiably, and no other organisation's.
TEST_F(ChannelFromConsortiumTest, MspDefinitionsValidateTheGeneratedIdentities) {
  auto config = BuildAndParse();
  ASSERT_TRUE(config.ok()) << config.status();
  auto identities = ListConsortiumIdentities(consortium_, dir_, absl::Now());
  ASSERT_TRUE(identities.ok()) << identities.status();
  ASSERT_GE(identities->size(), 10u);

  std::map<std::string, std::shared_ptr<const msp::Msp>> msps;
  for (const ::msp::FabricMSPConfig& msp_config : config->MspConfigs()) {
    auto m = msp::Msp::Create(msp_config);
    ASSERT_TRUE(m.ok()) << msp_config.name() << ": " << m.status();
    msps[msp_config.name()] = *m;
  }
  ASSERT_EQ(msps.size(), 4u);

  for (const ConsortiumIdentity& id : *identities) {
    SCOPED_TRACE(id.info.full_name);
    auto signer = msp::LoadSigningIdentity(id.info.dir + "/msp", id.msp_id);
    ASSERT_TRUE(signer.ok()) << signer.status();
    ::msp::SerializedIdentity serialized;
    ASSERT_TRUE(serialized.ParseFromString(signer->SerializedIdentity()));
    auto identity = msps.at(id.msp_id)->DeserializeIdentity(serialized);
    ASSERT_TRUE(identity.ok()) << identity.status();
    auto signature = signer->Sign("consent record 42");
    ASSERT_TRUE(signature.ok());
    EXPECT_TRUE((*identity)->Verify("consent record 42", *signature).ok());

    // The same certificate claiming another organisation is refused by that organisation's MSP.
    const std::string other = id.msp_id == "Hospital1MSP" ? "Hospital2MSP" : "Hospital1MSP";
    serialized.set_mspid(other);
    EXPECT_FALSE(msps.at(other)->DeserializeIdentity(serialized).ok());
  }
}

// Regulators never write: no identity of the regulator's organisation, its admin included, satisfies the
// channel's Writers policies (what the orderers and the endorsers check), while it still satisfies Readers.
TEST_F(ChannelFromConsortiumTest, NoRegulatorIdentitySatisfiesTheWritersPolicies) {
  auto config = BuildAndParse();
  ASSERT_TRUE(config.ok()) << config.status();
  auto manager = msp::MspManager::FromDefinitions(config->MspConfigs());
  ASSERT_TRUE(manager.ok()) << manager.status();
  auto identities = ListConsortiumIdentities(consortium_, dir_, absl::Now());
  ASSERT_TRUE(identities.ok()) << identities.status();
  const policies::Policy* channel_writers = config->policy_manager().Get("/Channel/Writers");
  const policies::Policy* application_writers = config->policy_manager().Get("/Channel/Application/Writers");
  const policies::Policy* application_readers = config->policy_manager().Get("/Channel/Application/Readers");
  ASSERT_TRUE(channel_writers != nullptr && application_writers != nullptr && application_readers != nullptr);
  int regulators = 0;
  for (const ConsortiumIdentity& id : *identities) {
    if (id.msp_id != "RegulatorMSP" && id.msp_id != "Hospital1MSP") continue;
    if (id.info.full_name.rfind("Admin@", 0) != 0 && id.info.full_name.rfind("inspector@", 0) != 0 &&
        id.info.full_name.rfind("dr.alice@", 0) != 0) {
      continue;
    }
    SCOPED_TRACE(id.info.full_name);
    auto signer = msp::LoadSigningIdentity(id.info.dir + "/msp", id.msp_id);
    ASSERT_TRUE(signer.ok()) << signer.status();
    auto identity = (*manager)->DeserializeIdentity(signer->SerializedIdentity());
    ASSERT_TRUE(identity.ok()) << identity.status();
    const policies::Identity* signers[] = {identity->get()};
    const bool regulator = id.msp_id == "RegulatorMSP";
    regulators += regulator ? 1 : 0;
    EXPECT_EQ(channel_writers->Evaluate(signers).ok(), !regulator);
    EXPECT_EQ(application_writers->Evaluate(signers).ok(), !regulator);
    EXPECT_TRUE(application_readers->Evaluate(signers).ok());
  }
  EXPECT_EQ(regulators, 2);  // its admin and the inspector
}

TEST_F(ChannelFromConsortiumTest, SummaryNamesOrganisationsConsentersBatchAndPolicies) {
  auto config = BuildAndParse();
  ASSERT_TRUE(config.ok()) << config.status();
  const std::string summary = DescribeChannelConfig(*config);
  EXPECT_THAT(summary, HasSubstr("Channel healthchannel (config sequence 0)"));
  EXPECT_THAT(summary, HasSubstr("  Hospital1  Hospital1MSP\n"));
  EXPECT_THAT(summary, HasSubstr("  Regulator  RegulatorMSP\n"));
  EXPECT_THAT(summary, HasSubstr("endpoints: 127.0.0.1:7050, 127.0.0.1:8050, 127.0.0.1:9050"));
  EXPECT_THAT(summary, HasSubstr("  2  OrdererMSP  127.0.0.1:8052\n"));
  EXPECT_THAT(summary, HasSubstr("CN=orderer1.orderer.example.org"));
  EXPECT_THAT(summary, HasSubstr("Batch: timeout 2s, max 500 messages, preferred 2 MiB, absolute 10 MiB"));
  EXPECT_THAT(summary, HasSubstr("/Channel/Application/Hospital1/Writers"));
  EXPECT_THAT(summary, HasSubstr("Signature OR('Hospital1MSP.admin', 'Hospital1MSP.client')"));
  EXPECT_THAT(summary, HasSubstr("ImplicitMeta MAJORITY Admins"));
}

TEST_F(ChannelFromConsortiumTest, MissingCryptoFolderNamesTheOrganisationAndPath) {
  auto spec = ChannelSpecFromConsortium(consortium_, temp_.Path("nothing-here"), options_);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(spec.status().message(), HasSubstr("organisation Hospital1 (Hospital1MSP)"));
  EXPECT_THAT(spec.status().message(), HasSubstr("nothing-here/organizations/hospital1.example.org/msp"));
}

TEST_F(ChannelFromConsortiumTest, MissingTlsCertificateNamesTheFile) {
  const std::string cert =
      dir_ + "/organizations/orderer.example.org/orderers/orderer1.orderer.example.org/tls/server.crt";
  ASSERT_TRUE(file::RemoveFile(cert).ok());
  auto spec = ChannelSpecFromConsortium(consortium_, dir_, options_);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(spec.status().message(), HasSubstr(cert));
}

TEST_F(ChannelFromConsortiumTest, MalformedTlsCertificateNamesTheFile) {
  const std::string cert =
      dir_ + "/organizations/orderer.example.org/orderers/orderer2.orderer.example.org/tls/server.crt";
  ASSERT_TRUE(file::WriteFileAtomic(cert, "not a certificate").ok());
  auto spec = ChannelSpecFromConsortium(consortium_, dir_, options_);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(spec.status().message(), HasSubstr(cert));
}

TEST_F(ChannelFromConsortiumTest, UnknownOrdererNameIsRefused) {
  options_.orderer_addresses["orderer9"] = {"127.0.0.1:7150", "127.0.0.1:7152"};
  auto spec = ChannelSpecFromConsortium(consortium_, dir_, options_);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(spec.status().message(), HasSubstr("unknown orderer node 'orderer9'"));
  EXPECT_THAT(spec.status().message(), HasSubstr("orderer0, orderer1, orderer2"));
}

TEST_F(ChannelFromConsortiumTest, EveryOrdererNodeNeedsAnAddress) {
  options_.orderer_addresses.erase("orderer1");
  auto spec = ChannelSpecFromConsortium(consortium_, dir_, options_);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(spec.status().message(), HasSubstr("no address given for orderer node orderer1"));
}

TEST_F(ChannelFromConsortiumTest, TheSameNodeTwiceIsRefused) {
  options_.orderer_addresses["orderer0.orderer.example.org"] = {"127.0.0.1:7150", "127.0.0.1:7152"};
  auto spec = ChannelSpecFromConsortium(consortium_, dir_, options_);
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(spec.status().message(), HasSubstr("orderer0.orderer.example.org is given twice"));
}

TEST_F(ChannelFromConsortiumTest, BadAddressNamesTheNode) {
  options_.orderer_addresses["orderer1"].cluster = "127.0.0.1:99999";
  auto spec = ChannelSpecFromConsortium(consortium_, dir_, options_);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(spec.status().message(), HasSubstr("orderer1.orderer.example.org cluster address"));
}

TEST_F(ChannelFromConsortiumTest, InvalidChannelIdIsReportedWhenTheBlockIsBuilt) {
  options_.channel_id = "Health Channel";
  auto spec = ChannelSpecFromConsortium(consortium_, dir_, options_);
  ASSERT_TRUE(spec.ok()) << spec.status();
  auto block = channelconfig::CreateGenesisBlock(*spec);
  ASSERT_FALSE(block.ok());
  EXPECT_EQ(block.status().code(), absl::StatusCode::kInvalidArgument);
}

// Fabric lets an organisation both run peers and order: it then sits in both groups with one MSP.
TEST(ChannelFromConsortiumNamesTest, AHospitalThatOrdersIsInBothGroups) {
  careledger::testing::ScopedTempDir temp;
  auto consortium = ParseConsortium(R"(organizations:
  - name: Hospital1
    peers: [{name: peer0}]
    orderers: [{name: orderer0}]
  - name: Hospital2
)",
                                    "c.yaml");
  ASSERT_TRUE(consortium.ok()) << consortium.status();
  ASSERT_TRUE(GenerateConsortiumIdentities(*consortium, temp.path(), absl::Now()).ok());
  ChannelFromConsortiumOptions options;
  options.orderer_addresses["orderer0"] = {"127.0.0.1:7050", "127.0.0.1:7052"};
  auto spec = ChannelSpecFromConsortium(*consortium, temp.path(), options);
  ASSERT_TRUE(spec.ok()) << spec.status();
  auto block = channelconfig::CreateGenesisBlock(*spec);
  ASSERT_TRUE(block.ok()) << block.status();
  auto config = channelconfig::ChannelConfig::FromConfigBlock(*block);
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->application_orgs().size(), 2u);
  ASSERT_EQ(config->orderer_orgs().size(), 1u);
  EXPECT_EQ(config->orderer_orgs()[0].msp_id, "Hospital1MSP");
  ASSERT_EQ(config->consenters().size(), 1u);
  EXPECT_EQ(config->consenters()[0].msp_id, "Hospital1MSP");
  EXPECT_EQ(config->MspConfigs().size(), 2u);
}

TEST(ChannelFromConsortiumNamesTest, AmbiguousShortNameNeedsTheFullName) {
  auto consortium = ParseConsortium(R"(organizations:
  - name: Hospital1
  - {name: OrdererA, type: orderer}
  - {name: OrdererB, type: orderer}
)",
                                    "c.yaml");
  ASSERT_TRUE(consortium.ok()) << consortium.status();
  ChannelFromConsortiumOptions options;
  options.orderer_addresses["orderer0"] = {"127.0.0.1:7050", "127.0.0.1:7052"};
  auto spec = ChannelSpecFromConsortium(*consortium, "/nonexistent", options);
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(spec.status().message(), HasSubstr("used by several orderer organisations"));
  EXPECT_THAT(spec.status().message(), HasSubstr("orderer0.orderera.example.org"));
}

TEST(ChannelFromConsortiumNamesTest, NoOrdererNodeIsRefused) {
  auto consortium = ParseConsortium("organizations:\n  - name: Hospital1\n", "c.yaml");
  ASSERT_TRUE(consortium.ok()) << consortium.status();
  auto spec = ChannelSpecFromConsortium(*consortium, "/nonexistent", ChannelFromConsortiumOptions());
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(spec.status().message(), HasSubstr("no orderer node"));
}

TEST(OrdererAddressFlagTest, ClientThenClusterAddress) {
  auto parsed = ParseOrdererAddressFlag("orderer0=127.0.0.1:7050,127.0.0.1:7052");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->first, "orderer0");
  EXPECT_EQ(parsed->second.client, "127.0.0.1:7050");
  EXPECT_EQ(parsed->second.cluster, "127.0.0.1:7052");
}

TEST(OrdererAddressFlagTest, OneAddressServesBoth) {
  auto parsed = ParseOrdererAddressFlag("orderer1=orderer1.example.org:7050");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->second.client, "orderer1.example.org:7050");
  EXPECT_EQ(parsed->second.cluster, "orderer1.example.org:7050");
}

TEST(OrdererAddressFlagTest, RejectsMalformedFlags) {
  for (const char* text : {"orderer0", "=127.0.0.1:7050", "orderer0=127.0.0.1", "orderer0=127.0.0.1:7050,",
                           "orderer0=a:1,b:2,c:3", "orderer0=:7050"}) {
    SCOPED_TRACE(text);
    auto parsed = ParseOrdererAddressFlag(text);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(SplitHostPortTest, HostsAndPorts) {
  auto a = SplitHostPort("orderer0.example.org:7050");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->first, "orderer0.example.org");
  EXPECT_EQ(a->second, 7050u);
  auto b = SplitHostPort("[::1]:65535");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->first, "::1");
  EXPECT_EQ(b->second, 65535u);
  for (const char* bad : {"host", "host:0", "host:65536", "host:port", ":1", "::1:7050", "[]:7050", "host:-1"}) {
    EXPECT_FALSE(SplitHostPort(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace careledger::network
