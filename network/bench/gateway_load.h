// The engine of `careledger bench gateway`: a closed loop of transactions through Fabric Gateway endpoints,
// each as the official SDKs run it (Endorse, check and sign the prepared transaction, Submit, signed
// CommitStatus), a fixed number in flight, without a thread per transaction.
//
// Transactions are slots driven by gRPC's asynchronous API: `threads` completion queues, each polled by one
// thread that owns in_flight / threads slots (round-robin over the gateways). A completed call moves its slot
// to the next step on the polling thread — signing included — and a finished transaction starts the slot's
// next one until Stop. So the tool's cost per transaction is three signatures and three calls, and the
// network, not the tool, is what is measured.
//
// Keys: "k-<run>-<slot>-<n>" unique per transaction (blind writes never conflict), or, with hot_keys N,
// "hot-<i>" drawn uniformly from N keys (read-modify-writes then conflict under MVCC). Each call is
// `function(key, value)` with a value of value_bytes 'x's, as load.js calls it.
//
// Thread-safety: Start, Stop, Drain and Cancel from one thread; the counters from any; the sink is called on
// the polling threads, concurrently.
#ifndef CARELEDGER_NETWORK_BENCH_GATEWAY_LOAD_H_
#define CARELEDGER_NETWORK_BENCH_GATEWAY_LOAD_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "msp/signing_identity.h"
#include "network/client/gateway_client.h"

namespace careledger::bench {

struct GatewayLoadOptions {
  std::vector<client::GatewayEndpoint> gateways;  // slot i uses gateways[i % n]
  std::shared_ptr<const msp::SigningIdentity> signer;
  std::string channel_id = "healthchannel";
  std::string chaincode = "bench";
  std::string function = "put";
  uint64_t hot_keys = 0;  // 0: a unique key per transaction
  size_t value_bytes = 100;
  int in_flight = 256;
  int threads = 2;
  absl::Duration call_timeout = absl::Seconds(30);     // Endorse and Submit, as load.js
  absl::Duration commit_timeout = absl::Seconds(120);  // CommitStatus, as load.js
};

// How one transaction ended.
struct TransactionOutcome {
  std::chrono::steady_clock::time_point start;  // before its proposal was built
  std::chrono::steady_clock::time_point end;    // its commit status (or failure) arrived
  // Empty for a transaction committed VALID; otherwise the kind of failure, as load.js names them:
  //   "invalid:<TxValidationCode name>"  committed with another code (e.g. invalid:MVCC_READ_CONFLICT)
  //   "<Step>:<gRPC code name>"          Endorse, Submit or CommitStatus failed (e.g. Endorse:UNAVAILABLE)
  //   "Client:<absl code name>"          the client refused (a prepared transaction not its proposal's, signing)
  std::string failure;
  std::string message;  // the failure's message, for examples in the report
  bool acknowledged = false;  // Submit answered OK
};

class GatewayLoad {
 public:
  using Sink = std::function<void(const TransactionOutcome&)>;

  // InvalidArgument for no gateway, no signer, in_flight or threads below 1, threads above in_flight, an
  // empty channel, chaincode or function; DialGateway's errors for an endpoint. Nothing starts yet.
  static absl::StatusOr<std::unique_ptr<GatewayLoad>> Create(GatewayLoadOptions options, Sink sink);
  ~GatewayLoad();  // Cancel, then waits for the threads

  GatewayLoad(const GatewayLoad&) = delete;
  GatewayLoad& operator=(const GatewayLoad&) = delete;

  // Starts every slot's first transaction and the polling threads.
  void Start();
  // No new transaction starts after this; those in flight go on.
  void Stop();
  // After Stop: waits until every slot is idle or `timeout` passes; true if all finished.
  bool Drain(absl::Duration timeout);
  // Cancels the calls still in flight (their outcomes reach the sink as CANCELLED) and waits for the threads.
  void Cancel();

  // Transactions Submit acknowledged whose commit status has not arrived (yet).
  int64_t awaiting_status() const { return awaiting_status_.load(std::memory_order_relaxed); }
  // Transactions in flight now.
  int64_t in_flight() const { return active_.load(std::memory_order_relaxed); }

 private:
  struct Slot;
  class Poller;

  GatewayLoad(GatewayLoadOptions options, Sink sink);

  GatewayLoadOptions options_;
  Sink sink_;
  std::string run_id_;
  std::string value_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> active_{0};
  std::atomic<int64_t> awaiting_status_{0};
  absl::Mutex idle_mu_;  // Drain waits on it for active_ to reach 0
  std::vector<std::unique_ptr<Poller>> pollers_;
  bool joined_ = false;
};

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_GATEWAY_LOAD_H_
