#include "common/nodeconfig/config_paths.h"

#include <filesystem>
#include <string>
#include <vector>

#include "common/config/effective_value.h"
#include "common/nodeconfig/effective_config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::nodeconfig {
namespace {

using ::testing::ElementsAre;

TEST(ResolvePathTest, RelativePathsJoinTheBaseAndAreNormalised) {
  EXPECT_EQ(ResolvePath("/etc/peer", "tls/server.crt"), "/etc/peer/tls/server.crt");
  EXPECT_EQ(ResolvePath("/etc/peer", "./msp/../tls/./ca.crt"), "/etc/peer/tls/ca.crt");
  EXPECT_EQ(ResolvePath("/etc/peer", "../data"), "/etc/data");
  EXPECT_EQ(ResolvePath("/etc/peer", "msp/"), "/etc/peer/msp/");
}

TEST(ResolvePathTest, AbsolutePathsStayButAreNormalised) {
  EXPECT_EQ(ResolvePath("/etc/peer", "/var/lib/careledger//peer/./x"), "/var/lib/careledger/peer/x");
}

// An empty path means "not set"; resolving must not turn it into the base folder.
TEST(ResolvePathTest, EmptyStaysEmpty) { EXPECT_EQ(ResolvePath("/etc/peer", ""), ""); }

TEST(ResolvePathsTest, EveryFileOfATlsSection) {
  TlsConfig tls{.enabled = true,
                .certificate = "tls/server.crt",
                .private_key = "/keys/server.key",
                .root_cas = {"tls/ca.crt", ""},
                .client_auth_required = true,
                .client_root_cas = {"../ca/org2.crt"}};
  ResolvePaths("/etc/peer", tls);
  EXPECT_EQ(tls.certificate, "/etc/peer/tls/server.crt");
  EXPECT_EQ(tls.private_key, "/keys/server.key");
  EXPECT_THAT(tls.root_cas, ElementsAre("/etc/peer/tls/ca.crt", ""));
  EXPECT_THAT(tls.client_root_cas, ElementsAre("/etc/ca/org2.crt"));
}

TEST(FolderOfTest, TheAbsoluteFolderOfAFile) {
  absl::StatusOr<std::filesystem::path> folder = FolderOf("/etc/x/../peer/core.yaml");
  ASSERT_TRUE(folder.ok()) << folder.status();
  EXPECT_EQ(folder->string(), "/etc/peer");
}

TEST(FolderOfTest, ABareFileNameIsInTheCurrentFolder) {
  absl::StatusOr<std::filesystem::path> folder = FolderOf("core.yaml");
  ASSERT_TRUE(folder.ok()) << folder.status();
  EXPECT_EQ(*folder, std::filesystem::current_path().lexically_normal());

  absl::StatusOr<std::filesystem::path> relative = FolderOf("etc/core.yaml");
  ASSERT_TRUE(relative.ok()) << relative.status();
  EXPECT_EQ(*relative, (std::filesystem::current_path() / "etc").lexically_normal());
}

TEST(FormatEffectiveConfigTest, OneLinePerValueAfterAHeader) {
  const std::vector<config::EffectiveValue> values = {
      {"peer.listenAddress", "\"0.0.0.0:7051\"", config::EffectiveValue::Source::kDefault, "default"},
      {"peer.id", "\"peer0\"", config::EffectiveValue::Source::kFile, "/etc/core.yaml:2:7"},
  };
  EXPECT_EQ(FormatEffectiveConfig("/etc/core.yaml", "/etc", values),
            "# /etc/core.yaml: relative paths are resolved against /etc\n"
            "peer.listenAddress: \"0.0.0.0:7051\"  # default\n"
            "peer.id: \"peer0\"  # /etc/core.yaml:2:7\n");
}

// A file or folder name is operator text too: a newline in it must not start a line of its own.
TEST(FormatEffectiveConfigTest, NamesCannotForgeLines) {
  const std::vector<config::EffectiveValue> values = {
      {"peer.id", "\"x\"", config::EffectiveValue::Source::kFile, "a\nb.yaml:1:1"}};
  EXPECT_EQ(FormatEffectiveConfig("a\nb.yaml", "/tmp/a\nb", values),
            "# a\\nb.yaml: relative paths are resolved against /tmp/a\\nb\n"
            "peer.id: \"x\"  # a\\nb.yaml:1:1\n");
}

}  // namespace
}  // namespace careledger::nodeconfig
