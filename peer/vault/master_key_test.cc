#include "peer/vault/master_key.h"

#include <sys/stat.h>

#include <string>

#include "absl/status/status.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::vault {
namespace {

using ::testing::HasSubstr;

TEST(MasterKeyTest, GeneratedFileIsPrivateAndLoads) {
  careledger::testing::ScopedTempDir dir;
  const std::string path = dir.Path("node/vault.key");
  ASSERT_TRUE(GenerateMasterKeyFile(path).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  absl::StatusOr<MasterKey> key = LoadMasterKey(path);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->bytes().size(), 32u);
}

TEST(MasterKeyTest, TwoGeneratedKeysDiffer) {
  careledger::testing::ScopedTempDir dir;
  ASSERT_TRUE(GenerateMasterKeyFile(dir.Path("a.key")).ok());
  ASSERT_TRUE(GenerateMasterKeyFile(dir.Path("b.key")).ok());
  EXPECT_NE(LoadMasterKey(dir.Path("a.key"))->bytes(), LoadMasterKey(dir.Path("b.key"))->bytes());
}

TEST(MasterKeyTest, NeverOverwritesAKey) {
  careledger::testing::ScopedTempDir dir;
  const std::string path = dir.Path("vault.key");
  ASSERT_TRUE(GenerateMasterKeyFile(path).ok());
  const std::string before = *file::ReadFile(path);
  const absl::Status again = GenerateMasterKeyFile(path);
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.message()), HasSubstr(path));
  EXPECT_EQ(*file::ReadFile(path), before);
}

TEST(MasterKeyTest, MissingFileIsNotFound) {
  careledger::testing::ScopedTempDir dir;
  const absl::StatusOr<MasterKey> key = LoadMasterKey(dir.Path("absent.key"));
  EXPECT_EQ(key.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(key.status().message()), HasSubstr("absent.key does not exist"));
}

TEST(MasterKeyTest, GroupOrOtherPermissionsAreRefused) {
  careledger::testing::ScopedTempDir dir;
  const std::string path = dir.Path("vault.key");
  ASSERT_TRUE(file::WriteFileAtomic(path, std::string(64, 'a') + "\n", 0640).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  const absl::StatusOr<MasterKey> key = LoadMasterKey(path);
  EXPECT_EQ(key.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(key.status().message()), HasSubstr("mode 0640"));
  EXPECT_THAT(std::string(key.status().message()), HasSubstr("chmod 600"));
}

TEST(MasterKeyTest, MalformedContentIsRefusedWithoutEchoingIt) {
  careledger::testing::ScopedTempDir dir;
  for (const std::string& content :
       {std::string(63, 'a'), std::string(66, 'a'), std::string(63, 'a') + "g", std::string(64, 'a') + "\n\n",
        std::string(), std::string(5000, 'a')}) {
    const std::string path = dir.Path("vault.key");
    ASSERT_TRUE(file::RemoveFile(path).ok());
    ASSERT_TRUE(file::WriteFileAtomic(path, content, 0600).ok());
    const absl::StatusOr<MasterKey> key = LoadMasterKey(path);
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument) << content.size();
    EXPECT_THAT(std::string(key.status().message()), HasSubstr("is not 64 hexadecimal digits"));
    if (!content.empty()) {
      EXPECT_THAT(std::string(key.status().message()), ::testing::Not(HasSubstr("aaaa")));
    }
  }
}

TEST(MasterKeyTest, AcceptsUpperCaseWithoutNewline) {
  careledger::testing::ScopedTempDir dir;
  const std::string path = dir.Path("vault.key");
  ASSERT_TRUE(file::WriteFileAtomic(path, std::string(64, 'F'), 0600).ok());
  absl::StatusOr<MasterKey> key = LoadMasterKey(path);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->bytes(), std::string(32, '\xff'));
}

}  // namespace
}  // namespace careledger::vault
