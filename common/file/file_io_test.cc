#include "common/file/file_io.h"

#include <sys/stat.h>

#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::file {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class FileIoTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return dir_.Path(name); }
  testing::ScopedTempDir dir_;
};

TEST_F(FileIoTest, WriteCreatesParentsAndReadReturnsContent) {
  ASSERT_TRUE(WriteFileAtomic(Path("a/b/c.txt"), "hello").ok());
  EXPECT_EQ(*ReadFile(Path("a/b/c.txt")), "hello");
  ASSERT_TRUE(WriteFileAtomic(Path("a/b/c.txt"), "replaced").ok());
  EXPECT_EQ(*ReadFile(Path("a/b/c.txt")), "replaced");
  // No temporary files are left behind.
  EXPECT_THAT(*ListFiles(Path("a/b")), ElementsAre("c.txt"));
}

TEST_F(FileIoTest, ModeIsApplied) {
  ASSERT_TRUE(WriteFileAtomic(Path("key.pem"), "secret", 0600).ok());
  struct stat st {};
  ASSERT_EQ(::stat(Path("key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(FileIoTest, ReadErrorsNameThePath) {
  auto missing = ReadFile(Path("missing"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("missing"));
  ASSERT_TRUE(WriteFileAtomic(Path("big"), std::string(100, 'x')).ok());
  EXPECT_THAT(ReadFile(Path("big"), 10).status().message(), HasSubstr("more than the 10"));
  ASSERT_TRUE(CreateDirectories(Path("folder")).ok());
  EXPECT_THAT(ReadFile(Path("folder")).status().message(), HasSubstr("not a regular file"));
}

TEST_F(FileIoTest, ListFilesIsSortedAndSkipsFolders) {
  ASSERT_TRUE(WriteFileAtomic(Path("d/b"), "").ok());
  ASSERT_TRUE(WriteFileAtomic(Path("d/a"), "").ok());
  ASSERT_TRUE(CreateDirectories(Path("d/sub")).ok());
  EXPECT_THAT(*ListFiles(Path("d")), ElementsAre("a", "b"));
  EXPECT_EQ(ListFiles(Path("nope")).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(Exists(Path("d/a")));
  EXPECT_FALSE(Exists(Path("d/zz")));
  ASSERT_TRUE(RemoveFile(Path("d/a")).ok());
  EXPECT_TRUE(RemoveFile(Path("d/a")).ok());  // already gone is fine
  EXPECT_THAT(*ListFiles(Path("d")), ElementsAre("b"));
}

}  // namespace
}  // namespace careledger::file
