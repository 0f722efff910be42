// Crash safety: a commit interrupted at any step — by a failure injected through LedgerOptions'
// commit_step_hook, or by SIGKILL in a real child process — leaves a ledger that, reopened, holds exactly what
// a ledger that never crashed holds at the same height (blocks, commit hashes, state, history, chain summary),
// and that then goes on to the same final content.
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <ostream>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "peer/ledger/ledger.h"
#include "peer/ledger/testing/ledger_contents.h"
#include "peer/ledger/testing/test_blocks.h"

namespace careledger::ledger {

// For gtest's parameter names in failure messages.
void PrintTo(CommitStep step, std::ostream* out) { *out << CommitStepName(step); }

namespace {

using ::careledger::ledger::testing::Delete;
using ::careledger::ledger::testing::LedgerContents;
using ::careledger::ledger::testing::NamespacedKey;
using ::careledger::ledger::testing::Put;
using ::careledger::ledger::testing::ReadLedgerContents;
using ::careledger::ledger::testing::TestBlockBuilder;
using ::careledger::ledger::testing::TestTransaction;
using ::careledger::ledger::testing::TxWriting;
using ::careledger::testing::ScopedTempDir;

const std::string kComposite("\x00" "consent\x00" "patient-1\x00", 19);
const std::vector<std::string> kNamespaces = {"records", "consent", "audit"};
const std::vector<NamespacedKey> kKeys = {{"records", "p1"}, {"records", "p2"},     {"records", "p3"},
                                          {"consent", "c1"}, {"consent", kComposite}, {"audit", "a0"}};

// Six blocks that exercise what a commit writes: a config block, puts, overwrites, deletes, invalid
// transactions, a transaction writing two namespaces, a composite key.
std::vector<::common::Block> Workload() {
  TestBlockBuilder builder;
  std::vector<::common::Block> blocks;
  blocks.push_back(builder.NextConfigBlock());
  blocks.push_back(builder.NextBlock({TxWriting({Put("records", "p1", "v1"), Put("records", "p2", "v1")}),
                                      TxWriting({Put("consent", "c1", "granted"), Put("consent", kComposite, "x")}),
                                      TxWriting({Put("records", "p3", "lost")}, ::protos::MVCC_READ_CONFLICT)}));
  blocks.push_back(builder.NextBlock({TxWriting({Put("records", "p1", "v2"), Delete("records", "p2")}),
                                      TxWriting({Put("audit", "a0", "read p1"), Put("records", "p3", "v1")})}));
  blocks.push_back(builder.NextBlock({TxWriting({Put("records", "p2", "v3")}),
                                      TxWriting({Delete("records", "p1")}, ::protos::ENDORSEMENT_POLICY_FAILURE),
                                      TxWriting({Delete("consent", "c1")})}));
  std::vector<TestTransaction> many;
  for (int i = 0; i < 10; ++i) many.push_back(TxWriting({Put("audit", absl::StrCat("a", i), absl::StrCat(i))}));
  blocks.push_back(builder.NextBlock(many));
  blocks.push_back(builder.NextBlock({TxWriting({Delete("consent", kComposite), Put("records", "p1", "v5")})}));
  return blocks;
}

LedgerContents ContentsOf(const Ledger& ledger) {
  absl::StatusOr<LedgerContents> contents = ReadLedgerContents(ledger, kNamespaces, kKeys);
  EXPECT_TRUE(contents.ok()) << contents.status();
  return contents.ok() ? *std::move(contents) : LedgerContents{};
}

// What a ledger that never crashed (in `dir`) holds after each prefix of `blocks`: element h is the content at
// height h.
std::vector<LedgerContents> ReferenceContents(const std::vector<::common::Block>& blocks, const std::string& dir) {
  std::unique_ptr<Ledger> ledger = Ledger::Open(dir).value();
  std::vector<LedgerContents> contents = {ContentsOf(*ledger)};
  for (const ::common::Block& block : blocks) {
    EXPECT_TRUE(ledger->Commit(block).ok());
    contents.push_back(ContentsOf(*ledger));
  }
  return contents;
}

// Reopens the ledger in `dir` after a crash and checks it against the reference: first at the height it
// recovered to (which must be `expected_height`), then after committing the remaining blocks.
void ExpectRecovers(const std::string& dir, uint64_t expected_height, const std::vector<::common::Block>& blocks,
                    const std::vector<LedgerContents>& reference) {
  absl::StatusOr<std::unique_ptr<Ledger>> reopened = Ledger::Open(dir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  Ledger& ledger = **reopened;
  ASSERT_EQ(ledger.Height(), expected_height);
  EXPECT_EQ(ContentsOf(ledger), reference[expected_height]);
  for (uint64_t n = expected_height; n < blocks.size(); ++n) ASSERT_TRUE(ledger.Commit(blocks[n]).ok()) << n;
  EXPECT_EQ(ContentsOf(ledger), reference.back());
}

// The height a crash at `step` of block `block` leaves: the block counts once the block store holds it.
uint64_t HeightAfterCrash(CommitStep step, uint64_t block) {
  return step == CommitStep::kBeforeBlockAppend ? block : block + 1;
}

class LedgerCrashTest : public ::testing::TestWithParam<std::tuple<CommitStep, uint64_t>> {
 protected:
  ScopedTempDir dir_;
  const std::vector<::common::Block> blocks_ = Workload();
  const std::vector<LedgerContents> reference_ = ReferenceContents(blocks_, dir_.Path("reference"));
};

TEST_P(LedgerCrashTest, ReopenedLedgerEqualsOneThatNeverCrashed) {
  const auto [step, crash_block] = GetParam();
  const std::vector<::common::Block>& blocks = blocks_;
  const std::string dir = dir_.Path("ledger");
  {
    LedgerOptions options;
    options.commit_step_hook = [step = step, crash_block = crash_block](CommitStep at, uint64_t block) {
      if (at == step && block == crash_block) return absl::AbortedError("simulated crash");
      return absl::OkStatus();
    };
    std::unique_ptr<Ledger> ledger = Ledger::Open(dir, options).value();
    for (uint64_t n = 0; n < crash_block; ++n) ASSERT_TRUE(ledger->Commit(blocks[n]).ok());
    EXPECT_EQ(ledger->Commit(blocks[crash_block]).code(), absl::StatusCode::kAborted);
    // Like a crashed process, this one commits nothing more.
    EXPECT_EQ(ledger->Commit(blocks[crash_block]).code(), absl::StatusCode::kFailedPrecondition);
  }
  ExpectRecovers(dir, HeightAfterCrash(step, crash_block), blocks, reference_);
}

std::string ParamName(const ::testing::TestParamInfo<std::tuple<CommitStep, uint64_t>>& info) {
  std::string step(CommitStepName(std::get<0>(info.param)));
  for (char& c : step) {
    if (c == '-') c = '_';
  }
  return absl::StrCat(step, "_block_", std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(EveryStep, LedgerCrashTest,
                         ::testing::Combine(::testing::Values(CommitStep::kBeforeBlockAppend,
                                                              CommitStep::kAfterBlockAppend,
                                                              CommitStep::kAfterStateApply),
                                            ::testing::Values(uint64_t{0}, uint64_t{2}, uint64_t{5})),
                         ParamName);

class LedgerRecoveryTest : public ::testing::Test {
 protected:
  ScopedTempDir dir_;
  const std::vector<::common::Block> blocks_ = Workload();
  const std::vector<LedgerContents> reference_ = ReferenceContents(blocks_, dir_.Path("reference"));
};

// Power loss may drop the state database's last (unsynced) batches while the block store keeps its blocks:
// the savepoint is then several blocks behind, and Open replays them all.
TEST_F(LedgerRecoveryTest, AStateThatLostItsLatestBatchesCatchesUp) {
  const std::string dir = dir_.Path("ledger");
  {
    std::unique_ptr<Ledger> ledger = Ledger::Open(dir).value();
    for (uint64_t n = 0; n < 3; ++n) ASSERT_TRUE(ledger->Commit(blocks_[n]).ok());
    // The state database's files as they were at height 3: what a power loss could leave.
    std::filesystem::copy(dir + "/state", dir_.Path("state-at-3"));
    for (uint64_t n = 3; n < blocks_.size(); ++n) ASSERT_TRUE(ledger->Commit(blocks_[n]).ok());
  }
  std::filesystem::remove_all(dir + "/state");
  std::filesystem::rename(dir_.Path("state-at-3"), dir + "/state");

  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ((*ledger)->recovery_report().state_height_at_open, 3u);
  EXPECT_EQ((*ledger)->recovery_report().replayed_blocks, blocks_.size() - 3);
  EXPECT_EQ(ContentsOf(**ledger), reference_.back());
}

// A crash during recovery is recovered from by the next Open.
TEST_F(LedgerRecoveryTest, ACrashDuringReplayIsRecoveredByTheNextOpen) {
  const std::string dir = dir_.Path("ledger");
  {
    std::unique_ptr<Ledger> ledger = Ledger::Open(dir).value();
    for (const ::common::Block& block : blocks_) ASSERT_TRUE(ledger->Commit(block).ok());
  }
  std::filesystem::remove_all(dir + "/state");
  LedgerOptions options;
  options.commit_step_hook = [](CommitStep step, uint64_t block) {
    if (step == CommitStep::kAfterStateApply && block == 3) return absl::AbortedError("simulated crash");
    return absl::OkStatus();
  };
  EXPECT_EQ(Ledger::Open(dir, options).status().code(), absl::StatusCode::kAborted);
  ExpectRecovers(dir, blocks_.size(), blocks_, reference_);
}

// The child's exit codes when it did not die as planned.
constexpr int kChildOpenFailed = 10;
constexpr int kChildCommitFailed = 11;
constexpr int kChildSurvived = 12;

// Runs `body` in a forked child process and returns its wait status. The child never returns into the test:
// it exits with what `body` returns. It writes to its own ledger folder only, and little enough that LevelDB
// never needs a background compaction (a forked child does not inherit the parent's LevelDB thread).
template <typename Body>
int RunInChild(Body body) {
  const pid_t pid = fork();
  if (pid == 0) _exit(body());
  EXPECT_GT(pid, 0) << "fork failed";
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return status;
}

TEST_F(LedgerRecoveryTest, SigkillAtEachStepOfACommitInAChildProcess) {
  constexpr uint64_t kCrashBlock = 2;
  for (const CommitStep step :
       {CommitStep::kBeforeBlockAppend, CommitStep::kAfterBlockAppend, CommitStep::kAfterStateApply}) {
    SCOPED_TRACE(CommitStepName(step));
    const std::string dir = dir_.Path(std::string(CommitStepName(step)));
    const int status = RunInChild([&] {
      LedgerOptions options;
      options.commit_step_hook = [step](CommitStep at, uint64_t block) {
        if (at == step && block == kCrashBlock) raise(SIGKILL);
        return absl::OkStatus();
      };
      absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir, options);
      if (!ledger.ok()) return kChildOpenFailed;
      for (const ::common::Block& block : blocks_) {
        if (!(*ledger)->Commit(block).ok()) return kChildCommitFailed;
      }
      return kChildSurvived;
    });
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
    ASSERT_EQ(WTERMSIG(status), SIGKILL);
    ExpectRecovers(dir, HeightAfterCrash(step, kCrashBlock), blocks_, reference_);
  }
}

// SIGKILL at a moment the test does not choose: while the child commits a long chain, as soon as it reports
// its third block committed. Whatever it was doing then, the reopened ledger matches the reference at the
// height it recovered to.
TEST(LedgerKillTest, SigkillWhileCommittingRecoversToAPrefix) {
  ScopedTempDir temp;
  TestBlockBuilder builder;
  std::vector<::common::Block> blocks;
  constexpr int kBlocks = 40;
  for (int n = 0; n < kBlocks; ++n) {
    std::vector<TestTransaction> txs;
    for (int i = 0; i < 20; ++i) {
      txs.push_back(TxWriting({Put("records", absl::StrCat("p", (n * 7 + i) % 50), absl::StrCat(n, "/", i))},
                              i % 5 == 4 ? ::protos::MVCC_READ_CONFLICT : ::protos::VALID));
    }
    txs.push_back(TxWriting({Delete("records", absl::StrCat("p", n % 50))}));
    blocks.push_back(builder.NextBlock(txs));
  }
  const std::string dir = temp.Path("ledger");
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    close(pipe_fds[0]);
    absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir);
    if (!ledger.ok()) _exit(kChildOpenFailed);
    for (const ::common::Block& block : blocks) {
      if (!(*ledger)->Commit(block).ok()) _exit(kChildCommitFailed);
      const char committed = 'c';
      if (write(pipe_fds[1], &committed, 1) != 1) _exit(kChildCommitFailed);
    }
    _exit(kChildSurvived);
  }
  ASSERT_GT(pid, 0) << "fork failed";
  close(pipe_fds[1]);
  int committed = 0;
  char byte = 0;
  while (committed < 3 && read(pipe_fds[0], &byte, 1) == 1) ++committed;
  kill(pid, SIGKILL);
  close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_EQ(committed, 3) << "the child stopped early, status " << status;

  std::vector<std::string> keys_namespaces = {"records"};
  std::vector<NamespacedKey> keys;
  for (int i = 0; i < 50; ++i) keys.emplace_back("records", absl::StrCat("p", i));
  absl::StatusOr<std::unique_ptr<Ledger>> reopened = Ledger::Open(dir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  const uint64_t height = (*reopened)->Height();
  EXPECT_GE(height, 3u);
  const LedgerContents recovered = ReadLedgerContents(**reopened, keys_namespaces, keys).value();
  for (uint64_t n = height; n < blocks.size(); ++n) ASSERT_TRUE((*reopened)->Commit(blocks[n]).ok());
  const LedgerContents finished = ReadLedgerContents(**reopened, keys_namespaces, keys).value();

  std::unique_ptr<Ledger> reference = Ledger::Open(temp.Path("reference")).value();
  for (uint64_t n = 0; n < height; ++n) ASSERT_TRUE(reference->Commit(blocks[n]).ok());
  EXPECT_EQ(ReadLedgerContents(*reference, keys_namespaces, keys).value(), recovered);
  for (uint64_t n = height; n < blocks.size(); ++n) ASSERT_TRUE(reference->Commit(blocks[n]).ok());
  EXPECT_EQ(ReadLedgerContents(*reference, keys_namespaces, keys).value(), finished);
}

}  // namespace
}  // namespace careledger::ledger
