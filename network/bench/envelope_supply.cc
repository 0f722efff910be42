#include "network/bench/envelope_supply.h"

#include <limits>
#include <random>
#include <utility>

#include "absl/time/clock.h"
#include "common/concurrency/thread_pool.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/timestamp.h"
#include "common/status_macros.h"
#include "orderer/ab.pb.h"
#include "peer/transaction.pb.h"

namespace careledger::bench {
namespace {

// Payload bytes need not be unpredictable, only different per envelope (no compression or dedup helps).
std::string RandomBytes(uint64_t n) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string bytes(n, '\0');
  for (uint64_t i = 0; i < n; i += 8) {
    const uint64_t word = rng();
    for (uint64_t j = 0; j < 8 && i + j < n; ++j) bytes[i + j] = static_cast<char>(word >> (8 * j));
  }
  return bytes;
}

}  // namespace

absl::StatusOr<SignedEnvelope> MakeBenchEnvelope(const protoutil::Signer& signer, const std::string& channel_id,
                                                 uint64_t payload_bytes) {
  ::protos::Transaction transaction;
  transaction.add_actions()->set_payload(RandomBytes(payload_bytes));
  SignedEnvelope result;
  ASSIGN_OR_RETURN(result.envelope,
                   protoutil::CreateSignedEnvelope(::common::HeaderType::ENDORSER_TRANSACTION, channel_id, signer,
                                                   transaction, /*epoch=*/0, protoutil::ToTimestamp(absl::Now())));
  ASSIGN_OR_RETURN(protoutil::ParsedEnvelope parsed, protoutil::ParseEnvelope(result.envelope));
  result.tx_id = parsed.channel_header.tx_id();
  return result;
}

absl::StatusOr<::common::Envelope> MakeSeekEnvelope(const protoutil::Signer& signer, const std::string& channel_id,
                                                    std::optional<uint64_t> start) {
  ::orderer::SeekInfo seek;
  if (start.has_value()) {
    seek.mutable_start()->mutable_specified()->set_number(*start);
  } else {
    seek.mutable_start()->mutable_newest();
  }
  seek.mutable_stop()->mutable_specified()->set_number(std::numeric_limits<uint64_t>::max());
  seek.set_behavior(::orderer::SeekInfo::BLOCK_UNTIL_READY);
  return protoutil::CreateSignedEnvelope(::common::HeaderType::DELIVER_SEEK_INFO, channel_id, signer, seek,
                                         /*epoch=*/0, protoutil::ToTimestamp(absl::Now()));
}

EnvelopeSupply::EnvelopeSupply(Options options, std::shared_ptr<const protoutil::Signer> signer)
    : options_(std::move(options)), signer_(std::move(signer)) {}

absl::StatusOr<std::unique_ptr<EnvelopeSupply>> EnvelopeSupply::Create(const Options& options,
                                                                       std::shared_ptr<const protoutil::Signer> signer) {
  std::unique_ptr<EnvelopeSupply> supply(new EnvelopeSupply(options, std::move(signer)));
  std::vector<absl::StatusOr<SignedEnvelope>> made(options.presign, absl::UnknownError("not signed"));
  {
    ThreadPool pool(0);
    pool.ParallelFor(options.presign, [&](size_t i) {
      made[i] = MakeBenchEnvelope(*supply->signer_, options.channel_id, options.payload_bytes);
    });
  }
  for (auto& envelope : made) {
    if (!envelope.ok()) return Annotate(envelope.status(), "signing bench envelopes");
    supply->pool_.push_back(*std::move(envelope));
  }
  supply->presigned_ = options.presign;
  for (int i = 0; i < options.sign_threads; ++i) supply->signers_.emplace_back([s = supply.get()] { s->SignerLoop(); });
  return supply;
}

EnvelopeSupply::~EnvelopeSupply() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  room_.notify_all();
  for (std::thread& t : signers_) t.join();
}

void EnvelopeSupply::SignerLoop() {
  const size_t capacity = std::max<uint64_t>(options_.presign, 1);
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      room_.wait(lock, [&] { return stopping_ || pool_.size() < capacity; });
      if (stopping_) return;
    }
    auto envelope = MakeBenchEnvelope(*signer_, options_.channel_id, options_.payload_bytes);
    std::lock_guard<std::mutex> lock(mu_);
    if (!envelope.ok()) {
      if (background_status_.ok()) background_status_ = Annotate(envelope.status(), "background signer");
      return;
    }
    pool_.push_back(*std::move(envelope));
    signed_in_background_.fetch_add(1);
    available_.notify_one();
  }
}

std::optional<SignedEnvelope> EnvelopeSupply::Take(absl::Duration max_wait) {
  std::unique_lock<std::mutex> lock(mu_);
  if (pool_.empty()) {
    const auto start = std::chrono::steady_clock::now();
    available_.wait_for(lock, absl::ToChronoNanoseconds(max_wait), [&] { return !pool_.empty(); });
    wait_ns_.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    if (pool_.empty()) return std::nullopt;
  }
  SignedEnvelope envelope = std::move(pool_.front());
  pool_.pop_front();
  lock.unlock();
  room_.notify_one();
  return envelope;
}

absl::Status EnvelopeSupply::background_status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return background_status_;
}

}  // namespace careledger::bench
