// BlockCutter: the pure batching core of the ordering service (Fabric's orderer/common/blockcutter).
//
// The chain loop hands it envelopes in consensus order; it answers which batches to turn into blocks. It does
// no I/O, reads no clock and starts no thread: the batch timeout lives in BatchTimer (batch_timer.h), driven
// by the same loop.
//
// The rules, applied to each envelope in turn (sizes are in bytes, limits from the channel's
// Orderer.BatchSize, see BatchSizeLimits):
//   1. An envelope larger than preferred_max_bytes cuts the pending batch, if there is one, and then goes
//      alone into a batch of its own: Ordered returns one or two batches and nothing is pending.
//   2. Otherwise, if adding it would take the pending batch beyond preferred_max_bytes, the pending batch is
//      cut first and the envelope starts the next one.
//   3. After adding it, a pending batch holding max_message_count envelopes is cut.
//   4. A config envelope (OrderedConfig) cuts the pending batch, if there is one, and goes alone into a batch
//      of its own, because a config block must hold exactly one transaction.
// So every batch holds 1..max_message_count envelopes, in the order they arrived, and at most
// preferred_max_bytes of them unless it is one envelope that alone is larger.
//
// The size of an envelope is the size of its serialized ::common::Envelope. Fabric counts
// len(Payload) + len(Signature), a few bytes less (the two field tags and lengths); CareLedger orderers all
// count the same way, which is what keeps the blocks of one channel alike, and the difference only moves a
// cut when a batch ends within a few bytes of preferred_max_bytes.
//
// The caller must already have rejected envelopes larger than absolute_max_bytes (Broadcast does, as Fabric's
// size filter does, so that the client learns why). One that arrives anyway is refused with InvalidArgument
// and leaves the cutter unchanged.
//
// Ownership: envelopes are moved in and moved out, never copied. Not thread-safe: one chain loop owns a
// cutter.
#ifndef CARELEDGER_ORDERER_BLOCKCUTTER_BLOCK_CUTTER_H_
#define CARELEDGER_ORDERER_BLOCKCUTTER_BLOCK_CUTTER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace careledger::orderer {

// The channel configuration's Orderer.BatchSize (::orderer::BatchSize), counted in envelope bytes.
struct BatchSizeLimits {
  uint32_t max_message_count = 0;    // envelopes per block
  uint32_t absolute_max_bytes = 0;   // no envelope may be larger (Broadcast enforces it)
  uint32_t preferred_max_bytes = 0;  // a block is cut before it would grow beyond this

  friend bool operator==(const BatchSizeLimits&, const BatchSizeLimits&) = default;
};

// OK if the limits can be used, by the same rules as Fabric's channel configuration: InvalidArgument naming
// the field if max_message_count, absolute_max_bytes or preferred_max_bytes is 0, or if preferred_max_bytes
// is greater than absolute_max_bytes.
absl::Status ValidateBatchSizeLimits(const BatchSizeLimits& limits);

// Serialized ::common::Envelope messages, in consensus order: the transactions of one block.
using Batch = std::vector<std::string>;

struct OrderedResult {
  std::vector<Batch> batches;  // 0, 1 or 2 batches to make into blocks, in this order; none is empty
  bool pending = false;        // whether envelopes are waiting in the pending batch after the call
};

class BlockCutter {
 public:
  // A cutter with nothing pending. InvalidArgument as ValidateBatchSizeLimits.
  static absl::StatusOr<BlockCutter> Create(const BatchSizeLimits& limits);

  BlockCutter(BlockCutter&&) noexcept = default;
  BlockCutter& operator=(BlockCutter&&) noexcept = default;

  // Takes `envelope` in order and returns the batches rules 1-3 cut because of it. InvalidArgument if the
  // envelope is larger than absolute_max_bytes; the cutter is then unchanged.
  absl::StatusOr<OrderedResult> Ordered(std::string envelope);

  // Takes a config envelope in order (rule 4) and returns the pending batch, if there was one, followed by
  // a batch holding only `envelope`. Nothing is pending afterwards. InvalidArgument as Ordered.
  absl::StatusOr<std::vector<Batch>> OrderedConfig(std::string envelope);

  // Returns the pending batch (empty if there is none) and leaves nothing pending: the chain loop calls this
  // when the batch timeout expires.
  Batch Cut();

  // Limits for the envelopes ordered from now on, after a config block changed Orderer.BatchSize. The
  // pending batch stays (after OrderedConfig there is none); the next envelope is measured against the new
  // limits. InvalidArgument as ValidateBatchSizeLimits, keeping the old limits.
  absl::Status SetLimits(const BatchSizeLimits& limits);

  const BatchSizeLimits& limits() const { return limits_; }
  size_t pending_count() const { return pending_.size(); }
  uint64_t pending_bytes() const { return pending_bytes_; }

 private:
  explicit BlockCutter(const BatchSizeLimits& limits) : limits_(limits) {}

  absl::Status CheckSize(const std::string& envelope) const;

  BatchSizeLimits limits_;
  Batch pending_;
  // Sum of the pending envelopes' sizes; 64 bits so that adding the next envelope's size cannot wrap.
  uint64_t pending_bytes_ = 0;
};

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_BLOCKCUTTER_BLOCK_CUTTER_H_
