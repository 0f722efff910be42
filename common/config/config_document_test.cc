#include "common/config/config_document.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Line numbers matter: the tests below name them.
constexpr char kPeer[] =
    "peer:\n"                                         // 1
    "  id: peer0\n"                                   // 2
    "  listenAdress: 0.0.0.0:7051\n"                  // 3  misspelt
    "  gossip:\n"                                     // 4
    "    bootstrap: [peer1:7051]\n"                   // 5
    "    useLeaderElection: true\n"                   // 6
    "    Endpoint: peer0:7051\n"                      // 7  wrong case
    "  tls:\n"                                        // 8
    "    enabled: false\n"                            // 9
    "chaincode:\n"                                    // 10
    "  mode: net\n"                                   // 11
    "vm: {endpoint: unix:///var/run/docker.sock}\n";  // 12

LoadOptions WithEnvironment(Environment::VariableMap variables) {
  return LoadOptions{.environment_prefix = "CORE", .environment = Environment(std::move(variables))};
}

// Reads what a peer's schema would, leaving "vm" and the misspelt keys unread.
absl::Status ReadPeerSchema(ConfigDocument& doc) {
  ConfigNode root = doc.Root();
  ASSIGN_OR_RETURN(ConfigNode peer, root.GetMapping("peer"));
  RETURN_IF_ERROR(peer.GetString("id").status());
  RETURN_IF_ERROR(peer.GetStringOr("listenAddress", "0.0.0.0:7051").status());
  ASSIGN_OR_RETURN(ConfigNode gossip, peer.GetMappingOrEmpty("gossip"));
  RETURN_IF_ERROR(gossip.GetStringListOr("bootstrap", {}).status());
  RETURN_IF_ERROR(gossip.GetBoolOr("useLeaderElection", false).status());
  RETURN_IF_ERROR(gossip.GetStringOr("endpoint", "").status());
  RETURN_IF_ERROR(peer.GetMappingOrEmpty("tls").status());  // the section is read, its keys are not
  ASSIGN_OR_RETURN(ConfigNode chaincode, root.GetMappingOrEmpty("chaincode"));
  return chaincode.GetStringOr("mode", "net").status();
}

TEST(CheckNoUnknownKeysTest, ReportsEachUnreadKeyWithPositionPathAndSuggestion) {
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse(kPeer, "peer.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status();
  ASSERT_TRUE(ReadPeerSchema(*doc).ok());
  const absl::Status status = doc->CheckNoUnknownKeys();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "peer.yaml:3:3: peer.listenAdress: unknown key; did you mean 'listenAddress'?\n"
            "peer.yaml:7:5: peer.gossip.Endpoint: unknown key; did you mean 'endpoint'?\n"
            "peer.yaml:9:5: peer.tls.enabled: unknown key\n"
            "peer.yaml:12:1: vm: unknown key");
}

TEST(CheckNoUnknownKeysTest, OkWhenEverythingWasRead) {
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse("a: 1\nb: {c: 2}\n", "x.yaml");
  ASSERT_TRUE(doc.ok());
  ConfigNode root = doc->Root();
  ASSERT_TRUE(root.GetInt("a").ok());
  ASSERT_TRUE(root.GetMapping("b")->GetInt("c").ok());
  EXPECT_TRUE(doc->CheckNoUnknownKeys().ok());
}

TEST(CheckNoUnknownKeysTest, KeyAskedAboutButAbsentIsNotUnknown) {
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse("a: 1\n", "x.yaml");
  ASSERT_TRUE(doc.ok());
  ASSERT_TRUE(doc->Root().GetInt("a").ok());
  EXPECT_FALSE(doc->Root().Has("b"));
  EXPECT_TRUE(doc->CheckNoUnknownKeys().ok());
}

TEST(CheckNoUnknownKeysTest, HostileKeysAreEscapedAndTheListIsCapped) {
  std::string text = "\"bad\\nkey\": 1\n";
  for (int i = 0; i < 60; ++i) text += "k" + std::to_string(i) + ": 1\n";
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse(text, "x.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status();
  doc->Root();
  const std::string message(doc->CheckNoUnknownKeys().message());
  EXPECT_THAT(message, StartsWith("x.yaml:1:1: bad\\nkey: unknown key\nx.yaml:2:1: k0: unknown key\n"));
  EXPECT_THAT(message, HasSubstr("\n... and 11 more"));
}

TEST(EnvironmentOverrideTest, OverridesFileValuesAndAbsentKeys) {
  absl::StatusOr<ConfigDocument> doc =
      ConfigDocument::Parse(kPeer, "peer.yaml",
                            WithEnvironment({{"CORE_PEER_ID", "peer9"},
                                             {"CORE_PEER_LISTENADDRESS", "10.0.0.1:7051"},
                                             {"CORE_PEER_GOSSIP_BOOTSTRAP", "p1:7051, p2:7051 p3:7051"},
                                             {"CORE_LEDGER_STATE_TOTALQUERYLIMIT", "1000"},
                                             {"OTHER_PEER_ID", "ignored"}}));
  ASSERT_TRUE(doc.ok()) << doc.status();
  ConfigNode peer = *doc->Root().GetMapping("peer");
  EXPECT_EQ(*peer.GetString("id"), "peer9");
  EXPECT_EQ(*peer.GetString("listenAddress"), "10.0.0.1:7051");
  EXPECT_THAT(*peer.GetMapping("gossip")->GetStringList("bootstrap"), ElementsAre("p1:7051", "p2:7051", "p3:7051"));
  // The file has no "ledger" section at all; the override still applies.
  ConfigNode state = *doc->Root().GetMappingOrEmpty("ledger")->GetMappingOrEmpty("state");
  EXPECT_EQ(*state.GetIntOr("totalQueryLimit", 100000), 1000);
  EXPECT_EQ(*state.GetIntOr("maxBatchUpdateSize", 1000), 1000);
}

TEST(EnvironmentOverrideTest, BadOverrideNamesTheVariable) {
  absl::StatusOr<ConfigDocument> doc =
      ConfigDocument::Parse(kPeer, "peer.yaml", WithEnvironment({{"CORE_PEER_GOSSIP_USELEADERELECTION", "yes"}}));
  ASSERT_TRUE(doc.ok());
  absl::StatusOr<bool> value = doc->Root().GetMapping("peer")->GetMapping("gossip")->GetBool("useLeaderElection");
  EXPECT_EQ(value.status().message(),
            "$CORE_PEER_GOSSIP_USELEADERELECTION: peer.gossip.useLeaderElection: expected true or false, got \"yes\"");
}

TEST(EnvironmentOverrideTest, MissingKeyMessageNamesTheVariable) {
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse("peer: {}\n", "peer.yaml", WithEnvironment({}));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->Root().GetMapping("peer")->GetString("networkId").status().message(),
            "peer.yaml:1:1: peer.networkId: missing required key (or set CORE_PEER_NETWORKID)");
}

TEST(EnvironmentOverrideTest, DashesBecomeUnderscoresAndListElementsHaveNoVariable) {
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse(
      "orgs:\n  - name: a\n", "x.yaml", WithEnvironment({{"CORE_TLS_CERT_FILE", "/c.pem"}, {"CORE_ORGS_0_NAME", "b"}}));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(*doc->Root().GetMappingOrEmpty("tls")->GetString("cert-file"), "/c.pem");
  EXPECT_EQ(*(*doc->Root().GetMappingList("orgs"))[0].GetString("name"), "a");
  EXPECT_EQ(doc->CheckNoUnknownKeys().message(), "$CORE_ORGS_0_NAME: no configuration key has this variable");
}

TEST(EnvironmentOverrideTest, UnknownAndUnusableVariablesAreReported) {
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse(
      "peer:\n  id: p\n  gossip: {}\n", "peer.yaml",
      WithEnvironment({{"CORE_PEER_IDD", "x"}, {"CORE_PEER_GOSSIP", "x"}, {"CORE_PEER_ID", "q"}, {"PATH", "/bin"}}));
  ASSERT_TRUE(doc.ok());
  ConfigNode peer = *doc->Root().GetMapping("peer");
  ASSERT_TRUE(peer.GetString("id").ok());
  ASSERT_TRUE(peer.GetMapping("gossip").ok());
  EXPECT_EQ(doc->CheckNoUnknownKeys().message(),
            "$CORE_PEER_GOSSIP: peer.gossip cannot be set from the environment, only the single values and lists "
            "in it\n"
            "$CORE_PEER_IDD: no configuration key has this variable; did you mean 'CORE_PEER_ID'?");
}

TEST(EnvironmentOverrideTest, NoPrefixMeansNoOverrides) {
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse(
      "a: 1\n", "x.yaml", LoadOptions{.environment = Environment(Environment::VariableMap{{"_A", "2"}, {"A", "3"}})});
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(*doc->Root().GetInt("a"), 1);
  EXPECT_TRUE(doc->CheckNoUnknownKeys().ok());
}

TEST(EffectiveValuesTest, EveryReadValueWithItsOrigin) {
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse(
      "General:\n  ListenPort: 7050\n  MaxBytes: 2 MB\n  Password: hunter2\n", "orderer.yaml",
      LoadOptions{.environment_prefix = "ORDERER",
                  .environment = Environment(Environment::VariableMap{{"ORDERER_GENERAL_LISTENADDRESS", "10.0.0.1"}})});
  ASSERT_TRUE(doc.ok());
  ConfigNode general = *doc->Root().GetMapping("General");
  ASSERT_TRUE(general.GetInt("ListenPort").ok());
  ASSERT_TRUE(general.GetString("ListenAddress").ok());
  ASSERT_TRUE(general.GetDurationOr("Keepalive", absl::Seconds(90)).ok());
  ASSERT_TRUE(general.GetByteSize("MaxBytes").ok());
  ASSERT_TRUE(general.GetSecretString("Password").ok());
  ASSERT_TRUE(general.GetStringListOr("Peers", {"a", "b\"c"}).ok());
  ASSERT_TRUE(general.GetInt("ListenPort").ok());  // read twice, listed once

  const std::vector<EffectiveValue> values = doc->EffectiveValues();
  ASSERT_EQ(values.size(), 6u);
  EXPECT_EQ(values[0].path, "General.ListenPort");
  EXPECT_EQ(values[0].value, "7050");
  EXPECT_EQ(values[0].source, EffectiveValue::Source::kFile);
  EXPECT_EQ(values[0].origin, "orderer.yaml:2:15");
  EXPECT_EQ(values[1].source, EffectiveValue::Source::kEnvironment);
  EXPECT_EQ(values[2].source, EffectiveValue::Source::kDefault);
  EXPECT_EQ(doc->FormatEffectiveValues(),
            "General.ListenPort: 7050  # orderer.yaml:2:15\n"
            "General.ListenAddress: \"10.0.0.1\"  # $ORDERER_GENERAL_LISTENADDRESS\n"
            "General.Keepalive: 1m30s  # default\n"
            "General.MaxBytes: 2097152 (2 MiB)  # orderer.yaml:3:13\n"
            "General.Password: (redacted)  # orderer.yaml:4:13\n"
            "General.Peers: [\"a\", \"b\\\"c\"]  # default\n");
}

class LoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/careledger_config_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    unlink((dir_ + "/peer.yaml").c_str());
    rmdir(dir_.c_str());
  }
  void Write(const std::string& name, const std::string& text) {
    const int fd = open((dir_ + "/" + name).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    close(fd);
  }
  std::string dir_;
};

TEST_F(LoadTest, ReadsAFileAndNamesItInErrors) {
  Write("peer.yaml", "peer:\n  id: [x]\n");
  const std::string path = dir_ + "/peer.yaml";
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Load(path);
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->source_name(), path);
  EXPECT_EQ(doc->Root().GetMapping("peer")->GetString("id").status().message(),
            path + ":2:7: peer.id: expected a single value, got a list");
}

TEST_F(LoadTest, MissingFileIsNotFound) {
  const absl::StatusOr<ConfigDocument> doc = ConfigDocument::Load(dir_ + "/absent.yaml");
  EXPECT_EQ(doc.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(doc.status().message()), StartsWith(dir_ + "/absent.yaml: cannot open: "));
}

TEST_F(LoadTest, DirectoryIsRefused) {
  const absl::StatusOr<ConfigDocument> doc = ConfigDocument::Load(dir_);
  EXPECT_FALSE(doc.ok());
  EXPECT_THAT(std::string(doc.status().message()), StartsWith(dir_ + ": cannot read: "));
}

}  // namespace
}  // namespace careledger::config
