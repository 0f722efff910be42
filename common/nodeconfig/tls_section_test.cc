#include "common/nodeconfig/tls_section.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/config/config_document.h"
#include "common/crypto/ecdsa.h"
#include "common/crypto/x509.h"
#include "common/crypto/x509_issuer.h"
#include "common/file/file_io.h"
#include "common/nodeconfig/config_checks.h"
#include "common/nodeconfig/config_paths.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::nodeconfig {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// core.yaml's spelling, as the peer reads it.
constexpr TlsKeyNames kCoreNames{.enabled = "enabled",
                                 .certificate = "cert.file",
                                 .private_key = "key.file",
                                 .root_cas = "rootcert.file",
                                 .root_cas_is_list = false,
                                 .client_auth_required = "clientAuthRequired",
                                 .client_root_cas = "clientRootCAs.files"};
// orderer.yaml's.
constexpr TlsKeyNames kOrdererNames{.enabled = "Enabled",
                                    .certificate = "Certificate",
                                    .private_key = "PrivateKey",
                                    .root_cas = "RootCAs",
                                    .root_cas_is_list = true,
                                    .client_auth_required = "ClientAuthRequired",
                                    .client_root_cas = "ClientRootCAs"};
// A server-only section without root CAs (core.yaml's operations.tls).
constexpr TlsKeyNames kServerOnlyNames{.enabled = "enabled",
                                       .certificate = "cert.file",
                                       .private_key = "key.file",
                                       .root_cas = "",
                                       .root_cas_is_list = false,
                                       .client_auth_required = "clientAuthRequired",
                                       .client_root_cas = "clientRootCAs.files"};

const TlsConfig kDefaults{.enabled = true,
                          .certificate = "tls/server.crt",
                          .private_key = "tls/server.key",
                          .root_cas = {"tls/ca.crt"},
                          .client_auth_required = false,
                          .client_root_cas = {}};

// A CA and two server key pairs in tls/, as `careledger crypto generate` lays them out.
class TlsSectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ca_key_ = *crypto::PrivateKey::Generate();
    crypto::CertificateTemplate t;
    t.subject.common_name = "tlsca.example.org";
    t.not_before = absl::FromUnixSeconds(1700000000);
    t.not_after = t.not_before + absl::Hours(24 * 365);
    t.is_ca = true;
    ca_ = *crypto::IssueCertificate(t, ca_key_->public_key(), *ca_key_, nullptr);
    Write("tls/ca.crt", ca_->ToPem());
    WriteKeyPair("tls/server", "peer0.example.org");
    WriteKeyPair("other/server", "peer1.example.org");
    Write("junk.txt", "not a certificate\n");
  }

  void Write(const std::string& name, const std::string& content) {
    std::filesystem::create_directories(std::filesystem::path(dir_.Path(name)).parent_path());
    ASSERT_TRUE(file::WriteFileAtomic(dir_.Path(name), content).ok()) << name;
  }

  void WriteKeyPair(const std::string& stem, const std::string& common_name) {
    crypto::PrivateKey key = *crypto::PrivateKey::Generate();
    crypto::CertificateTemplate t;
    t.subject.common_name = common_name;
    t.not_before = absl::FromUnixSeconds(1700000000);
    t.not_after = t.not_before + absl::Hours(24 * 365);
    t.server_auth = true;
    t.client_auth = true;
    absl::StatusOr<crypto::Certificate> cert = crypto::IssueCertificate(t, key.public_key(), *ca_key_, &*ca_);
    ASSERT_TRUE(cert.ok()) << cert.status();
    Write(stem + ".crt", cert->ToPem());
    Write(stem + ".key", key.ToPem());
  }

  std::string Dir() const { return std::filesystem::path(dir_.path()).lexically_normal().string(); }
  std::string Abs(const std::string& name) const { return (std::filesystem::path(Dir()) / name).string(); }

  // Parses `yaml` (CORE_ overrides from `env`) and reads its section "peer.tls" (or "tls" at the top for
  // `top_level`) as spelt by `names`, resolving paths against the test folder.
  absl::StatusOr<TlsSection> Read(const std::string& yaml, const TlsKeyNames& names,
                                  config::Environment::VariableMap env = {}) {
    absl::StatusOr<config::ConfigDocument> doc = config::ConfigDocument::Parse(
        yaml, "core.yaml", {.environment_prefix = "CORE", .environment = config::Environment(std::move(env))});
    if (!doc.ok()) return doc.status();
    doc_.emplace(*std::move(doc));
    absl::StatusOr<config::ConfigNode> peer = doc_->Root().GetMappingOrEmpty("peer");
    if (!peer.ok()) return peer.status();
    absl::StatusOr<config::ConfigNode> tls = peer->GetMappingOrEmpty("tls");
    if (!tls.ok()) return tls.status();
    absl::StatusOr<TlsSection> section = ReadTlsSection(*tls, names, kDefaults);
    if (section.ok()) ResolvePaths(Dir(), section->tls);
    return section;
  }

  // Read, then CheckTls: the status of the check (or of the read).
  absl::Status ReadAndCheck(const std::string& yaml, const TlsKeyNames& names = kCoreNames,
                            config::Environment::VariableMap env = {}) {
    absl::StatusOr<TlsSection> section = Read(yaml, names, std::move(env));
    if (!section.ok()) return section.status();
    return CheckTls(section->keys, section->tls);
  }

  careledger::testing::ScopedTempDir dir_;
  std::optional<crypto::PrivateKey> ca_key_;
  std::optional<crypto::Certificate> ca_;
  std::optional<config::ConfigDocument> doc_;
};

TEST_F(TlsSectionTest, AbsentKeysTakeTheDefaults) {
  absl::StatusOr<TlsSection> section = Read("", kCoreNames);
  ASSERT_TRUE(section.ok()) << section.status();
  EXPECT_EQ(section->tls, (TlsConfig{.enabled = true,
                                     .certificate = Abs("tls/server.crt"),
                                     .private_key = Abs("tls/server.key"),
                                     .root_cas = {Abs("tls/ca.crt")},
                                     .client_auth_required = false,
                                     .client_root_cas = {}}));
  EXPECT_EQ(section->keys.certificate.Path(), "peer.tls.cert.file");
  EXPECT_EQ(section->keys.root_cas->Path(), "peer.tls.rootcert.file");
  EXPECT_EQ(section->keys.client_root_cas.Path(), "peer.tls.clientRootCAs.files");
  EXPECT_TRUE(CheckTls(section->keys, section->tls).ok());
}

TEST_F(TlsSectionTest, NestedKeysAreRead) {
  WriteKeyPair("keys/peer", "peer0");
  absl::StatusOr<TlsSection> section = Read(
      "peer:\n"
      "  tls:\n"
      "    enabled: true\n"
      "    clientAuthRequired: true\n"
      "    cert:\n"
      "      file: keys/peer.crt\n"
      "    key:\n"
      "      file: keys/peer.key\n"
      "    rootcert:\n"
      "      file: /etc/ca.crt\n"
      "    clientRootCAs:\n"
      "      files: [tls/ca.crt, other/ca.crt]\n",
      kCoreNames);
  ASSERT_TRUE(section.ok()) << section.status();
  EXPECT_EQ(section->tls.certificate, Abs("keys/peer.crt"));
  EXPECT_EQ(section->tls.private_key, Abs("keys/peer.key"));
  EXPECT_THAT(section->tls.root_cas, ElementsAre("/etc/ca.crt"));
  EXPECT_TRUE(section->tls.client_auth_required);
  EXPECT_THAT(section->tls.client_root_cas, ElementsAre(Abs("tls/ca.crt"), Abs("other/ca.crt")));
  EXPECT_TRUE(doc_->CheckNoUnknownKeys().ok());
}

TEST_F(TlsSectionTest, NestedKeysTakeEnvironmentOverrides) {
  absl::StatusOr<TlsSection> section = Read("", kCoreNames,
                                            {{"CORE_PEER_TLS_CERT_FILE", "other/server.crt"},
                                             {"CORE_PEER_TLS_ROOTCERT_FILE", ""},
                                             {"CORE_PEER_TLS_CLIENTROOTCAS_FILES", "a.crt, b.crt"}});
  ASSERT_TRUE(section.ok()) << section.status();
  EXPECT_EQ(section->tls.certificate, Abs("other/server.crt"));
  EXPECT_THAT(section->tls.root_cas, IsEmpty());  // an empty single file is no file
  EXPECT_THAT(section->tls.client_root_cas, ElementsAre(Abs("a.crt"), Abs("b.crt")));
  EXPECT_TRUE(doc_->CheckNoUnknownKeys().ok());
}

TEST_F(TlsSectionTest, AListSpellingReadsAList) {
  absl::StatusOr<TlsSection> section = Read("peer:\n  tls:\n    RootCAs: [tls/ca.crt, other/ca.crt]\n", kOrdererNames);
  ASSERT_TRUE(section.ok()) << section.status();
  EXPECT_THAT(section->tls.root_cas, ElementsAre(Abs("tls/ca.crt"), Abs("other/ca.crt")));
}

TEST_F(TlsSectionTest, ASectionWithoutRootCasHasNone) {
  absl::StatusOr<TlsSection> section = Read("", kServerOnlyNames);
  ASSERT_TRUE(section.ok()) << section.status();
  EXPECT_THAT(section->tls.root_cas, IsEmpty());
  EXPECT_FALSE(section->keys.root_cas.has_value());
}

TEST_F(TlsSectionTest, ASectionWithoutRootCasRefusesTheKey) {
  ASSERT_TRUE(Read("peer:\n  tls:\n    rootcert:\n      file: tls/ca.crt\n", kServerOnlyNames).ok());
  absl::Status unknown = doc_->CheckNoUnknownKeys();
  EXPECT_THAT(std::string(unknown.message()), HasSubstr("core.yaml:3:5: peer.tls.rootcert: unknown key"));
}

TEST_F(TlsSectionTest, AValueWhereAMappingBelongsIsAnError) {
  absl::StatusOr<TlsSection> section = Read("peer:\n  tls:\n    cert: tls/server.crt\n", kCoreNames);
  ASSERT_EQ(section.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(section.status().message()), HasSubstr("core.yaml:3:11: peer.tls.cert: expected a mapping"));
}

TEST_F(TlsSectionTest, DisabledTlsIsNotChecked) {
  EXPECT_TRUE(ReadAndCheck("peer:\n  tls:\n    enabled: false\n    cert:\n      file: missing.crt\n").ok());
}

TEST_F(TlsSectionTest, EnabledTlsNeedsACertificate) {
  absl::Status status = ReadAndCheck("", kCoreNames, {{"CORE_PEER_TLS_CERT_FILE", ""}});
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("$CORE_PEER_TLS_CERT_FILE: peer.tls.cert.file: empty, but required: peer.tls.enabled is true"));
}

TEST_F(TlsSectionTest, AMissingFileIsNamedByItsKeyAndPosition) {
  absl::Status status = ReadAndCheck("peer:\n  tls:\n    key:\n      file: missing.key\n");
  EXPECT_THAT(std::string(status.message()), HasSubstr("core.yaml:4:13: peer.tls.key.file: " + Abs("missing.key")));
}

TEST_F(TlsSectionTest, AMissingDefaultFileSaysItIsTheDefault) {
  std::filesystem::remove(dir_.Path("tls/server.key"));
  absl::Status status = ReadAndCheck("");
  EXPECT_THAT(std::string(status.message()), HasSubstr("core.yaml:1:1: peer.tls.key.file: " + Abs("tls/server.key")));
  EXPECT_THAT(std::string(status.message()), HasSubstr("(the default value)"));
}

TEST_F(TlsSectionTest, AKeyOfAnotherCertificate) {
  absl::Status status = ReadAndCheck("peer:\n  tls:\n    key:\n      file: other/server.key\n");
  EXPECT_THAT(std::string(status.message()), HasSubstr("peer.tls.key.file: " + Abs("other/server.key") +
                                                       " is not the key of the certificate in peer.tls.cert.file (" +
                                                       Abs("tls/server.crt") + ", subject CN=peer0.example.org"));
}

TEST_F(TlsSectionTest, ASingleRootCaFileThatIsNotACa) {
  absl::Status status = ReadAndCheck("peer:\n  tls:\n    rootcert:\n      file: tls/server.crt\n");
  // One file: no "item 1" in the message.
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("core.yaml:4:13: peer.tls.rootcert.file: " + Abs("tls/server.crt") +
                        ": certificate 1 (subject CN=peer0.example.org) is not a CA certificate"));
}

TEST_F(TlsSectionTest, AClientRootCaListWithAFileWithoutCertificates) {
  absl::Status status = ReadAndCheck(
      "peer:\n  tls:\n    clientAuthRequired: true\n    clientRootCAs:\n      files: [tls/ca.crt, junk.txt]\n");
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("peer.tls.clientRootCAs.files: item 2: " + Abs("junk.txt") + ": no PEM CERTIFICATE block"));
}

TEST_F(TlsSectionTest, ClientAuthenticationNeedsClientCas) {
  absl::Status status = ReadAndCheck("peer:\n  tls:\n    clientAuthRequired: true\n");
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("core.yaml:2:3: peer.tls.clientRootCAs.files: empty, but peer.tls.clientAuthRequired is true"));
}

TEST_F(TlsSectionTest, AdminTlsRequiresClientAuthentication) {
  absl::StatusOr<TlsSection> section = Read("peer:\n  tls:\n    clientAuthRequired: false\n", kCoreNames);
  ASSERT_TRUE(section.ok()) << section.status();
  ConfigKey listen{doc_->Root(), "listenAddress"};
  absl::Status status = CheckAdminTls(listen, {"127.0.0.1", 7055}, section->keys, section->tls);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("core.yaml:3:25: peer.tls.clientAuthRequired: must be true when peer.tls.enabled is true"));
}

TEST_F(TlsSectionTest, AdminWithoutTlsOnlyOnLoopback) {
  absl::StatusOr<TlsSection> section = Read("peer:\n  tls:\n    enabled: false\n", kCoreNames);
  ASSERT_TRUE(section.ok()) << section.status();
  ConfigKey listen{doc_->Root(), "listenAddress"};
  EXPECT_TRUE(CheckAdminTls(listen, {"127.0.0.1", 7055}, section->keys, section->tls).ok());
  EXPECT_TRUE(CheckAdminTls(listen, {"::1", 7055}, section->keys, section->tls).ok());
  absl::Status status = CheckAdminTls(listen, {"10.0.0.1", 7055}, section->keys, section->tls);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("core.yaml:3:14: peer.tls.enabled: false is allowed only on a loopback listenAddress, not "
                        "10.0.0.1:7055"));
}

// ---------------------------------------------------------------------------------------------------------
// The other checks of config_checks.h.

TEST_F(TlsSectionTest, ListenersOnOnePortCollide) {
  ASSERT_TRUE(Read("a: 1\nb: 2\n", kCoreNames).ok());
  config::ConfigNode root = doc_->Root();
  const ConfigKey a{root, "a"};
  const ConfigKey b{root, "b"};
  EXPECT_TRUE(CheckDistinctPorts({{a, {"127.0.0.1", 7051}}, {b, {"10.0.0.1", 7051}}}).ok());
  EXPECT_TRUE(CheckDistinctPorts({{a, {"0.0.0.0", 7051}}, {b, {"0.0.0.0", 7052}}}).ok());
  absl::Status same = CheckDistinctPorts({{a, {"127.0.0.1", 7051}}, {b, {"127.0.0.1", 7051}}});
  EXPECT_THAT(std::string(same.message()),
              HasSubstr("core.yaml:2:4: b: 127.0.0.1:7051 cannot listen on the port of a (127.0.0.1:7051)"));
  absl::Status wildcard = CheckDistinctPorts({{a, {"10.0.0.1", 7051}}, {b, {"::", 7051}}});
  EXPECT_THAT(std::string(wildcard.message()), HasSubstr("b: [::]:7051 cannot listen on the port of a"));
}

TEST_F(TlsSectionTest, FoldersMustExist) {
  ASSERT_TRUE(Read("dir: x\n", kCoreNames).ok());
  const ConfigKey dir{doc_->Root(), "dir"};
  EXPECT_TRUE(CheckFolder(dir, Abs("tls")).ok());
  EXPECT_THAT(std::string(CheckFolder(dir, Abs("nothing")).message()),
              HasSubstr("core.yaml:1:6: dir: " + Abs("nothing") + ": no such folder"));
  EXPECT_THAT(std::string(CheckFolder(dir, Abs("junk.txt")).message()), HasSubstr(": not a folder"));
}

TEST(LocateKeyTest, AMalformedDottedNameIsABug) {
  absl::StatusOr<config::ConfigDocument> doc = config::ConfigDocument::Parse("", "core.yaml");
  ASSERT_TRUE(doc.ok());
  for (const char* bad : {"", ".file", "cert.", "cert..file"}) {
    EXPECT_EQ(LocateKey(doc->Root(), bad).status().code(), absl::StatusCode::kInternal) << bad;
  }
}

}  // namespace
}  // namespace careledger::nodeconfig
