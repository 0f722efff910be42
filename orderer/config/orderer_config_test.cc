#include "orderer/config/orderer_config.h"

#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/testing/test_org.h"

namespace careledger::orderer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kMinimal[] =
    "General:\n"
    "  LocalMSPID: OrdererMSP\n";

// A folder laid out as `careledger crypto generate` lays out an orderer's: tls/ and msp/ next to orderer.yaml,
// so that the defaults find their files. Also a few wrong files for the error cases.
class OrdererConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write("tls/ca.crt", org_.root_cert().ToPem());
    WriteKeyPair("tls/server", "orderer0.example.org");
    WriteKeyPair("other/server", "orderer1.example.org");
    Write("junk.txt", "not a certificate\n");
    std::filesystem::create_directories(dir_.Path("msp"));
  }

  void Write(const std::string& name, const std::string& content) {
    ASSERT_TRUE(file::WriteFileAtomic(dir_.Path(name), content).ok()) << name;
  }

  // <stem>.crt and <stem>.key, issued by org_.
  void WriteKeyPair(const std::string& stem, const std::string& common_name) {
    auto [cert, key] = org_.IssueWithKey(common_name, {"orderer"});
    Write(stem + ".crt", cert.ToPem());
    Write(stem + ".key", key.ToPem());
  }

  // The test folder, where orderer.yaml is.
  std::string Dir() const { return std::filesystem::path(dir_.path()).lexically_normal().string(); }

  // The absolute, normalised path of `name` in the test folder: what relative paths resolve to.
  std::string Abs(const std::string& name) const {
    return (std::filesystem::path(dir_.path()) / name).lexically_normal().string();
  }

  absl::StatusOr<OrdererConfig> Load(const std::string& yaml, config::Environment::VariableMap env = {}) {
    Write("orderer.yaml", yaml);
    return LoadOrdererConfig(dir_.Path("orderer.yaml"), config::Environment(std::move(env)));
  }

  // What a file with only the MSP ID, or an empty file with the ID from the environment, must give.
  OrdererConfig Defaults() const {
    OrdererConfig c;
    c.general.listen = {"0.0.0.0", 7050};
    c.general.tls = {.enabled = true,
                     .certificate = Abs("tls/server.crt"),
                     .private_key = Abs("tls/server.key"),
                     .root_cas = {Abs("tls/ca.crt")},
                     .client_auth_required = false,
                     .client_root_cas = {}};
    c.general.keepalive = {absl::Seconds(60), absl::Hours(2), absl::Seconds(20)};
    c.general.max_recv_msg_size = 104857600;
    c.general.max_send_msg_size = 104857600;
    c.general.cluster = {.listen = {"0.0.0.0", 7052},
                         .server_certificate = Abs("tls/server.crt"),
                         .server_private_key = Abs("tls/server.key"),
                         .client_certificate = Abs("tls/server.crt"),
                         .client_private_key = Abs("tls/server.key"),
                         .root_cas = {Abs("tls/ca.crt")},
                         .dial_timeout = absl::Seconds(5)};
    c.general.local_msp_dir = Abs("msp");
    c.general.local_msp_id = "OrdererMSP";
    c.file_ledger.location = "/var/lib/careledger/orderer";
    c.consensus = {"/var/lib/careledger/orderer/raft/wal", "/var/lib/careledger/orderer/raft/snapshot", 100};
    c.admin.listen = {"127.0.0.1", 7053};
    c.admin.tls = {.enabled = true,
                   .certificate = Abs("tls/server.crt"),
                   .private_key = Abs("tls/server.key"),
                   .root_cas = {Abs("tls/ca.crt")},
                   .client_auth_required = true,
                   .client_root_cas = {Abs("tls/ca.crt")}};
    c.operations.listen = {"127.0.0.1", 8443};
    c.operations.tls = c.admin.tls;
    c.operations.tls.enabled = false;
    c.operations.tls.client_auth_required = false;
    c.logging.spec = "info";
    return c;
  }

  msp::testing::TestOrg org_{"OrdererMSP"};
  careledger::testing::ScopedTempDir dir_;
};

// Section by section, so that a failure says which one differs.
void ExpectSameSettings(const OrdererConfig& actual, const OrdererConfig& expected) {
  EXPECT_EQ(actual.general.listen, expected.general.listen);
  EXPECT_EQ(actual.general.tls, expected.general.tls);
  EXPECT_EQ(actual.general.keepalive, expected.general.keepalive);
  EXPECT_EQ(actual.general.max_recv_msg_size, expected.general.max_recv_msg_size);
  EXPECT_EQ(actual.general.max_send_msg_size, expected.general.max_send_msg_size);
  EXPECT_EQ(actual.general.cluster, expected.general.cluster);
  EXPECT_EQ(actual.general.local_msp_dir, expected.general.local_msp_dir);
  EXPECT_EQ(actual.general.local_msp_id, expected.general.local_msp_id);
  EXPECT_EQ(actual.general, expected.general);
  EXPECT_EQ(actual.file_ledger, expected.file_ledger);
  EXPECT_EQ(actual.consensus, expected.consensus);
  EXPECT_EQ(actual.admin, expected.admin);
  EXPECT_EQ(actual.operations, expected.operations);
  EXPECT_EQ(actual.logging, expected.logging);
}

// ---------------------------------------------------------------------------------------------------------
// Defaults and the example file.

TEST_F(OrdererConfigTest, EmptyFileWithTheMspIdFromTheEnvironmentTakesEveryDefault) {
  absl::StatusOr<OrdererConfig> c = Load("", {{"ORDERER_GENERAL_LOCALMSPID", "OrdererMSP"}});
  ASSERT_TRUE(c.ok()) << c.status();
  ExpectSameSettings(*c, Defaults());
  EXPECT_EQ(c->config_dir, Dir());
  EXPECT_EQ(c->source_name, dir_.Path("orderer.yaml"));
}

TEST_F(OrdererConfigTest, EmptyFileLacksOnlyTheLocalMspId) {
  absl::StatusOr<OrdererConfig> c = Load("");
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(c.status().message()),
              HasSubstr("orderer.yaml:1:1: General.LocalMSPID: missing required key (or set "
                        "ORDERER_GENERAL_LOCALMSPID)"));
}

TEST_F(OrdererConfigTest, MinimalFileTakesEveryOtherDefault) {
  absl::StatusOr<OrdererConfig> c = Load(kMinimal);
  ASSERT_TRUE(c.ok()) << c.status();
  ExpectSameSettings(*c, Defaults());
}

// The example documents the defaults: loading it must give exactly them.
TEST_F(OrdererConfigTest, ExampleFileLoadsAndShowsTheDefaults) {
  absl::StatusOr<std::string> example = file::ReadFile(CARELEDGER_ORDERER_EXAMPLE_YAML);
  ASSERT_TRUE(example.ok()) << example.status();
  absl::StatusOr<OrdererConfig> c = Load(*example);
  ASSERT_TRUE(c.ok()) << c.status();
  ExpectSameSettings(*c, Defaults());
}

// Every key the example shows is one the reader knows, and it shows all of them.
TEST_F(OrdererConfigTest, ExampleFileNamesEveryKey) {
  absl::StatusOr<std::string> example = file::ReadFile(CARELEDGER_ORDERER_EXAMPLE_YAML);
  ASSERT_TRUE(example.ok());
  absl::StatusOr<OrdererConfig> c = Load(*example);
  ASSERT_TRUE(c.ok()) << c.status();
  for (const config::EffectiveValue& value : c->effective_values) {
    EXPECT_EQ(value.source, config::EffectiveValue::Source::kFile) << value.path << " is missing from the example";
  }
}

// ---------------------------------------------------------------------------------------------------------
// Every key, set to something other than its default.

TEST_F(OrdererConfigTest, EachKeyIsRead) {
  Write("ca/org1.crt", org_.root_cert().ToPem());
  msp::testing::TestOrg org2("Org2MSP");
  Write("ca/org2.crt", org2.root_cert().ToPem());
  WriteKeyPair("keys/server", "orderer0");
  WriteKeyPair("cluster/server", "orderer0-cluster");
  WriteKeyPair("cluster/client", "orderer0-client");
  WriteKeyPair("admin/server", "orderer0-admin");
  WriteKeyPair("ops/server", "orderer0-ops");
  std::filesystem::create_directories(dir_.Path("crypto/msp"));

  absl::StatusOr<OrdererConfig> c = Load(
      "General:\n"
      "  ListenAddress: 10.0.0.5\n"
      "  ListenPort: 7150\n"
      "  TLS:\n"
      "    Enabled: true\n"
      "    PrivateKey: keys/server.key\n"
      "    Certificate: keys/server.crt\n"
      "    RootCAs: [ca/org1.crt, ca/org2.crt]\n"
      "    ClientAuthRequired: true\n"
      "    ClientRootCAs: [ca/org2.crt]\n"
      "  Keepalive:\n"
      "    ServerMinInterval: 30s\n"
      "    ServerInterval: 1h\n"
      "    ServerTimeout: 10s\n"
      "  MaxRecvMsgSize: 50 MB\n"
      "  MaxSendMsgSize: 62914560\n"
      "  Cluster:\n"
      "    ListenAddress: 10.0.0.6\n"
      "    ListenPort: 7151\n"
      "    ServerCertificate: cluster/server.crt\n"
      "    ServerPrivateKey: cluster/server.key\n"
      "    ClientCertificate: cluster/client.crt\n"
      "    ClientPrivateKey: cluster/client.key\n"
      "    RootCAs: [ca/org2.crt]\n"
      "    DialTimeout: 3s\n"
      "  LocalMSPDir: crypto/msp\n"
      "  LocalMSPID: Hospital1MSP\n"
      "FileLedger:\n"
      "  Location: /data/orderer\n"
      "Consensus:\n"
      "  WALDir: /fast/wal\n"
      "  SnapDir: snapshots\n"
      "  SnapshotIntervalBlocks: 500\n"
      "Admin:\n"
      "  ListenAddress: \"[::1]:9443\"\n"
      "  TLS:\n"
      "    Enabled: true\n"
      "    PrivateKey: admin/server.key\n"
      "    Certificate: admin/server.crt\n"
      "    RootCAs: [ca/org1.crt]\n"
      "    ClientAuthRequired: true\n"
      "    ClientRootCAs: [ca/org2.crt]\n"
      "Operations:\n"
      "  ListenAddress: 0.0.0.0:9444\n"
      "  TLS:\n"
      "    Enabled: true\n"
      "    PrivateKey: ops/server.key\n"
      "    Certificate: ops/server.crt\n"
      "    RootCAs: [ca/org2.crt]\n"
      "    ClientAuthRequired: true\n"
      "    ClientRootCAs: [ca/org1.crt]\n"
      "Logging:\n"
      "  Spec: warn:orderer.raft=debug\n");
  ASSERT_TRUE(c.ok()) << c.status();

  OrdererConfig expected;
  expected.general.listen = {"10.0.0.5", 7150};
  expected.general.tls = {true, Abs("keys/server.crt"), Abs("keys/server.key"),
                          {Abs("ca/org1.crt"), Abs("ca/org2.crt")}, true, {Abs("ca/org2.crt")}};
  expected.general.keepalive = {absl::Seconds(30), absl::Hours(1), absl::Seconds(10)};
  expected.general.max_recv_msg_size = 50 << 20;
  expected.general.max_send_msg_size = 60 << 20;
  expected.general.cluster = {{"10.0.0.6", 7151},
                              Abs("cluster/server.crt"),
                              Abs("cluster/server.key"),
                              Abs("cluster/client.crt"),
                              Abs("cluster/client.key"),
                              {Abs("ca/org2.crt")},
                              absl::Seconds(3)};
  expected.general.local_msp_dir = Abs("crypto/msp");
  expected.general.local_msp_id = "Hospital1MSP";
  expected.file_ledger.location = "/data/orderer";
  expected.consensus = {"/fast/wal", Abs("snapshots"), 500};
  expected.admin = {{"::1", 9443},
                    {true, Abs("admin/server.crt"), Abs("admin/server.key"), {Abs("ca/org1.crt")}, true,
                     {Abs("ca/org2.crt")}}};
  expected.operations = {{"0.0.0.0", 9444},
                         {true, Abs("ops/server.crt"), Abs("ops/server.key"), {Abs("ca/org2.crt")}, true,
                          {Abs("ca/org1.crt")}}};
  expected.logging.spec = "warn:orderer.raft=debug";
  absl::StatusOr<logging::LogSpec> spec = logging::LogSpec::Parse("warn:orderer.raft=debug");
  ASSERT_TRUE(spec.ok());
  expected.logging.log_spec = *spec;
  ExpectSameSettings(*c, expected);
  EXPECT_EQ(c->logging.log_spec.LevelFor("orderer.raft"), logging::Level::kDebug);
}

// Keys left out follow the keys they default to, not fixed values.
TEST_F(OrdererConfigTest, DerivedDefaultsFollowTheKeysTheyDefaultTo) {
  WriteKeyPair("keys/server", "orderer0");
  Write("ca/org1.crt", org_.root_cert().ToPem());
  absl::StatusOr<OrdererConfig> c = Load(
      "General:\n"
      "  LocalMSPID: OrdererMSP\n"
      "  ListenAddress: 10.0.0.5\n"
      "  TLS:\n"
      "    Certificate: keys/server.crt\n"
      "    PrivateKey: keys/server.key\n"
      "    RootCAs: [ca/org1.crt]\n"
      "  Cluster:\n"
      "    ServerCertificate: tls/server.crt\n"
      "    ServerPrivateKey: tls/server.key\n"
      "FileLedger:\n"
      "  Location: data\n");
  ASSERT_TRUE(c.ok()) << c.status();
  const ClusterConfig& cluster = c->general.cluster;
  EXPECT_EQ(cluster.listen, (nodeconfig::HostPort{"10.0.0.5", 7052}));
  // The client pair follows the cluster's server pair, which was set; the CAs follow General.TLS.
  EXPECT_EQ(cluster.client_certificate, Abs("tls/server.crt"));
  EXPECT_EQ(cluster.client_private_key, Abs("tls/server.key"));
  EXPECT_THAT(cluster.root_cas, ElementsAre(Abs("ca/org1.crt")));
  EXPECT_EQ(c->admin.tls.certificate, Abs("keys/server.crt"));
  EXPECT_EQ(c->admin.tls.private_key, Abs("keys/server.key"));
  EXPECT_THAT(c->admin.tls.client_root_cas, ElementsAre(Abs("ca/org1.crt")));
  EXPECT_EQ(c->operations.tls.certificate, Abs("keys/server.crt"));
  EXPECT_EQ(c->consensus.wal_dir, Abs("data/raft/wal"));
  EXPECT_EQ(c->consensus.snap_dir, Abs("data/raft/snapshot"));
}

// ---------------------------------------------------------------------------------------------------------
// Environment overrides.

TEST_F(OrdererConfigTest, EnvironmentOverridesTheFileAndTheDefaults) {
  Write("extra/ca.crt", org_.root_cert().ToPem());
  absl::StatusOr<OrdererConfig> c = Load(
      "General:\n"
      "  LocalMSPID: OrdererMSP\n"
      "  ListenPort: 7150\n",
      {{"ORDERER_GENERAL_LISTENPORT", "7160"},
       {"ORDERER_GENERAL_TLS_ENABLED", "false"},
       {"ORDERER_GENERAL_TLS_ROOTCAS", "tls/ca.crt, extra/ca.crt"},
       {"ORDERER_GENERAL_KEEPALIVE_SERVERTIMEOUT", "5s"},
       {"ORDERER_GENERAL_CLUSTER_LISTENPORT", "7162"},
       {"ORDERER_FILELEDGER_LOCATION", "data"},
       {"ORDERER_CONSENSUS_SNAPSHOTINTERVALBLOCKS", "7"},
       {"ORDERER_ADMIN_LISTENADDRESS", "127.0.0.1:7163"},
       {"ORDERER_OPERATIONS_TLS_ENABLED", "false"},
       {"ORDERER_LOGGING_SPEC", "debug"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->general.listen.port, 7160);
  EXPECT_FALSE(c->general.tls.enabled);
  // Relative paths from the environment resolve against the configuration's folder too.
  EXPECT_THAT(c->general.tls.root_cas, ElementsAre(Abs("tls/ca.crt"), Abs("extra/ca.crt")));
  EXPECT_THAT(c->general.cluster.root_cas, ElementsAre(Abs("tls/ca.crt"), Abs("extra/ca.crt")));
  EXPECT_EQ(c->general.keepalive.server_timeout, absl::Seconds(5));
  EXPECT_EQ(c->general.cluster.listen.port, 7162);
  EXPECT_EQ(c->file_ledger.location, Abs("data"));
  EXPECT_EQ(c->consensus.wal_dir, Abs("data/raft/wal"));
  EXPECT_EQ(c->consensus.snapshot_interval_blocks, 7u);
  EXPECT_EQ(c->admin.listen, (nodeconfig::HostPort{"127.0.0.1", 7163}));
  EXPECT_EQ(c->logging.log_spec.default_level(), logging::Level::kDebug);

  std::map<std::string, std::string> origins;
  for (const config::EffectiveValue& value : c->effective_values) origins[value.path] = value.origin;
  EXPECT_EQ(origins["General.ListenPort"], "$ORDERER_GENERAL_LISTENPORT");
  EXPECT_EQ(origins["General.LocalMSPID"], dir_.Path("orderer.yaml") + ":2:15");
  EXPECT_EQ(origins["General.MaxRecvMsgSize"], "default");
}

// ---------------------------------------------------------------------------------------------------------
// Relative paths.

TEST_F(OrdererConfigTest, RelativePathsResolveAgainstTheConfigurationFolderNotTheCurrentOne) {
  std::filesystem::create_directories(dir_.Path("etc/msp"));
  Write("etc/orderer.yaml",
        "General:\n"
        "  LocalMSPID: OrdererMSP\n"
        "  LocalMSPDir: ./msp/\n"
        "  TLS:\n"
        "    Certificate: ../tls/server.crt\n"
        "    PrivateKey: " + Abs("tls/server.key") + "\n"
        "    RootCAs: [../tls/./ca.crt]\n"
        "FileLedger:\n"
        "  Location: ../var/orderer\n");
  const std::filesystem::path previous = std::filesystem::current_path();
  std::filesystem::current_path(dir_.Path("msp"));  // anything but etc/
  absl::StatusOr<OrdererConfig> c = LoadOrdererConfig(dir_.Path("etc/orderer.yaml"), {});
  std::filesystem::current_path(previous);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->config_dir, Abs("etc"));
  EXPECT_EQ(c->general.local_msp_dir, Abs("etc/msp/"));
  EXPECT_EQ(c->general.tls.certificate, Abs("tls/server.crt"));
  EXPECT_EQ(c->general.tls.private_key, Abs("tls/server.key"));
  EXPECT_THAT(c->general.tls.root_cas, ElementsAre(Abs("tls/ca.crt")));
  EXPECT_EQ(c->general.cluster.server_certificate, Abs("tls/server.crt"));
  EXPECT_EQ(c->file_ledger.location, Abs("var/orderer"));
  EXPECT_EQ(c->consensus.snap_dir, Abs("var/orderer/raft/snapshot"));
}

TEST_F(OrdererConfigTest, ParsedTextResolvesAgainstTheFolderOfItsSourceName) {
  absl::StatusOr<OrdererConfig> c = ParseOrdererConfig(kMinimal, dir_.Path("orderer.yaml"), {});
  ASSERT_TRUE(c.ok()) << c.status();
  ExpectSameSettings(*c, Defaults());
}

TEST_F(OrdererConfigTest, MissingFileIsNotFound) {
  absl::StatusOr<OrdererConfig> c = LoadOrdererConfig(dir_.Path("absent.yaml"), {});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("absent.yaml"));
}

// ---------------------------------------------------------------------------------------------------------
// TLS sections that are off are not checked.

TEST_F(OrdererConfigTest, DisabledTlsSectionsAreNotChecked) {
  absl::StatusOr<OrdererConfig> c = Load(
      "General:\n"
      "  LocalMSPID: OrdererMSP\n"
      "  TLS:\n"
      "    Enabled: false\n"
      "    Certificate: missing.crt\n"
      "    PrivateKey: missing.key\n"
      "  Cluster:\n"
      "    ServerCertificate: tls/server.crt\n"
      "    ServerPrivateKey: tls/server.key\n"
      "Operations:\n"
      "  TLS:\n"
      "    Enabled: false\n"
      "    Certificate: junk.txt\n"
      "    ClientAuthRequired: true\n"
      "    ClientRootCAs: []\n"
      "Admin:\n"
      "  ListenAddress: localhost:7053\n"
      "  TLS:\n"
      "    Enabled: false\n"
      "    Certificate: missing.crt\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->general.tls.enabled);
  EXPECT_EQ(c->general.tls.certificate, Abs("missing.crt"));
}

// ---------------------------------------------------------------------------------------------------------
// Every error names the key at fault, with the position of its value (or of its mapping, or the variable).

struct ErrorCase {
  std::string name;
  std::string yaml;
  std::map<std::string, std::string> env;
  std::string message;  // expected in the error, after the test folder's path is put in for "<dir>"
  std::string also = "";  // expected too, elsewhere in the error
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

const ErrorCase kErrorCases[] = {
    {"TlsEnabledRequiresACertificate", kMinimal, {{"ORDERER_GENERAL_TLS_CERTIFICATE", ""}},
     "$ORDERER_GENERAL_TLS_CERTIFICATE: General.TLS.Certificate: empty, but required: General.TLS.Enabled is true"},
    {"TlsEnabledRequiresAPrivateKey", kMinimal, {{"ORDERER_GENERAL_TLS_PRIVATEKEY", ""}},
     "$ORDERER_GENERAL_TLS_PRIVATEKEY: General.TLS.PrivateKey: empty, but required: General.TLS.Enabled is true"},
    {"MissingCertificateFileIsNamedByItsKey",
     "General:\n  LocalMSPID: OrdererMSP\n  TLS:\n    Certificate: missing.crt\n", {},
     "orderer.yaml:4:18: General.TLS.Certificate: <dir>/missing.crt"},
    {"MissingDefaultFileSaysItIsTheDefault",
     "General:\n  LocalMSPID: OrdererMSP\n  TLS:\n    Enabled: false\n    RootCAs: [missing.crt]\n", {},
     "General.Cluster.RootCAs: item 1: <dir>/missing.crt", "(the default value)"},
    {"CertificateFileWithoutACertificate",
     "General:\n  LocalMSPID: OrdererMSP\n  TLS:\n    Certificate: junk.txt\n", {},
     "General.TLS.Certificate: <dir>/junk.txt: no PEM CERTIFICATE block found"},
    {"PrivateKeyFileWithoutAKey",
     "General:\n  LocalMSPID: OrdererMSP\n  TLS:\n    PrivateKey: tls/server.crt\n", {},
     "orderer.yaml:4:17: General.TLS.PrivateKey: <dir>/tls/server.crt"},
    {"PrivateKeyOfAnotherCertificate",
     "General:\n  LocalMSPID: OrdererMSP\n  TLS:\n    PrivateKey: other/server.key\n", {},
     "General.TLS.PrivateKey: <dir>/other/server.key is not the key of the certificate in General.TLS.Certificate "
     "(<dir>/tls/server.crt, subject CN=orderer0.example.org"},
    {"RootCaThatIsNotACa", "General:\n  LocalMSPID: OrdererMSP\n  TLS:\n    RootCAs: [tls/ca.crt, tls/server.crt]\n",
     {}, "General.TLS.RootCAs: item 2: <dir>/tls/server.crt: certificate 1 (subject CN=orderer0.example.org"},
    {"ClientAuthRequiredWithoutClientRootCas",
     "General:\n  LocalMSPID: OrdererMSP\n  TLS:\n    ClientAuthRequired: true\n", {},
     "orderer.yaml:3:3: General.TLS.ClientRootCAs: empty, but General.TLS.ClientAuthRequired is true"},
    {"ListenPortOutOfRange", "General:\n  LocalMSPID: OrdererMSP\n  ListenPort: 70000\n", {},
     "orderer.yaml:3:15: General.ListenPort: expected an integer between 1 and 65535"},
    {"ListenPortOutOfRangeFromTheEnvironment", kMinimal, {{"ORDERER_GENERAL_LISTENPORT", "0"}},
     "$ORDERER_GENERAL_LISTENPORT: General.ListenPort: expected an integer between 1 and 65535"},
    {"GeneralListenAddressWithAPort", "General:\n  LocalMSPID: OrdererMSP\n  ListenAddress: 0.0.0.0:7050\n", {},
     "orderer.yaml:3:18: General.ListenAddress: expected a host without a port; the port is General.ListenPort"},
    {"ClusterListenAddressWithAPort", kMinimal, {{"ORDERER_GENERAL_CLUSTER_LISTENADDRESS", "10.0.0.1:7052"}},
     "General.Cluster.ListenAddress: expected a host without a port; the port is General.Cluster.ListenPort"},
    {"ListenAddressWithAMalformedHost",
     "General:\n  LocalMSPID: OrdererMSP\nAdmin:\n  ListenAddress: 10.0.0.300:7053\n", {},
     "orderer.yaml:4:18: Admin.ListenAddress: the host is neither an IPv4 address nor a DNS name"},
    {"ListenAddressWithAPortOutOfRange",
     "General:\n  LocalMSPID: OrdererMSP\nOperations:\n  ListenAddress: 127.0.0.1:99999\n", {},
     "Operations.ListenAddress: the port must be an integer between 1 and 65535"},
    {"TwoListenersOnOnePort", "General:\n  LocalMSPID: OrdererMSP\n  Cluster:\n    ListenPort: 7050\n", {},
     "orderer.yaml:4:17: General.Cluster.ListenPort: 0.0.0.0:7050 cannot listen on the port of General.ListenPort "
     "(0.0.0.0:7050)"},
    {"WildcardListenerSharesItsPortWithEveryHost",
     "General:\n  LocalMSPID: OrdererMSP\nOperations:\n  ListenAddress: 0.0.0.0:7053\n", {},
     "Operations.ListenAddress: 0.0.0.0:7053 cannot listen on the port of Admin.ListenAddress (127.0.0.1:7053)"},
    {"AdminTlsWithoutClientAuthentication",
     "General:\n  LocalMSPID: OrdererMSP\nAdmin:\n  TLS:\n    ClientAuthRequired: false\n", {},
     "orderer.yaml:5:25: Admin.TLS.ClientAuthRequired: must be true when Admin.TLS.Enabled is true"},
    {"AdminWithoutTlsOffLoopback",
     "General:\n  LocalMSPID: OrdererMSP\nAdmin:\n  ListenAddress: 0.0.0.0\n  TLS:\n    Enabled: false\n", {},
     "orderer.yaml:6:14: Admin.TLS.Enabled: false is allowed only on a loopback Admin.ListenAddress, not "
     "0.0.0.0:7053"},
    {"AdminClientAuthWithoutClientRootCas",
     "General:\n  LocalMSPID: OrdererMSP\nAdmin:\n  TLS:\n    ClientRootCAs: []\n", {},
     "orderer.yaml:5:20: Admin.TLS.ClientRootCAs: empty, but Admin.TLS.ClientAuthRequired is true"},
    {"ClusterWithoutRootCas", "General:\n  LocalMSPID: OrdererMSP\n  Cluster:\n    RootCAs: []\n", {},
     "orderer.yaml:4:14: General.Cluster.RootCAs: empty, but the cluster always uses mutual TLS"},
    {"ClusterFilesAreCheckedEvenWithoutTlsForClients",
     "General:\n  LocalMSPID: OrdererMSP\n  TLS:\n    Enabled: false\n  Cluster:\n    ClientCertificate: missing.crt\n",
     {}, "orderer.yaml:6:24: General.Cluster.ClientCertificate: <dir>/missing.crt"},
    {"ClusterRequiresACertificate", kMinimal, {{"ORDERER_GENERAL_CLUSTER_SERVERCERTIFICATE", ""}},
     "General.Cluster.ServerCertificate: empty, but required: the cluster always uses mutual TLS"},
    {"ClusterKeyOfAnotherCertificate",
     "General:\n  LocalMSPID: OrdererMSP\n  Cluster:\n    ClientPrivateKey: other/server.key\n", {},
     "General.Cluster.ClientPrivateKey: <dir>/other/server.key is not the key of the certificate in "
     "General.Cluster.ClientCertificate"},
    {"ClusterRootCaThatIsNotACa", "General:\n  LocalMSPID: OrdererMSP\n  Cluster:\n    RootCAs: [other/server.crt]\n",
     {}, "General.Cluster.RootCAs: item 1: <dir>/other/server.crt: certificate 1 (subject CN=orderer1.example.org"},
    {"EnabledOperationsTlsIsChecked",
     "General:\n  LocalMSPID: OrdererMSP\nOperations:\n  TLS:\n    Enabled: true\n    Certificate: missing.crt\n",
     {}, "orderer.yaml:6:18: Operations.TLS.Certificate: <dir>/missing.crt"},
    {"OperationsClientAuthWithoutClientRootCas",
     "General:\n  LocalMSPID: OrdererMSP\nOperations:\n  TLS:\n    Enabled: true\n    ClientAuthRequired: true\n"
     "    ClientRootCAs: []\n", {},
     "Operations.TLS.ClientRootCAs: empty, but Operations.TLS.ClientAuthRequired is true"},
    {"LocalMspDirMissing", "General:\n  LocalMSPID: OrdererMSP\n  LocalMSPDir: nomsp\n", {},
     "orderer.yaml:3:16: General.LocalMSPDir: <dir>/nomsp: no such folder"},
    {"LocalMspDirNotAFolder", "General:\n  LocalMSPID: OrdererMSP\n  LocalMSPDir: junk.txt\n", {},
     "General.LocalMSPDir: <dir>/junk.txt: not a folder"},
    {"LocalMspDirFromTheEnvironmentMissing", kMinimal, {{"ORDERER_GENERAL_LOCALMSPDIR", "gone"}},
     "$ORDERER_GENERAL_LOCALMSPDIR: General.LocalMSPDir: <dir>/gone: no such folder"},
    {"LocalMspIdEmpty", kMinimal, {{"ORDERER_GENERAL_LOCALMSPID", ""}},
     "$ORDERER_GENERAL_LOCALMSPID: General.LocalMSPID: must not be empty"},
    {"FileLedgerLocationEmpty", kMinimal, {{"ORDERER_FILELEDGER_LOCATION", ""}},
     "FileLedger.Location: must name a folder"},
    {"MalformedLogSpec", "General:\n  LocalMSPID: OrdererMSP\nLogging:\n  Spec: info:orderer.raft=verbose\n", {},
     "orderer.yaml:4:9: Logging.Spec: invalid logging spec"},
    {"SnapshotIntervalOfZeroBlocks", "General:\n  LocalMSPID: OrdererMSP\nConsensus:\n  SnapshotIntervalBlocks: 0\n",
     {}, "Consensus.SnapshotIntervalBlocks: expected an integer between 1 and 4294967295"},
    {"MessageSizeTooSmall", "General:\n  LocalMSPID: OrdererMSP\n  MaxRecvMsgSize: 10\n", {},
     "orderer.yaml:3:19: General.MaxRecvMsgSize:"},
    {"MessageSizeBeyondWhatGrpcTakes", "General:\n  LocalMSPID: OrdererMSP\n  MaxSendMsgSize: 2 GiB\n", {},
     "General.MaxSendMsgSize:"},
    {"ZeroDialTimeout", "General:\n  LocalMSPID: OrdererMSP\n  Cluster:\n    DialTimeout: 0s\n", {},
     "orderer.yaml:4:18: General.Cluster.DialTimeout:"},
    {"BccspIsNotSupported", "General:\n  LocalMSPID: OrdererMSP\n  BCCSP:\n    Default: SW\n", {},
     "General.BCCSP: not supported"},
    {"UnknownKeyWithItsPosition", "General:\n  LocalMSPID: OrdererMSP\n  ListenPrt: 7050\n", {},
     "orderer.yaml:3:3: General.ListenPrt: unknown key; did you mean 'ListenPort'?"},
    {"UnknownSection", "General:\n  LocalMSPID: OrdererMSP\nKafka:\n  Retry: {}\n", {},
     "orderer.yaml:3:1: Kafka: unknown key"},
    {"MisspeltEnvironmentVariable", kMinimal, {{"ORDERER_GENERAL_LISTENPROT", "7050"}},
     "$ORDERER_GENERAL_LISTENPROT: no configuration key has this variable"},
    {"WrongTypeForAList", "General:\n  LocalMSPID: OrdererMSP\n  TLS:\n    RootCAs: tls/ca.crt\n", {},
     "orderer.yaml:4:14: General.TLS.RootCAs: expected a list of values"},
};

class OrdererConfigErrorTest : public OrdererConfigTest, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(OrdererConfigErrorTest, NamesTheKeyAtFault) {
  const ErrorCase& c = GetParam();
  absl::StatusOr<OrdererConfig> result = Load(c.yaml, {c.env.begin(), c.env.end()});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
  std::string expected = c.message;
  for (size_t at = expected.find("<dir>"); at != std::string::npos; at = expected.find("<dir>", at + Dir().size())) {
    expected.replace(at, 5, Dir());
  }
  EXPECT_THAT(std::string(result.status().message()), HasSubstr(expected));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr(c.also));
}

INSTANTIATE_TEST_SUITE_P(Errors, OrdererConfigErrorTest, ::testing::ValuesIn(kErrorCases),
                         [](const ::testing::TestParamInfo<ErrorCase>& info) { return info.param.name; });

// ---------------------------------------------------------------------------------------------------------
// `config show`.

TEST_F(OrdererConfigTest, EffectiveConfigShowsEachValueWithItsOrigin) {
  absl::StatusOr<OrdererConfig> c = Load(kMinimal, {{"ORDERER_GENERAL_LISTENPORT", "7160"}});
  ASSERT_TRUE(c.ok()) << c.status();
  const std::string text = FormatEffectiveConfig(*c);
  EXPECT_THAT(text, StartsWith("# " + dir_.Path("orderer.yaml") + ": relative paths are resolved against " +
                               Dir() + "\n"));
  EXPECT_THAT(text, HasSubstr("\nGeneral.ListenAddress: \"0.0.0.0\"  # default\n"));
  EXPECT_THAT(text, HasSubstr("\nGeneral.ListenPort: 7160  # $ORDERER_GENERAL_LISTENPORT\n"));
  EXPECT_THAT(text, HasSubstr("\nGeneral.TLS.Certificate: \"tls/server.crt\"  # default\n"));
  EXPECT_THAT(text, HasSubstr("\nGeneral.LocalMSPID: \"OrdererMSP\"  # " + dir_.Path("orderer.yaml") + ":2:15\n"));
  EXPECT_THAT(text, HasSubstr("\nGeneral.MaxRecvMsgSize: 104857600 (100 MiB)  # default\n"));
  EXPECT_THAT(text, HasSubstr("\nConsensus.SnapshotIntervalBlocks: 100  # default\n"));
}

}  // namespace
}  // namespace careledger::orderer
