#include "peer/config/peer_config.h"

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

namespace careledger::peer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr char kMinimal[] =
    "peer:\n"
    "  id: peer0.hospital1.example.org\n"
    "  localMspId: Hospital1MSP\n";

// A folder laid out as `careledger crypto generate` lays out a peer's: tls/ and msp/ next to core.yaml, so
// that the defaults find their files. Also a few wrong files for the error cases.
class PeerConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write("tls/ca.crt", org_.root_cert().ToPem());
    WriteKeyPair("tls/server", "peer0.hospital1.example.org");
    WriteKeyPair("other/server", "peer1.hospital1.example.org");
    Write("junk.txt", "not a certificate\n");
    std::filesystem::create_directories(dir_.Path("msp"));
  }

  void Write(const std::string& name, const std::string& content) {
    std::filesystem::create_directories(std::filesystem::path(dir_.Path(name)).parent_path());
    ASSERT_TRUE(file::WriteFileAtomic(dir_.Path(name), content).ok()) << name;
  }

  // <stem>.crt and <stem>.key, issued by org_.
  void WriteKeyPair(const std::string& stem, const std::string& common_name) {
    auto [cert, key] = org_.IssueWithKey(common_name, {"peer"});
    Write(stem + ".crt", cert.ToPem());
    Write(stem + ".key", key.ToPem());
  }

  // The test folder, where core.yaml is.
  std::string Dir() const { return std::filesystem::path(dir_.path()).lexically_normal().string(); }

  // The absolute, normalised path of `name` in the test folder: what relative paths resolve to.
  std::string Abs(const std::string& name) const {
    return (std::filesystem::path(dir_.path()) / name).lexically_normal().string();
  }

  absl::StatusOr<PeerConfig> Load(const std::string& yaml, config::Environment::VariableMap env = {},
                                  const std::vector<std::string>& sets = {}) {
    Write("core.yaml", yaml);
    return LoadPeerConfig(dir_.Path("core.yaml"), config::Environment(std::move(env)), sets);
  }

  // What a file with only the required keys must give.
  PeerConfig Defaults() const {
    PeerConfig c;
    PeerSection& p = c.peer;
    p.id = "peer0.hospital1.example.org";
    p.listen = {"0.0.0.0", 7051};
    p.address = "peer0.hospital1.example.org:7051";
    p.tls = {.enabled = true,
             .certificate = Abs("tls/server.crt"),
             .private_key = Abs("tls/server.key"),
             .root_cas = {Abs("tls/ca.crt")},
             .client_auth_required = false,
             .client_root_cas = {}};
    p.tls_client_certificate = Abs("tls/server.crt");
    p.tls_client_private_key = Abs("tls/server.key");
    p.keepalive = {absl::Seconds(60), absl::Hours(2), absl::Seconds(20)};
    p.client_keepalive = {absl::Seconds(60), absl::Seconds(20)};
    p.delivery_client_keepalive = {absl::Seconds(60), absl::Seconds(20)};
    p.authentication_time_window = absl::Minutes(15);
    p.file_system_path = "/var/lib/careledger/peer";
    p.msp_config_path = Abs("msp");
    p.local_msp_id = "Hospital1MSP";
    p.role = PeerRole::kEndorsing;
    p.gateway = {true, absl::Seconds(30), absl::Seconds(30), absl::Minutes(2)};
    p.limits = {2500, 2500, 500};
    p.max_recv_msg_size = 104857600;
    p.max_send_msg_size = 104857600;
    p.delivery_client = {absl::Hours(1), absl::Seconds(3), absl::Seconds(10), absl::Milliseconds(100), {}};
    p.admin.listen = {"127.0.0.1", 7055};
    p.admin.tls = {.enabled = true,
                   .certificate = Abs("tls/server.crt"),
                   .private_key = Abs("tls/server.key"),
                   .root_cas = {},
                   .client_auth_required = true,
                   .client_root_cas = {Abs("tls/ca.crt")}};
    c.chaincode = {"/var/lib/careledger/peer/chaincodes", absl::Seconds(30), 64};
    c.operations.listen = {"127.0.0.1", 9443};
    c.operations.tls = p.admin.tls;
    c.operations.tls.enabled = false;
    c.operations.tls.client_auth_required = false;
    c.metrics.provider = MetricsProvider::kDisabled;
    c.vault.path = "/var/lib/careledger/peer/vault";
    c.logging.spec = "info";
    return c;
  }

  // The origin of each key read, by key path.
  static std::map<std::string, std::string> Origins(const PeerConfig& c) {
    std::map<std::string, std::string> origins;
    for (const config::EffectiveValue& value : c.effective_values) origins[value.path] = value.origin;
    return origins;
  }

  msp::testing::TestOrg org_{"Hospital1MSP"};
  careledger::testing::ScopedTempDir dir_;
};

// Field by field where it helps, so that a failure says which part differs.
void ExpectSameSettings(const PeerConfig& actual, const PeerConfig& expected) {
  const PeerSection& a = actual.peer;
  const PeerSection& e = expected.peer;
  EXPECT_EQ(a.id, e.id);
  EXPECT_EQ(a.listen, e.listen);
  EXPECT_EQ(a.tls, e.tls);
  EXPECT_EQ(a.tls_client_certificate, e.tls_client_certificate);
  EXPECT_EQ(a.tls_client_private_key, e.tls_client_private_key);
  EXPECT_EQ(a.keepalive, e.keepalive);
  EXPECT_EQ(a.client_keepalive, e.client_keepalive);
  EXPECT_EQ(a.delivery_client_keepalive, e.delivery_client_keepalive);
  EXPECT_EQ(a.authentication_time_window, e.authentication_time_window);
  EXPECT_EQ(a.file_system_path, e.file_system_path);
  EXPECT_EQ(a.msp_config_path, e.msp_config_path);
  EXPECT_EQ(a.local_msp_id, e.local_msp_id);
  EXPECT_EQ(a.role, e.role);
  EXPECT_EQ(a.gateway, e.gateway);
  EXPECT_EQ(a.limits, e.limits);
  EXPECT_EQ(a.max_recv_msg_size, e.max_recv_msg_size);
  EXPECT_EQ(a.max_send_msg_size, e.max_send_msg_size);
  EXPECT_EQ(a.delivery_client, e.delivery_client);
  EXPECT_EQ(a.admin, e.admin);
  EXPECT_EQ(a, e);
  EXPECT_EQ(actual.chaincode, expected.chaincode);
  EXPECT_EQ(actual.operations, expected.operations);
  EXPECT_EQ(actual.metrics, expected.metrics);
  EXPECT_EQ(actual.vault, expected.vault);
  EXPECT_EQ(actual.logging, expected.logging);
}

// ---------------------------------------------------------------------------------------------------------
// Defaults and the example file.

TEST_F(PeerConfigTest, EmptyFileWithTheRequiredKeysFromTheEnvironmentTakesEveryDefault) {
  absl::StatusOr<PeerConfig> c =
      Load("", {{"CORE_PEER_ID", "peer0.hospital1.example.org"}, {"CORE_PEER_LOCALMSPID", "Hospital1MSP"}});
  ASSERT_TRUE(c.ok()) << c.status();
  ExpectSameSettings(*c, Defaults());
  EXPECT_EQ(c->config_dir, Dir());
  EXPECT_EQ(c->source_name, dir_.Path("core.yaml"));
}

TEST_F(PeerConfigTest, EmptyFileLacksThePeerId) {
  absl::StatusOr<PeerConfig> c = Load("");
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(c.status().message()),
              HasSubstr("core.yaml:1:1: peer.id: missing required key (or set CORE_PEER_ID)"));
}

TEST_F(PeerConfigTest, TheLocalMspIdIsRequired) {
  absl::StatusOr<PeerConfig> c = Load("peer:\n  id: peer0\n");
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(c.status().message()),
              HasSubstr("core.yaml:1:1: peer.localMspId: missing required key (or set CORE_PEER_LOCALMSPID)"));
}

TEST_F(PeerConfigTest, MinimalFileTakesEveryOtherDefault) {
  absl::StatusOr<PeerConfig> c = Load(kMinimal);
  ASSERT_TRUE(c.ok()) << c.status();
  ExpectSameSettings(*c, Defaults());
}

// The example documents the defaults: loading it must give exactly them.
TEST_F(PeerConfigTest, ExampleFileLoadsAndShowsTheDefaults) {
  absl::StatusOr<std::string> example = file::ReadFile(CARELEDGER_PEER_EXAMPLE_YAML);
  ASSERT_TRUE(example.ok()) << example.status();
  absl::StatusOr<PeerConfig> c = Load(*example);
  ASSERT_TRUE(c.ok()) << c.status();
  ExpectSameSettings(*c, Defaults());
}

// Every key the example shows is one the reader knows, and it shows all of them.
TEST_F(PeerConfigTest, ExampleFileNamesEveryKey) {
  absl::StatusOr<std::string> example = file::ReadFile(CARELEDGER_PEER_EXAMPLE_YAML);
  ASSERT_TRUE(example.ok());
  absl::StatusOr<PeerConfig> c = Load(*example);
  ASSERT_TRUE(c.ok()) << c.status();
  for (const config::EffectiveValue& value : c->effective_values) {
    EXPECT_EQ(value.source, config::EffectiveValue::Source::kFile) << value.path << " is missing from the example";
  }
}

// ---------------------------------------------------------------------------------------------------------
// Every key, set to something other than its default.

TEST_F(PeerConfigTest, EachKeyIsRead) {
  Write("ca/org1.crt", org_.root_cert().ToPem());
  msp::testing::TestOrg org2("Hospital2MSP");
  Write("ca/org2.crt", org2.root_cert().ToPem());
  WriteKeyPair("keys/server", "peer0");
  WriteKeyPair("keys/client", "peer0-client");
  WriteKeyPair("admin/server", "peer0-admin");
  WriteKeyPair("ops/server", "peer0-ops");
  std::filesystem::create_directories(dir_.Path("crypto/msp"));

  absl::StatusOr<PeerConfig> c = Load(
      "peer:\n"
      "  id: peer3.lab_2-x\n"
      "  fileSystemPath: /data/peer\n"
      "  mspConfigPath: crypto/msp\n"
      "  localMspId: LabMSP\n"
      "  role: audit\n"
      "  listenAddress: 10.0.0.5:7151\n"
      "  tls:\n"
      "    enabled: true\n"
      "    clientAuthRequired: true\n"
      "    cert:\n"
      "      file: keys/server.crt\n"
      "    key:\n"
      "      file: keys/server.key\n"
      "    rootcert:\n"
      "      file: ca/org2.crt\n"
      "    clientRootCAs:\n"
      "      files: [ca/org1.crt, ca/org2.crt]\n"
      "    clientCert:\n"
      "      file: keys/client.crt\n"
      "    clientKey:\n"
      "      file: keys/client.key\n"
      "  keepalive:\n"
      "    minInterval: 30s\n"
      "    interval: 1h\n"
      "    timeout: 10s\n"
      "    client:\n"
      "      interval: 45s\n"
      "      timeout: 5s\n"
      "    deliveryClient:\n"
      "      interval: 90s\n"
      "      timeout: 15s\n"
      "  authentication:\n"
      "    timewindow: 5m\n"
      "  maxRecvMsgSize: 50 MB\n"
      "  maxSendMsgSize: 62914560\n"
      "  gateway:\n"
      "    enabled: false\n"
      "    endorsementTimeout: 10s\n"
      "    broadcastTimeout: 20s\n"
      "    dialTimeout: 1m\n"
      "  limits:\n"
      "    concurrency:\n"
      "      endorserService: 100\n"
      "      deliverService: 0\n"
      "      gatewayService: 7\n"
      "  deliveryclient:\n"
      "    reconnectTotalTimeThreshold: 30m\n"
      "    connTimeout: 1s\n"
      "    minimalReconnectInterval: 50ms\n"
      "    reConnectBackoffThreshold: 1m\n"
      "    addressOverrides:\n"
      "      - from: orderer0.example.org:7050\n"
      "        to: 10.0.0.9:7050\n"
      "        caCertsFile: ca/org2.crt\n"
      "      - from: \"[fd00::1]:7050\"\n"
      "        to: orderer1.internal:17050\n"
      "  admin:\n"
      "    listenAddress: \"[::1]:9055\"\n"
      "    tls:\n"
      "      enabled: true\n"
      "      clientAuthRequired: true\n"
      "      cert:\n"
      "        file: admin/server.crt\n"
      "      key:\n"
      "        file: admin/server.key\n"
      "      clientRootCAs:\n"
      "        files: [ca/org2.crt]\n"
      "chaincode:\n"
      "  installPath: packages\n"
      "  executetimeout: 5s\n"
      "  maxConcurrentInvocations: 8\n"
      "operations:\n"
      "  listenAddress: 0.0.0.0:9444\n"
      "  tls:\n"
      "    enabled: true\n"
      "    clientAuthRequired: true\n"
      "    cert:\n"
      "      file: ops/server.crt\n"
      "    key:\n"
      "      file: ops/server.key\n"
      "    clientRootCAs:\n"
      "      files: [ca/org1.crt]\n"
      "metrics:\n"
      "  provider: prometheus\n"
      "vault:\n"
      "  enabled: false\n"
      "  path: documents\n"
      "  masterKeyFile: keys/vault.key\n"
      "  maxDocumentBytes: 4 MB\n"
      "  accessWindow: 1m\n"
      "logging:\n"
      "  spec: warn:peer.committer=debug\n");
  ASSERT_TRUE(c.ok()) << c.status();

  PeerConfig expected;
  PeerSection& p = expected.peer;
  p.id = "peer3.lab_2-x";
  p.file_system_path = "/data/peer";
  p.msp_config_path = Abs("crypto/msp");
  p.local_msp_id = "LabMSP";
  p.role = PeerRole::kAudit;
  p.listen = {"10.0.0.5", 7151};
  p.address = "10.0.0.5:7151";
  p.tls = {true,
           Abs("keys/server.crt"),
           Abs("keys/server.key"),
           {Abs("ca/org2.crt")},
           true,
           {Abs("ca/org1.crt"), Abs("ca/org2.crt")}};
  p.tls_client_certificate = Abs("keys/client.crt");
  p.tls_client_private_key = Abs("keys/client.key");
  p.keepalive = {absl::Seconds(30), absl::Hours(1), absl::Seconds(10)};
  p.client_keepalive = {absl::Seconds(45), absl::Seconds(5)};
  p.delivery_client_keepalive = {absl::Seconds(90), absl::Seconds(15)};
  p.authentication_time_window = absl::Minutes(5);
  p.max_recv_msg_size = 50 << 20;
  p.max_send_msg_size = 60 << 20;
  p.gateway = {false, absl::Seconds(10), absl::Seconds(20), absl::Minutes(1)};
  p.limits = {100, 0, 7};
  p.delivery_client = {absl::Minutes(30),
                       absl::Seconds(1),
                       absl::Minutes(1),
                       absl::Milliseconds(50),
                       {{{"orderer0.example.org", 7050}, {"10.0.0.9", 7050}, Abs("ca/org2.crt")},
                        {{"fd00::1", 7050}, {"orderer1.internal", 17050}, ""}}};
  p.admin = {{"::1", 9055}, {true, Abs("admin/server.crt"), Abs("admin/server.key"), {}, true, {Abs("ca/org2.crt")}}};
  expected.chaincode = {Abs("packages"), absl::Seconds(5), 8};
  expected.operations = {{"0.0.0.0", 9444},
                         {true, Abs("ops/server.crt"), Abs("ops/server.key"), {}, true, {Abs("ca/org1.crt")}}};
  expected.metrics.provider = MetricsProvider::kPrometheus;
  expected.vault = {false, Abs("documents"), Abs("keys/vault.key"), uint64_t{4} << 20, absl::Minutes(1)};
  expected.logging.spec = "warn:peer.committer=debug";
  absl::StatusOr<logging::LogSpec> spec = logging::LogSpec::Parse("warn:peer.committer=debug");
  ASSERT_TRUE(spec.ok());
  expected.logging.log_spec = *spec;
  ExpectSameSettings(*c, expected);
  EXPECT_EQ(c->logging.log_spec.LevelFor("peer.committer"), logging::Level::kDebug);
  EXPECT_EQ(PeerRoleName(c->peer.role), "audit");
}

// Keys left out follow the keys they default to, not fixed values.
TEST_F(PeerConfigTest, DerivedDefaultsFollowTheKeysTheyDefaultTo) {
  WriteKeyPair("keys/server", "peer0");
  Write("ca/org1.crt", org_.root_cert().ToPem());
  absl::StatusOr<PeerConfig> c = Load(
      "peer:\n"
      "  id: peer0\n"
      "  localMspId: Hospital1MSP\n"
      "  fileSystemPath: data\n"
      "  tls:\n"
      "    cert:\n"
      "      file: keys/server.crt\n"
      "    key:\n"
      "      file: keys/server.key\n"
      "    rootcert:\n"
      "      file: ca/org1.crt\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->peer.tls_client_certificate, Abs("keys/server.crt"));
  EXPECT_EQ(c->peer.tls_client_private_key, Abs("keys/server.key"));
  EXPECT_EQ(c->peer.admin.tls.certificate, Abs("keys/server.crt"));
  EXPECT_EQ(c->peer.admin.tls.private_key, Abs("keys/server.key"));
  EXPECT_THAT(c->peer.admin.tls.client_root_cas, ElementsAre(Abs("ca/org1.crt")));
  EXPECT_EQ(c->operations.tls.certificate, Abs("keys/server.crt"));
  EXPECT_THAT(c->operations.tls.client_root_cas, ElementsAre(Abs("ca/org1.crt")));
  EXPECT_EQ(c->peer.file_system_path, Abs("data"));
  EXPECT_EQ(c->chaincode.install_path, Abs("data/chaincodes"));
}

// Without a root CA file, the admin endpoint has no client CA to default to: it must be given one.
TEST_F(PeerConfigTest, AdminClientCasCannotDefaultWithoutARootCertificate) {
  absl::StatusOr<PeerConfig> c = Load(kMinimal, {{"CORE_PEER_TLS_ROOTCERT_FILE", ""}});
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(c.status().message()),
              HasSubstr("core.yaml:1:1: peer.admin.tls.clientRootCAs.files: empty, but "
                        "peer.admin.tls.clientAuthRequired is true"));
}

TEST_F(PeerConfigTest, AddressDefaultsToTheListenerOrThePeerIdAndRefusesAWildcard) {
  absl::StatusOr<PeerConfig> c = Load(std::string(kMinimal) + "  listenAddress: 127.0.0.1:7151\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->peer.address, "127.0.0.1:7151");
  c = Load(std::string(kMinimal) + "  listenAddress: 0.0.0.0:7151\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->peer.address, "peer0.hospital1.example.org:7151");
  c = Load(std::string(kMinimal) + "  address: peer0.example.org\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->peer.address, "peer0.example.org:7051");
  c = Load(std::string(kMinimal) + "  address: 0.0.0.0:7051\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("peer.address: must name a host other nodes can reach"));
}

// ---------------------------------------------------------------------------------------------------------
// Environment and --set overrides.

TEST_F(PeerConfigTest, EnvironmentOverridesTheFileAndTheDefaults) {
  Write("extra/ca.crt", org_.root_cert().ToPem());
  absl::StatusOr<PeerConfig> c = Load(std::string(kMinimal) + "  listenAddress: 0.0.0.0:7151\n",
                                      {{"CORE_PEER_LISTENADDRESS", "0.0.0.0:7161"},
                                       {"CORE_PEER_TLS_ENABLED", "false"},
                                       {"CORE_PEER_TLS_CLIENTROOTCAS_FILES", "tls/ca.crt, extra/ca.crt"},
                                       {"CORE_PEER_KEEPALIVE_MININTERVAL", "5s"},
                                       {"CORE_PEER_KEEPALIVE_DELIVERYCLIENT_TIMEOUT", "7s"},
                                       {"CORE_PEER_FILESYSTEMPATH", "data"},
                                       {"CORE_PEER_ROLE", "audit"},
                                       {"CORE_PEER_GATEWAY_DIALTIMEOUT", "10s"},
                                       {"CORE_PEER_LIMITS_CONCURRENCY_GATEWAYSERVICE", "9"},
                                       {"CORE_PEER_DELIVERYCLIENT_CONNTIMEOUT", "2s"},
                                       {"CORE_PEER_ADMIN_LISTENADDRESS", "127.0.0.1:7163"},
                                       {"CORE_CHAINCODE_EXECUTETIMEOUT", "1m"},
                                       {"CORE_OPERATIONS_TLS_ENABLED", "false"},
                                       {"CORE_METRICS_PROVIDER", "prometheus"},
                                       {"CORE_LOGGING_SPEC", "debug"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->peer.listen, (nodeconfig::HostPort{"0.0.0.0", 7161}));
  EXPECT_FALSE(c->peer.tls.enabled);
  // Relative paths from the environment resolve against the configuration's folder too.
  EXPECT_THAT(c->peer.tls.client_root_cas, ElementsAre(Abs("tls/ca.crt"), Abs("extra/ca.crt")));
  EXPECT_EQ(c->peer.keepalive.server_min_interval, absl::Seconds(5));
  EXPECT_EQ(c->peer.delivery_client_keepalive.timeout, absl::Seconds(7));
  EXPECT_EQ(c->peer.file_system_path, Abs("data"));
  EXPECT_EQ(c->chaincode.install_path, Abs("data/chaincodes"));
  EXPECT_EQ(c->peer.role, PeerRole::kAudit);
  EXPECT_EQ(c->peer.gateway.dial_timeout, absl::Seconds(10));
  EXPECT_EQ(c->peer.limits.gateway_service, 9u);
  EXPECT_EQ(c->peer.delivery_client.conn_timeout, absl::Seconds(2));
  EXPECT_EQ(c->peer.admin.listen, (nodeconfig::HostPort{"127.0.0.1", 7163}));
  EXPECT_EQ(c->chaincode.execute_timeout, absl::Minutes(1));
  EXPECT_EQ(c->metrics.provider, MetricsProvider::kPrometheus);
  EXPECT_EQ(c->logging.log_spec.default_level(), logging::Level::kDebug);

  std::map<std::string, std::string> origins = Origins(*c);
  EXPECT_EQ(origins["peer.listenAddress"], "$CORE_PEER_LISTENADDRESS");
  EXPECT_EQ(origins["peer.tls.clientRootCAs.files"], "$CORE_PEER_TLS_CLIENTROOTCAS_FILES");
  EXPECT_EQ(origins["peer.localMspId"], dir_.Path("core.yaml") + ":3:15");
  EXPECT_EQ(origins["peer.maxRecvMsgSize"], "default");
}

TEST_F(PeerConfigTest, SetFlagsOverrideTheEnvironmentAndTheFile) {
  absl::StatusOr<PeerConfig> c = Load(
      std::string(kMinimal) + "  listenAddress: 0.0.0.0:7151\n", {{"CORE_PEER_LISTENADDRESS", "0.0.0.0:7161"}},
      {"peer.listenAddress=0.0.0.0:7171", "chaincode.maxConcurrentInvocations=3", "peer.tls.cert.file=tls/server.crt"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->peer.listen.port, 7171);
  EXPECT_EQ(c->chaincode.max_concurrent_invocations, 3u);
  EXPECT_EQ(Origins(*c)["peer.listenAddress"], "$CORE_PEER_LISTENADDRESS");
}

TEST_F(PeerConfigTest, SetFlagsAreCheckedLikeVariables) {
  absl::StatusOr<PeerConfig> unknown = Load(kMinimal, {}, {"peer.listenAdress=0.0.0.0:7171"});
  ASSERT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown.status().message()),
              HasSubstr("$CORE_PEER_LISTENADRESS: no configuration key has this variable; did you mean "
                        "'CORE_PEER_LISTENADDRESS'?"));

  absl::StatusOr<PeerConfig> malformed = Load(kMinimal, {}, {"peer.listenAddress"});
  ASSERT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(malformed.status().message()), HasSubstr("peer.listenAddress"));
}

// ---------------------------------------------------------------------------------------------------------
// Relative paths and sources.

TEST_F(PeerConfigTest, RelativePathsResolveAgainstTheConfigurationFolderNotTheCurrentOne) {
  std::filesystem::create_directories(dir_.Path("etc/msp"));
  Write("etc/core.yaml",
        "peer:\n"
        "  id: peer0\n"
        "  localMspId: Hospital1MSP\n"
        "  mspConfigPath: ./msp/\n"
        "  fileSystemPath: ../var/peer\n"
        "  tls:\n"
        "    cert:\n"
        "      file: ../tls/server.crt\n"
        "    key:\n"
        "      file: " +
            Abs("tls/server.key") +
            "\n"
            "    rootcert:\n"
            "      file: ../tls/./ca.crt\n");
  const std::filesystem::path previous = std::filesystem::current_path();
  std::filesystem::current_path(dir_.Path("msp"));  // anything but etc/
  absl::StatusOr<PeerConfig> c = LoadPeerConfig(dir_.Path("etc/core.yaml"), {});
  std::filesystem::current_path(previous);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->config_dir, Abs("etc"));
  EXPECT_EQ(c->peer.msp_config_path, Abs("etc/msp/"));
  EXPECT_EQ(c->peer.tls.certificate, Abs("tls/server.crt"));
  EXPECT_EQ(c->peer.tls.private_key, Abs("tls/server.key"));
  EXPECT_THAT(c->peer.tls.root_cas, ElementsAre(Abs("tls/ca.crt")));
  EXPECT_EQ(c->peer.tls_client_certificate, Abs("tls/server.crt"));
  EXPECT_EQ(c->peer.file_system_path, Abs("var/peer"));
  EXPECT_EQ(c->chaincode.install_path, Abs("var/peer/chaincodes"));
}

TEST_F(PeerConfigTest, ParsedTextResolvesAgainstTheFolderOfItsSourceName) {
  absl::StatusOr<PeerConfig> c = ParsePeerConfig(kMinimal, dir_.Path("core.yaml"), {});
  ASSERT_TRUE(c.ok()) << c.status();
  ExpectSameSettings(*c, Defaults());
}

// ---------------------------------------------------------------------------------------------------------
// The vault section.

TEST_F(PeerConfigTest, VaultSectionIsReadAndResolved) {
  absl::StatusOr<PeerConfig> c = Load(std::string(kMinimal) +
                                      "  fileSystemPath: data\n"
                                      "vault:\n"
                                      "  enabled: true\n"
                                      "  masterKeyFile: keys/vault.key\n"
                                      "  maxDocumentBytes: 8 MB\n"
                                      "  accessWindow: 2m\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->vault.enabled);
  EXPECT_EQ(c->vault.path, Abs("data/vault"));
  EXPECT_EQ(c->vault.master_key_file, Abs("keys/vault.key"));
  EXPECT_EQ(c->vault.max_document_bytes, uint64_t{8} << 20);
  EXPECT_EQ(c->vault.access_window, absl::Minutes(2));
  c = Load(std::string(kMinimal) + "vault:\n  path: /srv/vault\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->vault.enabled);
  EXPECT_EQ(c->vault.path, "/srv/vault");
}

TEST_F(PeerConfigTest, EnabledVaultNeedsAMasterKeyFile) {
  const absl::StatusOr<PeerConfig> c = Load(std::string(kMinimal) + "vault:\n  enabled: true\n");
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(c.status().message()),
              HasSubstr("vault.masterKeyFile: is required when the vault is enabled"));
}

TEST_F(PeerConfigTest, AuditPeerRefusesTheVault) {
  const absl::StatusOr<PeerConfig> c =
      Load(std::string(kMinimal) + "  role: audit\nvault:\n  enabled: true\n  masterKeyFile: vault.key\n");
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("vault.enabled: an audit peer never writes"));
}

TEST_F(PeerConfigTest, VaultDocumentsMustFitInAMessage) {
  const absl::StatusOr<PeerConfig> c = Load(std::string(kMinimal) +
                                            "  maxRecvMsgSize: 16 MB\n"
                                            "vault:\n  enabled: true\n  masterKeyFile: vault.key\n"
                                            "  maxDocumentBytes: 16 MB\n");
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("vault.maxDocumentBytes: must leave 1 MiB"));
}

TEST_F(PeerConfigTest, MissingFileIsNotFound) {
  absl::StatusOr<PeerConfig> c = LoadPeerConfig(dir_.Path("absent.yaml"), {});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("absent.yaml"));
}

// ---------------------------------------------------------------------------------------------------------
// TLS sections that are off are not checked.

TEST_F(PeerConfigTest, DisabledTlsSectionsAreNotChecked) {
  absl::StatusOr<PeerConfig> c = Load(std::string(kMinimal) +
                                      "  tls:\n"
                                      "    enabled: false\n"
                                      "    cert:\n"
                                      "      file: missing.crt\n"
                                      "    clientKey:\n"
                                      "      file: junk.txt\n"
                                      "  admin:\n"
                                      "    listenAddress: localhost:7055\n"
                                      "    tls:\n"
                                      "      enabled: false\n"
                                      "operations:\n"
                                      "  tls:\n"
                                      "    enabled: false\n"
                                      "    cert:\n"
                                      "      file: junk.txt\n"
                                      "    clientAuthRequired: true\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->peer.tls.enabled);
  EXPECT_EQ(c->peer.tls.certificate, Abs("missing.crt"));
  EXPECT_FALSE(c->peer.admin.tls.enabled);
}

TEST_F(PeerConfigTest, NoAddressOverridesByDefault) {
  absl::StatusOr<PeerConfig> c = Load(kMinimal);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->peer.delivery_client.address_overrides, IsEmpty());
}

// ---------------------------------------------------------------------------------------------------------
// Every error names the key at fault, with the position of its value (or of its mapping, or the variable).

struct ErrorCase {
  std::string name;
  std::string yaml;
  std::map<std::string, std::string> env;
  std::string message;    // expected in the error, after the test folder's path is put in for "<dir>"
  std::string also = "";  // expected too, elsewhere in the error
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

std::string Minimal(const std::string& more) { return std::string(kMinimal) + more; }

const ErrorCase kErrorCases[] = {
    // Required keys and their values.
    {"PeerIdEmpty", kMinimal, {{"CORE_PEER_ID", ""}}, "$CORE_PEER_ID: peer.id: must be 1 to 253 letters"},
    {"PeerIdWithABlank",
     "peer:\n  id: peer 0\n  localMspId: Hospital1MSP\n",
     {},
     "core.yaml:2:7: peer.id: must be 1 to 253 letters, digits, '.', '-' or '_'"},
    {"LocalMspIdEmpty",
     kMinimal,
     {{"CORE_PEER_LOCALMSPID", ""}},
     "$CORE_PEER_LOCALMSPID: peer.localMspId: must not be empty"},
    {"UnknownRole", Minimal("  role: endorser\n"), {}, "core.yaml:4:9: peer.role: must be endorsing or audit"},
    {"FileSystemPathEmpty", kMinimal, {{"CORE_PEER_FILESYSTEMPATH", ""}}, "peer.fileSystemPath: must name a folder"},
    {"InstallPathEmpty", kMinimal, {{"CORE_CHAINCODE_INSTALLPATH", ""}}, "chaincode.installPath: must name a folder"},
    {"MspConfigPathMissing",
     Minimal("  mspConfigPath: nomsp\n"),
     {},
     "core.yaml:4:18: peer.mspConfigPath: <dir>/nomsp: no such folder"},
    {"MspConfigPathNotAFolder",
     Minimal("  mspConfigPath: junk.txt\n"),
     {},
     "peer.mspConfigPath: <dir>/junk.txt: not a folder"},
    {"MspConfigPathDefaultMissing",
     kMinimal,
     {{"CORE_PEER_MSPCONFIGPATH", "gone"}},
     "$CORE_PEER_MSPCONFIGPATH: peer.mspConfigPath: <dir>/gone: no such folder"},

    // TLS files.
    {"TlsEnabledRequiresACertificate",
     kMinimal,
     {{"CORE_PEER_TLS_CERT_FILE", ""}},
     "$CORE_PEER_TLS_CERT_FILE: peer.tls.cert.file: empty, but required: peer.tls.enabled is true"},
    {"TlsEnabledRequiresAKey",
     kMinimal,
     {{"CORE_PEER_TLS_KEY_FILE", ""}},
     "$CORE_PEER_TLS_KEY_FILE: peer.tls.key.file: empty, but required: peer.tls.enabled is true"},
    {"MissingCertificateFileIsNamedByItsKey",
     Minimal("  tls:\n    cert:\n      file: missing.crt\n"),
     {},
     "core.yaml:6:13: peer.tls.cert.file: <dir>/missing.crt"},
    {"RootCertFromTheEnvironmentMissing",
     kMinimal,
     {{"CORE_PEER_TLS_ROOTCERT_FILE", "missing.crt"}},
     "$CORE_PEER_TLS_ROOTCERT_FILE: peer.tls.rootcert.file: <dir>/missing.crt"},
    {"CertificateFileWithoutACertificate",
     Minimal("  tls:\n    cert:\n      file: junk.txt\n"),
     {},
     "peer.tls.cert.file: <dir>/junk.txt: no PEM CERTIFICATE block found"},
    {"KeyOfAnotherCertificate",
     Minimal("  tls:\n    key:\n      file: other/server.key\n"),
     {},
     "peer.tls.key.file: <dir>/other/server.key is not the key of the certificate in peer.tls.cert.file "
     "(<dir>/tls/server.crt, subject CN=peer0.hospital1.example.org"},
    {"RootCertThatIsNotACa",
     Minimal("  tls:\n    rootcert:\n      file: tls/server.crt\n"),
     {},
     "core.yaml:6:13: peer.tls.rootcert.file: <dir>/tls/server.crt: certificate 1 (subject "
     "CN=peer0.hospital1.example.org"},
    {"ClientAuthRequiredWithoutClientRootCas",
     Minimal("  tls:\n    clientAuthRequired: true\n"),
     {},
     "core.yaml:4:3: peer.tls.clientRootCAs.files: empty, but peer.tls.clientAuthRequired is true"},
    {"ClientRootCaFileWithoutCertificates",
     Minimal("  tls:\n    clientAuthRequired: true\n    clientRootCAs:\n      files: [junk.txt]\n"),
     {},
     "core.yaml:7:14: peer.tls.clientRootCAs.files: item 1: <dir>/junk.txt"},
    {"ClientKeyOfAnotherCertificate",
     Minimal("  tls:\n    clientKey:\n      file: other/server.key\n"),
     {},
     "peer.tls.clientKey.file: <dir>/other/server.key is not the key of the certificate in "
     "peer.tls.clientCert.file"},
    {"ClientCertificateEmpty",
     kMinimal,
     {{"CORE_PEER_TLS_CLIENTCERT_FILE", ""}},
     "peer.tls.clientCert.file: empty, but required: peer.tls.enabled is true"},

    // Listeners.
    {"ListenAddressWithAMalformedHost",
     Minimal("  listenAddress: 10.0.0.300:7051\n"),
     {},
     "core.yaml:4:18: peer.listenAddress: the host is neither an IPv4 address nor a DNS name"},
    {"ListenAddressWithAPortOutOfRange",
     kMinimal,
     {{"CORE_OPERATIONS_LISTENADDRESS", "127.0.0.1:0"}},
     "$CORE_OPERATIONS_LISTENADDRESS: operations.listenAddress: the port must be an integer between 1 and 65535"},
    {"TwoListenersOnOnePort",
     Minimal("  admin:\n    listenAddress: 127.0.0.1:7051\n"),
     {},
     "core.yaml:5:20: peer.admin.listenAddress: 127.0.0.1:7051 cannot listen on the port of peer.listenAddress "
     "(0.0.0.0:7051)"},
    {"OperationsOnTheAdminPort",
     kMinimal,
     {{"CORE_OPERATIONS_LISTENADDRESS", "0.0.0.0:7055"}},
     "operations.listenAddress: 0.0.0.0:7055 cannot listen on the port of peer.admin.listenAddress (127.0.0.1:7055)"},

    // The admin endpoint.
    {"AdminTlsWithoutClientAuthentication",
     Minimal("  admin:\n    tls:\n      clientAuthRequired: false\n"),
     {},
     "core.yaml:6:27: peer.admin.tls.clientAuthRequired: must be true when peer.admin.tls.enabled is true"},
    {"AdminWithoutTlsOffLoopback",
     Minimal("  admin:\n    listenAddress: 0.0.0.0\n    tls:\n      enabled: false\n"),
     {},
     "core.yaml:7:16: peer.admin.tls.enabled: false is allowed only on a loopback peer.admin.listenAddress, not "
     "0.0.0.0:7055"},
    {"AdminCertificateMissing",
     kMinimal,
     {{"CORE_PEER_ADMIN_TLS_CERT_FILE", "missing.crt"}},
     "$CORE_PEER_ADMIN_TLS_CERT_FILE: peer.admin.tls.cert.file: <dir>/missing.crt"},
    {"AdminHasNoRootCert",
     Minimal("  admin:\n    tls:\n      rootcert:\n        file: tls/ca.crt\n"),
     {},
     "core.yaml:6:7: peer.admin.tls.rootcert: unknown key"},

    // Operations and metrics.
    {"EnabledOperationsTlsIsChecked",
     "operations:\n  tls:\n    enabled: true\n    cert:\n      file: missing.crt\n",
     {{"CORE_PEER_ID", "peer0"}, {"CORE_PEER_LOCALMSPID", "Hospital1MSP"}},
     "core.yaml:5:13: operations.tls.cert.file: <dir>/missing.crt"},
    {"UnknownMetricsProvider",
     Minimal("metrics:\n  provider: graphite\n"),
     {},
     "core.yaml:5:13: metrics.provider: must be prometheus or disabled"},
    {"StatsdIsNotSupported",
     kMinimal,
     {{"CORE_METRICS_PROVIDER", "statsd"}},
     "$CORE_METRICS_PROVIDER: metrics.provider: statsd is not supported"},
    {"StatsdSectionIsNotSupported",
     Minimal("metrics:\n  statsd:\n    network: udp\n"),
     {},
     "core.yaml:6:5: metrics.statsd: not supported"},

    // Values out of range.
    {"ZeroDuration",
     Minimal("  gateway:\n    endorsementTimeout: 0s\n"),
     {},
     "core.yaml:5:25: peer.gateway.endorsementTimeout:"},
    {"ZeroExecuteTimeout", kMinimal, {{"CORE_CHAINCODE_EXECUTETIMEOUT", "0"}}, "chaincode.executetimeout:"},
    {"ZeroKeepalive", Minimal("  keepalive:\n    client:\n      timeout: 0s\n"), {}, "peer.keepalive.client.timeout:"},
    {"NegativeConcurrencyLimit",
     kMinimal,
     {{"CORE_PEER_LIMITS_CONCURRENCY_ENDORSERSERVICE", "-1"}},
     "peer.limits.concurrency.endorserService: expected an integer between 0 and 2147483647"},
    {"NoInvocationWorkers",
     kMinimal,
     {{"CORE_CHAINCODE_MAXCONCURRENTINVOCATIONS", "0"}},
     "chaincode.maxConcurrentInvocations: expected an integer between 1 and 10000"},
    {"MessageSizeTooSmall", Minimal("  maxRecvMsgSize: 10\n"), {}, "core.yaml:4:19: peer.maxRecvMsgSize:"},
    {"MessageSizeBeyondWhatGrpcTakes", kMinimal, {{"CORE_PEER_MAXSENDMSGSIZE", "2 GiB"}}, "peer.maxSendMsgSize:"},
    {"FirstReconnectWaitLongerThanTheLongest",
     Minimal("  deliveryclient:\n    minimalReconnectInterval: 1m\n    reConnectBackoffThreshold: 10s\n"),
     {},
     "core.yaml:5:31: peer.deliveryclient.minimalReconnectInterval: must not exceed "
     "peer.deliveryclient.reConnectBackoffThreshold (10s)"},
    {"MalformedLogSpec",
     Minimal("logging:\n  spec: info:peer=verbose\n"),
     {},
     "core.yaml:5:9: logging.spec: invalid logging spec"},

    // Orderer address overrides.
    {"OverrideWithoutTo",
     Minimal("  deliveryclient:\n    addressOverrides:\n      - from: o0:7050\n"),
     {},
     "peer.deliveryclient.addressOverrides[0].to: missing required key"},
    {"OverrideWithoutAPort",
     Minimal("  deliveryclient:\n    addressOverrides:\n      - from: o0:7050\n        to: o1\n"),
     {},
     "core.yaml:7:13: peer.deliveryclient.addressOverrides[0].to: expected host:port (the port is required)"},
    {"OverrideWithAMalformedAddress",
     Minimal("  deliveryclient:\n    addressOverrides:\n      - from: o_0:7050\n        to: o1:7050\n"),
     {},
     "core.yaml:6:15: peer.deliveryclient.addressOverrides[0].from: the host is neither"},
    {"OverrideOfTheSameAddressTwice",
     Minimal("  deliveryclient:\n    addressOverrides:\n      - {from: o0:7050, to: o1:7050}\n"
             "      - {from: o0:7050, to: o2:7050}\n"),
     {},
     "core.yaml:7:16: peer.deliveryclient.addressOverrides[1].from: o0:7050 is already overridden by "
     "peer.deliveryclient.addressOverrides[0]"},
    {"OverrideCaFileThatIsNotACa",
     Minimal("  deliveryclient:\n    addressOverrides:\n      - {from: o0:7050, to: o1:7050, caCertsFile: "
             "tls/server.crt}\n"),
     {},
     "peer.deliveryclient.addressOverrides[0].caCertsFile: <dir>/tls/server.crt: certificate 1"},
    {"UnknownKeyInAnOverride",
     Minimal("  deliveryclient:\n    addressOverrides:\n      - {from: o0:7050, to: o1:7050, caCertFile: x}\n"),
     {},
     "peer.deliveryclient.addressOverrides[0].caCertFile: unknown key; did you mean 'caCertsFile'?"},

    // Fabric sections CareLedger does not have, and misspellings.
    {"BccspIsNotSupported", Minimal("  BCCSP:\n    Default: SW\n"), {}, "peer.BCCSP: not supported: CareLedger signs"},
    {"GossipIsNotSupported",
     Minimal("  gossip:\n    bootstrap: 127.0.0.1:7051\n"),
     {},
     "core.yaml:5:5: peer.gossip: not supported: CareLedger peers have no gossip"},
    {"VmIsNotSupported",
     Minimal("vm:\n  endpoint: unix:///var/run/docker.sock\n"),
     {},
     "vm: not supported: CareLedger runs chaincode inside the peer"},
    {"UnknownKeyWithItsPosition",
     Minimal("  listenAdress: 0.0.0.0:7051\n"),
     {},
     "core.yaml:4:3: peer.listenAdress: unknown key; did you mean 'listenAddress'?"},
    {"KeysAreCaseSensitive",
     Minimal("  localMSPID: Hospital1MSP\n"),
     {},
     "core.yaml:4:3: peer.localMSPID: unknown key; did you mean 'localMspId'?"},
    {"FabricKeyCareLedgerLacks",
     Minimal("ledger:\n  state:\n    stateDatabase: goleveldb\n"),
     {},
     "core.yaml:4:1: ledger: unknown key"},
    {"MisspeltEnvironmentVariable",
     kMinimal,
     {{"CORE_PEER_LISTENADRESS", "0.0.0.0:7051"}},
     "$CORE_PEER_LISTENADRESS: no configuration key has this variable"},
    {"WrongTypeForAList",
     Minimal("  tls:\n    clientRootCAs:\n      files: tls/ca.crt\n"),
     {},
     "core.yaml:6:14: peer.tls.clientRootCAs.files: expected a list of values"},
    {"ValueWhereAMappingBelongs",
     Minimal("  tls:\n    cert: tls/server.crt\n"),
     {},
     "core.yaml:5:11: peer.tls.cert: expected a mapping"},
};

class PeerConfigErrorTest : public PeerConfigTest, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(PeerConfigErrorTest, NamesTheKeyAtFault) {
  const ErrorCase& c = GetParam();
  absl::StatusOr<PeerConfig> result = Load(c.yaml, {c.env.begin(), c.env.end()});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
  std::string expected = c.message;
  for (size_t at = expected.find("<dir>"); at != std::string::npos; at = expected.find("<dir>", at + Dir().size())) {
    expected.replace(at, 5, Dir());
  }
  EXPECT_THAT(std::string(result.status().message()), HasSubstr(expected));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr(c.also));
}

INSTANTIATE_TEST_SUITE_P(Errors, PeerConfigErrorTest, ::testing::ValuesIn(kErrorCases),
                         [](const ::testing::TestParamInfo<ErrorCase>& info) { return info.param.name; });

// ---------------------------------------------------------------------------------------------------------
// `config show`.

TEST_F(PeerConfigTest, EffectiveConfigShowsEachValueWithItsOrigin) {
  absl::StatusOr<PeerConfig> c =
      Load(kMinimal, {{"CORE_PEER_LISTENADDRESS", "0.0.0.0:7161"}}, {"chaincode.executetimeout=1m"});
  ASSERT_TRUE(c.ok()) << c.status();
  const std::string text = FormatEffectiveConfig(*c);
  EXPECT_THAT(text,
              StartsWith("# " + dir_.Path("core.yaml") + ": relative paths are resolved against " + Dir() + "\n"));
  EXPECT_THAT(text, HasSubstr("\npeer.id: \"peer0.hospital1.example.org\"  # " + dir_.Path("core.yaml") + ":2:7\n"));
  EXPECT_THAT(text, HasSubstr("\npeer.listenAddress: \"0.0.0.0:7161\"  # $CORE_PEER_LISTENADDRESS\n"));
  EXPECT_THAT(text, HasSubstr("\npeer.tls.cert.file: \"tls/server.crt\"  # default\n"));
  EXPECT_THAT(text, HasSubstr("\npeer.maxRecvMsgSize: 104857600 (100 MiB)  # default\n"));
  EXPECT_THAT(text, HasSubstr("\nchaincode.installPath: \"/var/lib/careledger/peer/chaincodes\"  # default\n"));
  EXPECT_THAT(text, HasSubstr("\nchaincode.executetimeout: 1m  # $CORE_CHAINCODE_EXECUTETIMEOUT\n"));
  EXPECT_THAT(text, HasSubstr("\nlogging.spec: \"info\"  # default\n"));
}

}  // namespace
}  // namespace careledger::peer
