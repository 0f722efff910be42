#include "chaincode/runtime/registry.h"

#include <string>

#include "absl/strings/ascii.h"
#include "chaincode/builtin/bench/bench_chaincode.h"
#include "chaincode/runtime/testing/chaincode_harness.h"
#include "common/crypto/sha256.h"
#include "common/encoding/hex.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::chaincode {
namespace {

using ::testing::AllOf;
using testing::ChaincodeHarness;
using ::testing::HasSubstr;

std::string Read(const std::string& path) { return file::ReadFile(path, ChaincodeRegistry::kMaxLibraryBytes).value(); }
std::string HashOf(const std::string& bytes) { return HexEncode(crypto::AsBytes(crypto::Sha256(bytes))); }
std::string HashOfFile(const std::string& path) { return HashOf(Read(path)); }

// Copies `bytes` to a fresh file in the test's folder and returns its path.
std::string WriteTemp(const careledger::testing::ScopedTempDir& dir, const std::string& name,
                      const std::string& bytes) {
  const std::string path = dir.Path(name);
  EXPECT_TRUE(file::WriteFileAtomic(path, bytes).ok());
  return path;
}

TEST(RegistryTest, LoadsALibraryWhoseHashMatches) {
  ChaincodeRegistry registry;
  const std::string hash = HashOfFile(KV_CHAINCODE_PATH);
  absl::StatusOr<const Executable*> loaded = registry.LoadLibrary(KV_CHAINCODE_PATH, absl::AsciiStrToUpper(hash));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->kind(), Executable::Kind::kLibrary);
  EXPECT_EQ((*loaded)->sha256_hex(), hash);
  EXPECT_EQ((*loaded)->source(), KV_CHAINCODE_PATH);
  EXPECT_STREQ((*loaded)->descriptor().name, "KvChaincode");
  // The same package again is the same executable, not a second copy of the library.
  EXPECT_EQ(registry.LoadLibrary(KV_CHAINCODE_PATH, hash).value(), *loaded);
  EXPECT_EQ(registry.FindLibrary(hash).value(), *loaded);
}

TEST(RegistryTest, RefusesALibraryWhoseHashDiffersNamingBoth) {
  ChaincodeRegistry registry;
  const std::string actual = HashOfFile(KV_CHAINCODE_PATH);
  const std::string expected(64, 'a');
  const absl::Status status = registry.LoadLibrary(KV_CHAINCODE_PATH, expected).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), AllOf(HasSubstr(actual), HasSubstr(expected), HasSubstr(KV_CHAINCODE_PATH)));
  EXPECT_EQ(registry.FindLibrary(actual).status().code(), absl::StatusCode::kNotFound);
}

TEST(RegistryTest, RefusesMalformedHashesAndMissingFiles) {
  ChaincodeRegistry registry;
  EXPECT_EQ(registry.LoadLibrary(KV_CHAINCODE_PATH, "abc").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.LoadLibrary(KV_CHAINCODE_PATH, std::string(64, 'g')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.LoadLibrary("/nonexistent/lib.so", std::string(64, '0')).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(RegistryTest, RefusesFilesThatAreNotLoadableLibraries) {
  careledger::testing::ScopedTempDir dir;
  const std::string elf = Read(KV_CHAINCODE_PATH);
  ChaincodeRegistry registry;
  for (const auto& [name, bytes] :
       std::vector<std::pair<std::string, std::string>>{{"truncated.so", elf.substr(0, 4096)},
                                                        {"header-only.so", elf.substr(0, 64)},
                                                        {"tiny.so", elf.substr(0, 10)},
                                                        {"text.so", "this is not an ELF file\n"},
                                                        {"empty.so", ""}}) {
    const std::string path = WriteTemp(dir, name, bytes);
    const absl::Status status = registry.LoadLibrary(path, HashOf(bytes)).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << name << ": " << status;
    EXPECT_THAT(status.message(), AllOf(HasSubstr(path), HasSubstr("is not a loadable shared library"))) << name;
  }
}

TEST(RegistryTest, RefusesALibraryWithoutTheEntryPoint) {
  ChaincodeRegistry registry;
  const absl::Status status =
      registry.LoadLibrary(NO_ENTRY_CHAINCODE_PATH, HashOfFile(NO_ENTRY_CHAINCODE_PATH)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("does not export careledger_chaincode_v1"));
}

TEST(RegistryTest, RefusesALibraryBuiltForAnotherAbiMajor) {
  ChaincodeRegistry registry;
  const absl::Status status =
      registry.LoadLibrary(WRONG_ABI_CHAINCODE_PATH, HashOfFile(WRONG_ABI_CHAINCODE_PATH)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("was built for chaincode ABI major 99, but this peer runs ABI major 1"));
}

TEST(RegistryTest, RunsTheBytesItHashedEvenIfTheFileChangesAfterwards) {
  careledger::testing::ScopedTempDir dir;
  const std::string bytes = Read(KV_CHAINCODE_PATH);
  const std::string path = WriteTemp(dir, "kv.so", bytes);
  ChaincodeRegistry registry;
  const Executable* kv = registry.LoadLibrary(path, HashOf(bytes)).value();
  // Replace the file with another chaincode, then remove it: the loaded code is unaffected.
  ASSERT_TRUE(file::WriteFileAtomic(path, Read(MISBEHAVING_CHAINCODE_PATH)).ok());
  ASSERT_TRUE(file::RemoveFile(path).ok());
  ChaincodeHarness harness(kv, "kv");
  ASSERT_EQ(harness.Submit({"put", "k", "v"}).value().response.status(), 200);
  EXPECT_EQ(harness.Evaluate({"get", "k"}).value().response.payload(), "v");
}

TEST(RegistryTest, KeepsSeveralLibrariesApart) {
  // glibc knows a loaded library by its path: two libraries loaded through /proc/self/fd must never share one.
  ChaincodeRegistry registry;
  const Executable* kv = registry.LoadLibrary(KV_CHAINCODE_PATH, HashOfFile(KV_CHAINCODE_PATH)).value();
  const Executable* misbehaving =
      registry.LoadLibrary(MISBEHAVING_CHAINCODE_PATH, HashOfFile(MISBEHAVING_CHAINCODE_PATH)).value();
  const Executable* raw = registry.LoadLibrary(RAW_C_CHAINCODE_PATH, HashOfFile(RAW_C_CHAINCODE_PATH)).value();
  EXPECT_STREQ(kv->descriptor().name, "KvChaincode");
  EXPECT_STREQ(misbehaving->descriptor().name, "MisbehavingChaincode");
  EXPECT_STREQ(raw->descriptor().name, "raw_c");
}

TEST(RegistryTest, RegistersBuiltinsByName) {
  ChaincodeRegistry registry;
  const Executable* bench = registry.AddBuiltin("bench", builtin::BenchChaincodeDescriptor()).value();
  EXPECT_EQ(bench->kind(), Executable::Kind::kBuiltin);
  EXPECT_EQ(registry.FindBuiltin("bench").value(), bench);
  EXPECT_EQ(registry.FindBuiltin("asset").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(registry.AddBuiltin("bench", builtin::BenchChaincodeDescriptor()).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.AddBuiltin("", builtin::BenchChaincodeDescriptor()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddBuiltin("null", nullptr).status().code(), absl::StatusCode::kFailedPrecondition);
  static constexpr careledger_chaincode_descriptor kFuture = {2, 0, "future", nullptr};
  EXPECT_EQ(registry.AddBuiltin("future", &kFuture).status().code(), absl::StatusCode::kFailedPrecondition);
  static constexpr careledger_chaincode_descriptor kNoInvoke = {CARELEDGER_CHAINCODE_ABI_MAJOR, 0, "x", nullptr};
  EXPECT_THAT(registry.AddBuiltin("x", &kNoInvoke).status().message(), HasSubstr("has no invoke function"));
}

}  // namespace
}  // namespace careledger::chaincode
