// `careledger audit verify|report` end to end over block files on disk: the real executable, a real ledger
// folder written by the real committer, and a block store holding a chain of real healthcare events.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "common/blockstore/block_store.h"
#include "common/encoding/hex.h"
#include "common/protoutil/block_hash.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "network/audit/testing/committed_chain.h"
#include "network/audit/testing/healthcare_chain.h"
#include "nlohmann/json.hpp"

namespace careledger::audit {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Json = nlohmann::json;

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout
};

// Runs careledger with `args` (already shell-quoted), stderr to `err_file`.
CliRun Careledger(const std::string& args, const std::string& err_file) {
  CliRun run;
  const std::string command = std::string(CARELEDGER_CLI) + " " + args + " 2>" + err_file;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(AuditCliTest, VerifySaysIntactThenFindsTheDamageWithExitStatusOne) {
  careledger::testing::ScopedTempDir dir;
  const testing::CommittedChain chain = testing::CommitChain(
      dir.Path("ledger"), {{testing::LifecycleWrite(1, "a", "1")}, {testing::LifecycleWrite(2, "b", "2")}});
  ASSERT_EQ(chain.blocks.size(), 3u);
  const std::string err = dir.Path("stderr");

  CliRun intact = Careledger("audit verify --progress-every 1 --ledger " + chain.ledger_dir, err);
  EXPECT_EQ(intact.exit_code, 0) << intact.out << ReadAll(err);
  EXPECT_THAT(intact.out, StartsWith("INTACT: channel healthchannel, a peer's chain, blocks 0 to 2"));
  EXPECT_THAT(ReadAll(err), HasSubstr("verified 3/3 blocks (100%)"));

  const std::string genesis_hash = HexEncode(protoutil::BlockHeaderHash(chain.blocks[0].header()));
  EXPECT_EQ(
      Careledger("audit verify -q --genesis-hash " + genesis_hash + " --ledger " + chain.ledger_dir, err).exit_code, 0);
  CliRun other_genesis = Careledger(
      "audit verify -q --genesis-hash " + std::string(64, '0') + " --ledger " + chain.ledger_dir, err);
  EXPECT_EQ(other_genesis.exit_code, 1);
  EXPECT_THAT(other_genesis.out, HasSubstr("is not the expected genesis block hash 0000"));

  // One byte of the last block's record changed on disk.
  const std::string file = chain.ledger_dir + "/blocks/blocks/blockfile_000000";
  const auto size = static_cast<std::streamoff>(std::filesystem::file_size(file));
  {
    std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
    stream.seekp(size - 30);
    stream.put('\x7f');
  }
  CliRun damaged = Careledger("audit verify -q --ledger " + chain.ledger_dir, err);
  EXPECT_EQ(damaged.exit_code, 1) << damaged.out << ReadAll(err);
  EXPECT_THAT(damaged.out, StartsWith("INCONSISTENT: "));
  EXPECT_THAT(damaged.out, HasSubstr("the record of block 2 fails its checksum"));
  EXPECT_THAT(damaged.out, HasSubstr("blocks 0 to 1 are consistent"));

  CliRun missing = Careledger("audit verify --ledger " + dir.Path("nothing-here"), err);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(ReadAll(err), HasSubstr("audit verify could not run: no block files in"));
}

TEST(AuditCliTest, ReportPrintsTableAndJsonAndWritesAFhirBundle) {
  careledger::testing::ScopedTempDir dir;
  const testing::HealthcareChain chain = testing::BuildHealthcareChain();
  {
    absl::StatusOr<std::unique_ptr<blockstore::BlockStore>> store = blockstore::BlockStore::Open(dir.Path("store"));
    ASSERT_TRUE(store.ok()) << store.status();
    for (const ::common::Block& block : chain.blocks) ASSERT_TRUE((*store)->Append(block).ok());
  }
  const std::string err = dir.Path("stderr");

  CliRun table = Careledger("audit report --ledger " + dir.Path("store") + " --doctor Hospital2MSP:D-2001", err);
  EXPECT_EQ(table.exit_code, 0) << ReadAll(err);
  EXPECT_THAT(table.out, StartsWith("TIME"));
  EXPECT_THAT(table.out, HasSubstr("EmergencyAccessOpened"));
  EXPECT_EQ(std::count(table.out.begin(), table.out.end(), '\n'), 4);  // header and three entries

  CliRun json = Careledger("audit report --ledger " + dir.Path("store") +
                            " --patient P-1001 --from 2023-11-14T22:13:24Z --to 2023-11-14 -o json --fhir " +
                            dir.Path("bundle.json"),
                        err);
  ASSERT_EQ(json.exit_code, 0) << ReadAll(err);
  const Json report = Json::parse(json.out);
  EXPECT_EQ(report["entries"].size(), 6u);  // calls 4 to 9
  EXPECT_EQ(report["entries"][0]["event"], "RecordVersionAdded");
  const Json bundle = Json::parse(ReadAll(dir.Path("bundle.json")));
  EXPECT_EQ(bundle["resourceType"], "Bundle");
  EXPECT_EQ(bundle["entry"].size(), 8u);  // 2 documents, 2 provenances, 3 audit events, 1 consent
  EXPECT_THAT(ReadAll(err), HasSubstr("wrote a FHIR R4 Bundle of 6 audit entries"));

  CliRun bad = Careledger("audit report --ledger " + dir.Path("store") + " --doctor D-2001", err);
  EXPECT_NE(bad.exit_code, 0);
}

}  // namespace
}  // namespace careledger::audit
