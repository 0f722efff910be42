// Where an audit reads a channel's chain from: a stream of blocks in order, from block 0 to the source's
// height. The chain verifier (chain_verifier.h) and the report (audit_events.h) read every source alike.
//
// Two sources exist: a copy of a node's block files on disk (below; offline, for a regulator who received a
// copy of a peer's or an orderer's ledger) and a peer's Deliver service (deliver_block_source.h).
//
// Errors from Next() fall in two kinds, and callers must tell them apart:
//   - DataLoss: what the source holds at this position is damaged (a block record whose checksum fails, a
//     payload that is not a block, a record numbered out of sequence). The chain is not intact there: a
//     verifier reports it as the chain's inconsistency at that block.
//   - anything else: the source could not be read (I/O, network, a peer that refused the request). Nothing can
//     be said about the chain: the audit could not run.
#ifndef CARELEDGER_NETWORK_AUDIT_BLOCK_SOURCE_H_
#define CARELEDGER_NETWORK_AUDIT_BLOCK_SOURCE_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/common.pb.h"

namespace careledger::audit {

class BlockSource {
 public:
  virtual ~BlockSource() = default;

  // Where the blocks come from, for messages: "block files in /data/ledgers/ch/blocks/blocks".
  virtual std::string Describe() const = 0;

  // How many blocks the source will deliver, as far as it knows when opened (for a progress bar).
  virtual uint64_t ExpectedHeight() const = 0;

  // The next block of the chain, in order from block 0; nullopt once the chain ends. Errors as in the header
  // comment. Not thread-safe: one reader.
  virtual absl::StatusOr<std::optional<::common::Block>> Next() = 0;
};

// Blocks already in memory (a test's chain, blocks fetched by other means). Never fails.
class InMemoryBlockSource final : public BlockSource {
 public:
  explicit InMemoryBlockSource(std::vector<::common::Block> blocks) : blocks_(std::move(blocks)) {}

  std::string Describe() const override { return "blocks in memory"; }
  uint64_t ExpectedHeight() const override { return blocks_.size(); }
  absl::StatusOr<std::optional<::common::Block>> Next() override;

 private:
  std::vector<::common::Block> blocks_;
  size_t next_ = 0;
};

// The block files of a CareLedger block store (common/blockstore/block_store.h, format version 1), read
// sequentially and strictly read-only: no file is created, locked, truncated or indexed, so a copy handed to a
// regulator, or even the folder of a running node, stays exactly as it was. The store's LevelDB index is not
// used (opening it would write to it); blocks are read in file order and each record is checked as the store
// checks it on the way out (header CRC, payload CRC, block number in sequence), and its payload parsed.
//
// A record cut short at the very end of the last file (a write in progress, or a crash before the store's
// own recovery ran) ends the chain there; torn_tail_bytes() says how many bytes were ignored. A damaged record
// anywhere else is DataLoss from Next() at that block, naming the file and offset.
class BlockFilesSource final : public BlockSource {
 public:
  // Opens the block files under `dir`, which may be the folder holding blockfile_000000 itself, a block store
  // (<dir>/blocks/), a peer's channel ledger or an orderer's channel folder (<dir>/blocks/blocks/). Scans the
  // record headers once to learn the height. Errors: NotFound if no block files are found there (naming the
  // places looked at); FailedPrecondition for a record of a format version this build does not know;
  // Internal for I/O errors, naming the path. A damaged header found by the scan is not an error here: the
  // height stops before it, and Next() reports the damage when it gets there.
  static absl::StatusOr<std::unique_ptr<BlockFilesSource>> Open(const std::string& dir);

  ~BlockFilesSource() override;

  std::string Describe() const override;
  uint64_t ExpectedHeight() const override { return height_; }
  absl::StatusOr<std::optional<::common::Block>> Next() override;

  // Bytes at the end of the last file that hold no complete record (see above).
  uint64_t torn_tail_bytes() const { return torn_tail_bytes_; }
  const std::string& files_dir() const { return files_dir_; }

 private:
  BlockFilesSource() = default;

  std::string files_dir_;
  uint32_t file_count_ = 0;
  uint64_t height_ = 0;
  uint64_t torn_tail_bytes_ = 0;
  // Reading position.
  uint32_t file_ = 0;
  uint64_t offset_ = 0;
  uint64_t next_number_ = 0;
  std::FILE* current_ = nullptr;  // file_ open for reading, or null
  uint64_t current_size_ = 0;
};

}  // namespace careledger::audit

#endif  // CARELEDGER_NETWORK_AUDIT_BLOCK_SOURCE_H_
