#include "orderer/chain/block_applier.h"

#include "absl/strings/str_cat.h"
#include "common/encoding/hex.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"

namespace careledger::orderer {
namespace {

constexpr size_t kHeightBytes = 8;
constexpr size_t kHashBytes = 32;
constexpr absl::Duration kCatchUpRetryDelay = absl::Seconds(1);

std::string EncodeSnapshot(uint64_t height, const std::string& last_hash) {
  std::string out(kHeightBytes, '\0');
  for (size_t i = 0; i < kHeightBytes; ++i) out[i] = static_cast<char>((height >> (8 * i)) & 0xff);
  return out + last_hash;
}

}  // namespace

BlockApplier::BlockApplier(blockstore::BlockStore* store, BlockPuller puller, std::string channel_id)
    : store_(store), puller_(std::move(puller)), log_(logging::Logger("orderer.chain").With({{"channel", channel_id}})) {}

BlockApplier::~BlockApplier() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (catch_up_thread_.joinable()) catch_up_thread_.join();
}

bool BlockApplier::catching_up() const {
  std::lock_guard<std::mutex> lock(mu_);
  return catching_up_;
}

absl::Status BlockApplier::CheckSameAsStored(uint64_t number, const std::string& header_hash) const {
  ASSIGN_OR_RETURN(::common::Block stored, store_->GetBlock(number));
  if (protoutil::BlockHeaderHash(stored.header()) != header_hash) {
    return absl::DataLossError(absl::StrCat("fork: committed block ", number, " differs from the one stored"));
  }
  return absl::OkStatus();
}

absl::Status BlockApplier::Apply(std::string_view entry) {
  ASSIGN_OR_RETURN(::common::Block block, protoutil::Unmarshal<::common::Block>(entry, "committed block"));
  const uint64_t number = block.header().number();
  std::lock_guard<std::mutex> lock(mu_);
  const uint64_t height = store_->Height();
  if (number < height) return CheckSameAsStored(number, protoutil::BlockHeaderHash(block.header()));
  if (catching_up_ || number > height) {
    held_.emplace(number, std::string(entry));
    if (!catching_up_) StartCatchUpLocked(number);
    return absl::OkStatus();
  }
  return store_->AppendSerialized(entry);
}

absl::StatusOr<std::string> BlockApplier::Snapshot() {
  std::lock_guard<std::mutex> lock(mu_);
  // While catching up the store is behind what Raft has applied: describe what Raft has applied, which is
  // what the snapshot must stand for.
  const uint64_t height = catching_up_ ? catch_up_target_ : store_->Height();
  if (catching_up_) return absl::UnavailableError("catching up: no snapshot until the gap is filled");
  if (height == 0) return EncodeSnapshot(0, "");
  ASSIGN_OR_RETURN(::common::BlockHeader header, store_->LastBlockHeader());
  return EncodeSnapshot(height, protoutil::BlockHeaderHash(header));
}

absl::Status BlockApplier::Restore(std::string_view snapshot) {
  if (snapshot.size() != kHeightBytes && snapshot.size() != kHeightBytes + kHashBytes) {
    return absl::DataLossError(absl::StrCat("snapshot of ", snapshot.size(), " bytes is not a chain tip"));
  }
  uint64_t height = 0;
  for (size_t i = 0; i < kHeightBytes; ++i) height |= static_cast<uint64_t>(static_cast<uint8_t>(snapshot[i])) << (8 * i);
  const std::string last_hash(snapshot.substr(kHeightBytes));
  std::lock_guard<std::mutex> lock(mu_);
  if (height == 0) return absl::OkStatus();
  if (store_->Height() >= height) return CheckSameAsStored(height - 1, last_hash);
  log_.Info("snapshot is ahead of the block store; pulling the missing blocks",
            {{"height", store_->Height()}, {"snapshot_height", height}});
  if (!catching_up_) {
    StartCatchUpLocked(height);
  } else {
    catch_up_target_ = std::max(catch_up_target_, height);
  }
  return absl::OkStatus();
}

void BlockApplier::StartCatchUpLocked(uint64_t target) {
  catching_up_ = true;
  catch_up_target_ = target;
  if (catch_up_thread_.joinable()) catch_up_thread_.join();  // a finished earlier catch-up
  catch_up_thread_ = std::thread([this] { CatchUp(); });
}

void BlockApplier::CatchUp() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    // Blocks held in memory may already close the gap.
    while (true) {
      auto it = held_.find(store_->Height());
      if (it == held_.end()) break;
      absl::Status st = store_->AppendSerialized(it->second);
      held_.erase(it);
      if (!st.ok()) {
        log_.Error("cannot append a held block", {{"error", st}});
        break;
      }
    }
    held_.erase(held_.begin(), held_.lower_bound(store_->Height()));
    const uint64_t target = std::max(catch_up_target_, held_.empty() ? 0 : held_.begin()->first);
    if (store_->Height() >= target && held_.empty()) {
      catching_up_ = false;
      log_.Info("caught up", {{"height", store_->Height()}});
      return;
    }
    const uint64_t from = store_->Height();
    lock.unlock();
    // Appends from the pull happen without the lock held across the network; each append takes it.
    absl::Status st = puller_(from, target, [this](std::string bytes) -> absl::Status {
      std::lock_guard<std::mutex> append_lock(mu_);
      if (stopping_) return absl::CancelledError("stopping");
      return store_->AppendSerialized(bytes);
    });
    lock.lock();
    if (!st.ok() && !stopping_) {
      log_.Warn("catch-up pull failed; retrying", {{"from", from}, {"to", target}, {"error", st}});
      stop_cv_.wait_for(lock, absl::ToChronoNanoseconds(kCatchUpRetryDelay), [this] { return stopping_; });
    }
  }
}

}  // namespace careledger::orderer
