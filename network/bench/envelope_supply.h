// Signed envelopes for the broadcast bench, made ahead of time so that the tool's own signing does not limit
// what it measures: a pool is signed before the run (on every core), and optional background signers top it
// up while the run consumes it. How long senders had to wait for an envelope is recorded, so a report shows
// when the tool, not the orderer, was the bottleneck.
//
// Each envelope is a real ENDORSER_TRANSACTION envelope made by protoutil::CreateSignedEnvelope: a fresh
// nonce and tx ID, the signer as creator, and as payload data a peer.Transaction with one action whose
// payload is `payload_bytes` random bytes. An orderer checks structure, creator, signature and the channel's
// Writers policy; a peer would later mark such a transaction invalid (its action is not an endorsed
// chaincode action), which is fine for measuring ordering.
#ifndef CARELEDGER_NETWORK_BENCH_ENVELOPE_SUPPLY_H_
#define CARELEDGER_NETWORK_BENCH_ENVELOPE_SUPPLY_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/common.pb.h"
#include "common/protoutil/signer.h"

namespace careledger::bench {

struct SignedEnvelope {
  ::common::Envelope envelope;
  std::string tx_id;  // of its channel header
};

// Makes one envelope as described above. Errors from the signer or protoutil, annotated.
absl::StatusOr<SignedEnvelope> MakeBenchEnvelope(const protoutil::Signer& signer, const std::string& channel_id,
                                                 uint64_t payload_bytes);

// The signed DELIVER_SEEK_INFO envelope that asks for the blocks of `channel_id` from `start` (nullopt: the
// newest block) on, with no end: its data is an orderer.SeekInfo {start: newest or specified, stop: specified
// max uint64, behavior: BLOCK_UNTIL_READY}.
absl::StatusOr<::common::Envelope> MakeSeekEnvelope(const protoutil::Signer& signer, const std::string& channel_id,
                                                    std::optional<uint64_t> start);

class EnvelopeSupply {
 public:
  struct Options {
    std::string channel_id;
    uint64_t payload_bytes = 1024;
    uint64_t presign = 20000;  // signed by Create; also the pool size the background signers keep
    int sign_threads = 1;      // background signers; 0: the pool is never refilled
  };

  // Signs `options.presign` envelopes on all cores, then starts the background signers. The first signing
  // error is returned (a key that cannot sign is a setup error).
  static absl::StatusOr<std::unique_ptr<EnvelopeSupply>> Create(const Options& options,
                                                                std::shared_ptr<const protoutil::Signer> signer);
  // Stops and joins the background signers.
  ~EnvelopeSupply();
  EnvelopeSupply(const EnvelopeSupply&) = delete;
  EnvelopeSupply& operator=(const EnvelopeSupply&) = delete;

  // The next envelope, waiting at most `max_wait` for one; nullopt if none came (the caller checks whether
  // it should still send and asks again). Thread-safe.
  std::optional<SignedEnvelope> Take(absl::Duration max_wait);

  uint64_t presigned() const { return presigned_; }
  uint64_t signed_in_background() const { return signed_in_background_.load(); }
  // Total time callers of Take spent waiting for an envelope.
  absl::Duration wait_time() const { return absl::Nanoseconds(wait_ns_.load()); }
  // The first error of a background signer (which then stops); OK if none.
  absl::Status background_status() const;

 private:
  EnvelopeSupply(Options options, std::shared_ptr<const protoutil::Signer> signer);
  void SignerLoop();

  const Options options_;
  const std::shared_ptr<const protoutil::Signer> signer_;
  uint64_t presigned_ = 0;
  std::atomic<uint64_t> signed_in_background_{0};
  std::atomic<int64_t> wait_ns_{0};

  mutable std::mutex mu_;
  std::condition_variable available_;  // the pool gained an envelope
  std::condition_variable room_;       // the pool lost one, or stopping
  std::deque<SignedEnvelope> pool_;    // guarded by mu_
  bool stopping_ = false;              // guarded by mu_
  absl::Status background_status_;     // guarded by mu_
  std::vector<std::thread> signers_;
};

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_ENVELOPE_SUPPLY_H_
