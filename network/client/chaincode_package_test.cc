#include "network/client/chaincode_package.h"

#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::client {
namespace {

using ::testing::HasSubstr;

// A stand-in library: the ELF magic and some bytes; its SHA-256 computed independently (Python's hashlib).
const std::string kLibrary = std::string("\177ELF") + "careledger test chaincode";
constexpr char kLibraryHash[] = "9c2a780ee3b99a416187bcda781e05e47da24f0660db5d0ad0936ddf65298110";

class ChaincodePackageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(file::WriteFileAtomic(library_, kLibrary).ok());
    ASSERT_TRUE(file::CreateDirectories(install_dir_).ok());
  }

  std::vector<std::string> Installed() { return *file::ListFiles(install_dir_); }

  careledger::testing::ScopedTempDir dir_;
  const std::string library_ = dir_.Path("librecords.so");
  const std::string install_dir_ = dir_.Path("installed");
};

TEST_F(ChaincodePackageTest, ThePackageIdIsTheLabelAndTheFilesSha256) {
  absl::StatusOr<std::string> id = PackageIdOf(library_, "records_1.0");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, std::string("records_1.0:") + kLibraryHash);
  EXPECT_EQ(*PackageIdOfBytes(kLibrary, "records_1.0"), *id);
}

TEST_F(ChaincodePackageTest, InstallCopiesTheFileUnderItsHashWhereThePeerLoadsIt) {
  absl::StatusOr<std::string> id = Install(library_, "records", install_dir_);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, std::string("records:") + kLibraryHash);
  const std::string installed = install_dir_ + "/" + kLibraryHash + ".so";
  EXPECT_EQ(*file::ReadFile(installed), kLibrary);
  // Nothing else is left (no temporary file).
  EXPECT_THAT(Installed(), ::testing::ElementsAre(std::string(kLibraryHash) + ".so"));
}

TEST_F(ChaincodePackageTest, InstallingTheSameFileAgainWritesNothing) {
  ASSERT_TRUE(Install(library_, "records", install_dir_).ok());
  const std::string installed = install_dir_ + "/" + kLibraryHash + ".so";
  struct stat before {};
  ASSERT_EQ(::stat(installed.c_str(), &before), 0);
  // Another label names the same package file: the ID differs, the file does not.
  absl::StatusOr<std::string> again = Install(library_, "records_v2", install_dir_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, std::string("records_v2:") + kLibraryHash);
  struct stat after {};
  ASSERT_EQ(::stat(installed.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);  // not replaced by a rename
  EXPECT_EQ(Installed().size(), 1u);
}

TEST_F(ChaincodePackageTest, ADamagedInstalledCopyIsReplaced) {
  const std::string installed = install_dir_ + "/" + kLibraryHash + ".so";
  ASSERT_TRUE(file::WriteFileAtomic(installed, "truncated").ok());
  ASSERT_TRUE(Install(library_, "records", install_dir_).ok());
  EXPECT_EQ(*file::ReadFile(installed), kLibrary);
}

TEST_F(ChaincodePackageTest, ErrorsWriteNothing) {
  absl::StatusOr<std::string> missing = Install(dir_.Path("nosuch.so"), "records", install_dir_);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("nosuch.so"));

  const std::string tarball = dir_.Path("records.tar.gz");
  ASSERT_TRUE(file::WriteFileAtomic(tarball, "\x1f\x8b\x08 a Fabric package").ok());
  absl::StatusOr<std::string> not_elf = Install(tarball, "records", install_dir_);
  EXPECT_EQ(not_elf.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(not_elf.status().message()), HasSubstr("records.tar.gz: not an ELF file"));
  EXPECT_EQ(PackageIdOf(tarball, "records").status().code(), absl::StatusCode::kInvalidArgument);

  absl::StatusOr<std::string> no_folder = Install(library_, "records", dir_.Path("typo"));
  EXPECT_EQ(no_folder.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(no_folder.status().message()), HasSubstr("chaincode.installPath"));
  EXPECT_FALSE(std::filesystem::exists(dir_.Path("typo")));

  EXPECT_EQ(Install(library_, "bad label", install_dir_).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Installed().empty());
}

TEST(PackageLabelTest, FabricsRuleAndTheReservedBuiltin) {
  for (const char* label : {"records", "r", "records_1.0", "Records+2-beta", "1abc"}) {
    EXPECT_TRUE(ValidatePackageLabel(label).ok()) << label;
  }
  for (const char* label : {"", "_records", ".r", "records:1", "rec ords", "récords", "builtin"}) {
    EXPECT_EQ(ValidatePackageLabel(label).code(), absl::StatusCode::kInvalidArgument) << label;
  }
  EXPECT_THAT(std::string(ValidatePackageLabel("builtin").message()), HasSubstr("reserved"));
  EXPECT_THAT(std::string(ValidatePackageLabel("records:1").message()), HasSubstr("character 8"));
  EXPECT_FALSE(ValidatePackageLabel(std::string(129, 'a')).ok());
}

}  // namespace
}  // namespace careledger::client
