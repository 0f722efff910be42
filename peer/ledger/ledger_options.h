// How a Ledger is opened, and the seam through which tests inject faults into its commits.
#ifndef CARELEDGER_PEER_LEDGER_LEDGER_OPTIONS_H_
#define CARELEDGER_PEER_LEDGER_LEDGER_OPTIONS_H_

#include <cstdint>
#include <functional>
#include <string_view>

#include "absl/status/status.h"

namespace careledger::ledger {

// The named points of a commit (ledger.h, "COMMIT"), in order. Frozen names: crash tests refer to them.
enum class CommitStep {
  kBeforeBlockAppend,  // the block is checked and its commit hash set; nothing is written yet
  kAfterBlockAppend,   // the block is durable in the block store; the state database does not have it yet
  kAfterStateApply,    // the state/history/savepoint batch is written and the block is visible to readers
};

// "before-block-append", "after-block-append", "after-state-apply".
std::string_view CommitStepName(CommitStep step);

struct LedgerOptions {
  // The block store's Options::max_file_size: a new block file starts beyond this size. > 0.
  uint64_t max_block_file_size = uint64_t{64} << 20;

  // TEST ONLY: called at each step of every commit, and at kAfterStateApply of every block that recovery
  // replays, with the block's number. A non-OK status stops the commit (or Open) right there, as a crash at
  // that point would, and is returned; the ledger then refuses further commits (reopen it). A hook may also
  // kill the process. It runs on the committing thread and must not call the Ledger. Empty in production.
  std::function<absl::Status(CommitStep step, uint64_t block_number)> commit_step_hook;
};

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_LEDGER_OPTIONS_H_
