// Test-only: closed-loop clients submitting `bench put` transactions, each with a key of its own, through
// Fabric Gateway clients until stopped — the load fault tests crash nodes under.
//
//   PutLoad load(channel, {&hospital1_client, &hospital2_client}, /*workers_per_client=*/8);
//   load.Start();
//   RETURN_IF_ERROR(load.WaitForValid(50, timeout));   // 50 transactions committed VALID so far
//   ... kill a node ...
//   RETURN_IF_ERROR(load.WaitForValid(load.valid() + 50, timeout));
//   load.Stop();
//   for (const PutLoad::Transaction& tx : load.transactions()) ...
//
// Each worker runs Fabric's steps one by one (NewProposal, Endorse, SubmitPrepared, WaitForCommit) so that the
// test knows which transactions the ordering service acknowledged: a transaction whose Submit answered OK must
// commit VALID (its key is its own, so nothing can conflict with it), however the nodes crash meanwhile.
// A worker whose Endorse or Submit failed (a node is down) retries with a fresh transaction after a short
// pause, so that it does not spin while the network recovers.
//
// Thread-safety: Start, Stop and transactions() from one thread; the waits and counters from any.
#ifndef CARELEDGER_TESTS_PEER_PUT_LOAD_H_
#define CARELEDGER_TESTS_PEER_PUT_LOAD_H_

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "network/client/gateway_client.h"

namespace careledger::testing {

class PutLoad {
 public:
  // What became of one transaction a worker proposed.
  struct Transaction {
    std::string key;
    std::string value;
    std::string tx_id;
    std::string gateway;  // the address of the gateway it went through
    // Endorse's or Submit's error; OK once the ordering service acknowledged it.
    absl::Status submit = absl::OkStatus();
    // For an acknowledged transaction: its commit as the gateway reported it, or WaitForCommit's error.
    absl::StatusOr<client::CommitStatus> commit = absl::UnknownError("not acknowledged");

    bool acknowledged() const { return submit.ok(); }
  };

  // `clients` must outlive the load; each gets `workers_per_client` workers. Keys are "<key_prefix><worker>-<n>",
  // values "v<n>". Every call is bounded by `call_timeout` (the commit wait too).
  PutLoad(std::string channel, std::vector<const client::GatewayClient*> clients, int workers_per_client,
          std::string key_prefix = "load-", absl::Duration call_timeout = absl::Seconds(60));
  ~PutLoad();  // Stop()

  PutLoad(const PutLoad&) = delete;
  PutLoad& operator=(const PutLoad&) = delete;

  void Start();
  // Asks every worker to stop and waits for them: a transaction in flight finishes (bounded by call_timeout).
  void Stop();

  // Transactions committed VALID so far, and acknowledged ones whose commit the worker still waits for or
  // that failed (lost, invalid, or WaitForCommit's error).
  int64_t valid() const;
  // Waits until at least `count` transactions have committed VALID. DeadlineExceeded after `timeout`, with
  // the counts and the latest error a worker saw.
  absl::Status WaitForValid(int64_t count, absl::Duration timeout) const;

  // Every transaction proposed, after Stop.
  const std::vector<Transaction>& transactions() const { return done_; }

 private:
  void Work(const client::GatewayClient* client, int worker);
  Transaction RunOne(const client::GatewayClient& client, std::string key, std::string value) const;

  const std::string channel_;
  const std::vector<const client::GatewayClient*> clients_;
  const int workers_per_client_;
  const std::string key_prefix_;
  const absl::Duration call_timeout_;

  absl::Notification stop_;
  std::vector<std::thread> workers_;
  mutable absl::Mutex mu_;
  int64_t valid_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t failed_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  std::vector<Transaction> finished_ ABSL_GUARDED_BY(mu_);
  std::vector<Transaction> done_;  // finished_, moved out by Stop
};

}  // namespace careledger::testing

#endif  // CARELEDGER_TESTS_PEER_PUT_LOAD_H_
