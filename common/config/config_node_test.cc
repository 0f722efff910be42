#include "common/config/config_node.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/config/config_document.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::config {
namespace {

using ::testing::ElementsAre;

// Line numbers matter: the tests below name them.
constexpr char kOrderer[] =
    "General:\n"                                // 1
    "  ListenAddress: 0.0.0.0\n"                // 2
    "  ListenPort: \"7050\"\n"                  // 3
    "  TLS:\n"                                  // 4
    "    Enabled: true\n"                       // 5
    "    Certificates: [a.pem, \"b c.pem\"]\n"  // 6
    "  Cluster:\n"                              // 7
    "    SendBufferSize: lots\n"                // 8
    "    DialTimeout: 2s\n"                     // 9
    "    Empty:\n"                              // 10
    "  BatchTimeout: 1m30s\n"                   // 11
    "  MaxBytes: 2 MB\n"                        // 12
    "  Ratio: 0.5\n"                            // 13
    "  Peers: peer0:7051\n"                     // 14
    "Organizations:\n"                          // 15
    "  - Name: Org1\n"                          // 16
    "    ID: Org1MSP\n"                         // 17
    "  - Name: Org2\n"                          // 18
    "    Port: x\n"                             // 19
    "  -\n";                                    // 20

class ConfigNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse(kOrderer, "orderer.yaml");
    ASSERT_TRUE(doc.ok()) << doc.status();
    doc_.emplace(*std::move(doc));
  }

  ConfigNode Root() { return doc_->Root(); }
  ConfigNode General() { return *Root().GetMapping("General"); }
  ConfigNode Cluster() { return *General().GetMapping("Cluster"); }

  std::optional<ConfigDocument> doc_;
};

template <typename T>
std::string ErrorOf(const absl::StatusOr<T>& result, absl::StatusCode code = absl::StatusCode::kInvalidArgument) {
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), code) << result.status();
  return std::string(result.status().message());
}

TEST_F(ConfigNodeTest, ReadsTypedValues) {
  ConfigNode general = General();
  EXPECT_EQ(general.path(), "General");
  EXPECT_EQ(*general.GetString("ListenAddress"), "0.0.0.0");
  EXPECT_EQ(*general.GetInt("ListenPort", {.min = 1, .max = 65535}), 7050);  // quoted numbers are numbers
  EXPECT_EQ(*general.GetDuration("BatchTimeout"), absl::Seconds(90));
  EXPECT_EQ(*general.GetByteSize("MaxBytes"), 2u << 20);
  EXPECT_DOUBLE_EQ(*general.GetDouble("Ratio", {.min = 0, .max = 1}), 0.5);
  ConfigNode tls = *general.GetMapping("TLS");
  EXPECT_EQ(tls.path(), "General.TLS");
  EXPECT_EQ(*tls.GetBool("Enabled"), true);
  EXPECT_THAT(*tls.GetStringList("Certificates"), ElementsAre("a.pem", "b c.pem"));
  EXPECT_EQ(*Cluster().GetDuration("DialTimeout", {.max = absl::Seconds(10)}), absl::Seconds(2));
}

TEST_F(ConfigNodeTest, BadValueNamesFileLineColumnAndKeyPath) {
  EXPECT_EQ(ErrorOf(Cluster().GetInt("SendBufferSize", {.min = 1, .max = 1000})),
            "orderer.yaml:8:21: General.Cluster.SendBufferSize: expected an integer between 1 and 1000, got \"lots\"");
  EXPECT_EQ(ErrorOf(General().GetBool("ListenAddress")),
            "orderer.yaml:2:18: General.ListenAddress: expected true or false, got \"0.0.0.0\"");
  EXPECT_EQ(ErrorOf(General().GetDuration("ListenAddress")),
            "orderer.yaml:2:18: General.ListenAddress: expected a duration like \"250ms\", \"2s\" or \"1m30s\", "
            "got \"0.0.0.0\"");
  EXPECT_EQ(ErrorOf(General().GetInt("ListenPort", {.min = 1, .max = 1024})),
            "orderer.yaml:3:15: General.ListenPort: expected an integer between 1 and 1024, got \"7050\"");
}

TEST_F(ConfigNodeTest, MissingKeyPointsAtTheMappingThatShouldHoldIt) {
  EXPECT_EQ(ErrorOf(Cluster().GetInt("Retries")), "orderer.yaml:7:3: General.Cluster.Retries: missing required key");
  EXPECT_EQ(ErrorOf(Root().GetString("Profile")), "orderer.yaml:1:1: Profile: missing required key");
  EXPECT_EQ(ErrorOf(Root().GetMapping("Kafka")), "orderer.yaml:1:1: Kafka: missing required section");
  EXPECT_EQ(ErrorOf(General().GetMappingList("Consenters")),
            "orderer.yaml:1:1: General.Consenters: missing required list");
}

TEST_F(ConfigNodeTest, AbsentSectionKeepsTheNearestPosition) {
  ConfigNode kafka = *General().GetMappingOrEmpty("Kafka");
  EXPECT_EQ(kafka.path(), "General.Kafka");
  EXPECT_TRUE(kafka.KeysInFile().empty());
  EXPECT_EQ(*kafka.GetIntOr("Retries", 3), 3);
  EXPECT_EQ(ErrorOf(kafka.GetString("Brokers")), "orderer.yaml:1:1: General.Kafka.Brokers: missing required key");
}

TEST_F(ConfigNodeTest, EmptyValueIsAbsentForDefaultsButNamedWhenRequired) {
  EXPECT_EQ(ErrorOf(Cluster().GetString("Empty")),
            "orderer.yaml:10:5: General.Cluster.Empty: required key has an empty value");
  EXPECT_EQ(*Cluster().GetStringOr("Empty", "fallback"), "fallback");
  EXPECT_FALSE(Cluster().Has("Empty"));
  EXPECT_TRUE(Cluster().Has("DialTimeout"));
  EXPECT_FALSE(Cluster().Has("Nothing"));
  // An empty value where a mapping belongs is an empty mapping.
  EXPECT_TRUE(Cluster().GetMapping("Empty")->KeysInFile().empty());
}

TEST_F(ConfigNodeTest, WrongKindOfNode) {
  EXPECT_EQ(ErrorOf(General().GetString("TLS")),
            "orderer.yaml:5:5: General.TLS: expected a single value, got a mapping");
  EXPECT_EQ(ErrorOf(General().GetMapping("ListenAddress")),
            "orderer.yaml:2:18: General.ListenAddress: expected a mapping, got a single value");
  EXPECT_EQ(ErrorOf(General().GetStringList("Peers")),
            "orderer.yaml:14:10: General.Peers: expected a list of values, got a single value; write [value] for a "
            "list of one");
  EXPECT_EQ(ErrorOf(Root().GetMappingList("General")),
            "orderer.yaml:2:3: General: expected a list of mappings, got a mapping");
  EXPECT_EQ(ErrorOf(Root().GetStringList("Organizations")),
            "orderer.yaml:16:5: Organizations[0]: expected a single value, got a mapping");
}

TEST_F(ConfigNodeTest, ListOfMappings) {
  absl::StatusOr<std::vector<ConfigNode>> orgs = Root().GetMappingList("Organizations");
  ASSERT_TRUE(orgs.ok()) << orgs.status();
  ASSERT_EQ(orgs->size(), 3u);
  EXPECT_EQ((*orgs)[0].path(), "Organizations[0]");
  EXPECT_EQ(*(*orgs)[0].GetString("ID"), "Org1MSP");
  EXPECT_EQ(ErrorOf((*orgs)[1].GetInt("Port")),
            "orderer.yaml:19:11: Organizations[1].Port: expected an integer, got \"x\"");
  EXPECT_EQ(ErrorOf((*orgs)[1].GetString("ID")), "orderer.yaml:18:5: Organizations[1].ID: missing required key");
  EXPECT_TRUE((*orgs)[2].KeysInFile().empty());  // "-" alone: an empty mapping
  EXPECT_TRUE(Root().GetMappingListOrEmpty("Consenters")->empty());
}

TEST_F(ConfigNodeTest, KeysInFileInFileOrder) {
  EXPECT_THAT(Root().KeysInFile(), ElementsAre("General", "Organizations"));
  EXPECT_THAT(General().GetMapping("TLS")->KeysInFile(), ElementsAre("Enabled", "Certificates"));
}

TEST_F(ConfigNodeTest, DefaultsApplyOnlyWhenAbsent) {
  ConfigNode general = General();
  EXPECT_EQ(*general.GetStringOr("ListenAddress", "127.0.0.1"), "0.0.0.0");
  EXPECT_EQ(*general.GetStringOr("Profile", "SampleSolo"), "SampleSolo");
  EXPECT_EQ(*general.GetBoolOr("Debug", false), false);
  EXPECT_EQ(*general.GetDurationOr("Keepalive", absl::Seconds(5)), absl::Seconds(5));
  EXPECT_EQ(*general.GetByteSizeOr("PreferredMaxBytes", 512 * 1024), 512u * 1024);
  EXPECT_DOUBLE_EQ(*general.GetDoubleOr("Jitter", 0.1), 0.1);
  EXPECT_THAT(*general.GetStringListOr("Bootstrap", {"x:1"}), ElementsAre("x:1"));
  // A default does not excuse a bad value in the file.
  EXPECT_FALSE(Cluster().GetIntOr("SendBufferSize", 10).ok());
}

TEST_F(ConfigNodeTest, DefaultOutsideItsOwnRangeIsACallerBug) {
  EXPECT_EQ(ErrorOf(General().GetIntOr("Workers", 0, {.min = 1, .max = 8}), absl::StatusCode::kInternal),
            "the default value of configuration key General.Workers lies outside its own allowed range");
  ErrorOf(General().GetDurationOr("T", absl::Seconds(-1)), absl::StatusCode::kInternal);
  ErrorOf(General().GetByteSizeOr("B", 0, {.min = 1}), absl::StatusCode::kInternal);
  ErrorOf(General().GetDoubleOr("D", 2, {.min = 0, .max = 1}), absl::StatusCode::kInternal);
}

TEST_F(ConfigNodeTest, InvalidValueErrorUsesTheSameFormat) {
  EXPECT_EQ(General().InvalidValueError("MaxBytes", "must be at least PreferredMaxBytes").message(),
            "orderer.yaml:12:13: General.MaxBytes: must be at least PreferredMaxBytes");
  EXPECT_EQ(Cluster().InvalidValueError("Empty", "needed when TLS is on").message(),
            "orderer.yaml:10:5: General.Cluster.Empty: needed when TLS is on");
  EXPECT_EQ(Cluster().InvalidValueError("Absent", "needed").message(),
            "orderer.yaml:7:3: General.Cluster.Absent: needed");
  EXPECT_EQ(General().InvalidValueError("MaxBytes", "x").code(), absl::StatusCode::kInvalidArgument);
}

TEST(ConfigNodeMergeTest, MergeKeysCopyDefaultsAndExplicitKeysWin) {
  constexpr char kText[] =
      "Defaults: &defaults\n"
      "  Timeout: 2s\n"
      "  Retries: 3\n"
      "Other: &other {Retries: 9, Color: red}\n"
      "Service:\n"
      "  <<: [*defaults, *other]\n"
      "  Retries: 5\n";
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse(kText, "merge.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status();
  ConfigNode service = *doc->Root().GetMapping("Service");
  EXPECT_THAT(service.KeysInFile(), ElementsAre("Retries", "Timeout", "Color"));
  EXPECT_EQ(*service.GetInt("Retries"), 5);
  EXPECT_EQ(*service.GetDuration("Timeout"), absl::Seconds(2));
  // A merged value keeps the position where it is written.
  EXPECT_EQ(ErrorOf(service.GetBool("Color")), "merge.yaml:4:35: Service.Color: expected true or false, got \"red\"");
}

TEST(ConfigNodeAliasTest, AliasedMappingIsReadUnderEachPath) {
  constexpr char kText[] =
      "A: &tls {Enabled: true}\n"
      "B: *tls\n";
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse(kText, "alias.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status();
  ConfigNode b = *doc->Root().GetMapping("B");
  EXPECT_EQ(b.path(), "B");
  EXPECT_EQ(*b.GetBool("Enabled"), true);
  EXPECT_EQ(ErrorOf(b.GetInt("Enabled")), "alias.yaml:1:19: B.Enabled: expected an integer, got \"true\"");
}

}  // namespace
}  // namespace careledger::config
