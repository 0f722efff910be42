// BlockPuller: the peer's Deliver client. It pulls one channel's blocks from the ordering service, from the
// ledger's height on, and hands each to a sink (the committer) in order. Any orderer of the channel will do:
// after a failure — an orderer that cannot be reached, refuses (SERVICE_UNAVAILABLE, NOT_FOUND, FORBIDDEN),
// ends the stream, or delivers a block the sink refuses (a forged or damaged block) — it moves to the next
// orderer and reopens the stream at the block after the last one the sink accepted, so no block is missed or
// applied twice. Waits between rounds grow from Options::initial_backoff to Options::max_backoff and reset
// once a block is accepted.
//
// The request is a DELIVER_SEEK_INFO envelope signed by the peer (the orderer checks the channel's Readers
// policy): SeekInfo {start: specified(next), stop: specified(max uint64), BLOCK_UNTIL_READY}.
//
// Threading: one thread of its own, started by Start and joined by Stop (or the destructor). The sink runs on
// that thread; no lock is held while it runs or while the stream waits.
#ifndef CARELEDGER_PEER_DELIVERCLIENT_BLOCK_PULLER_H_
#define CARELEDGER_PEER_DELIVERCLIENT_BLOCK_PULLER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/common.pb.h"
#include "common/protoutil/signer.h"

namespace grpc {
class ClientContext;
}  // namespace grpc

namespace careledger::deliverclient {

// One orderer to pull from.
struct OrdererEndpoint {
  std::string address;              // "host:port"
  std::string tls_root_certs_pem;   // CA certificates the orderer's TLS certificate must chain to; empty: no TLS
};

struct BlockPullerOptions {
  std::string channel_id;
  std::vector<OrdererEndpoint> orderers;  // tried in order, round robin
  // Presented to orderers that require client certificates (mutual TLS); may be empty.
  std::string tls_client_cert_pem;
  std::string tls_client_key_pem;
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(10);
  absl::Duration connect_timeout = absl::Seconds(5);
};

class BlockPuller {
 public:
  // Where to start: the next block the sink expects. Called at the start of every round.
  using NextBlock = std::function<uint64_t()>;
  // Takes the next block. An error makes the puller drop the stream and try the next orderer.
  using BlockSink = std::function<absl::Status(::common::Block)>;

  // `signer` (the peer) signs the seek requests and must outlive the puller.
  BlockPuller(BlockPullerOptions options, const protoutil::Signer& signer, NextBlock next_block, BlockSink sink);
  ~BlockPuller();  // Stop()
  BlockPuller(const BlockPuller&) = delete;
  BlockPuller& operator=(const BlockPuller&) = delete;

  // Starts pulling. Call once.
  void Start();
  // Cancels the stream and joins the thread. Idempotent.
  void Stop();

  // Why the last round ended (OK before the first failure), for status reports and tests.
  absl::Status last_error() const;
  // How many rounds ended in a failure so far.
  uint64_t failures() const;

 private:
  void Loop();
  // Pulls from `endpoint` until the stream ends; returns why (never OK), and whether any block was accepted.
  absl::Status PullFrom(const OrdererEndpoint& endpoint, bool* progressed);

  const BlockPullerOptions options_;
  const protoutil::Signer& signer_;
  const NextBlock next_block_;
  const BlockSink sink_;

  mutable std::mutex mu_;
  std::condition_variable stop_changed_;
  bool stopping_ = false;                       // guarded by mu_
  grpc::ClientContext* context_ = nullptr;      // the open stream's, to cancel it; guarded by mu_
  absl::Status last_error_;                     // guarded by mu_
  uint64_t failures_ = 0;                       // guarded by mu_
  std::thread thread_;
};

}  // namespace careledger::deliverclient

#endif  // CARELEDGER_PEER_DELIVERCLIENT_BLOCK_PULLER_H_
