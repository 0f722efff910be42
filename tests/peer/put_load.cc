#include "tests/peer/put_load.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace careledger::testing {
namespace {

// How long a worker waits before proposing again after a failed Endorse or Submit: long enough not to spin
// while a node restarts, short enough to notice its return at once.
constexpr absl::Duration kRetryPause = absl::Milliseconds(100);

}  // namespace

PutLoad::PutLoad(std::string channel, std::vector<const client::GatewayClient*> clients, int workers_per_client,
                 std::string key_prefix, absl::Duration call_timeout)
    : channel_(std::move(channel)),
      clients_(std::move(clients)),
      workers_per_client_(workers_per_client),
      key_prefix_(std::move(key_prefix)),
      call_timeout_(call_timeout) {}

PutLoad::~PutLoad() { Stop(); }

void PutLoad::Start() {
  int worker = 0;
  for (const client::GatewayClient* client : clients_) {
    for (int i = 0; i < workers_per_client_; ++i) {
      workers_.emplace_back([this, client, worker] { Work(client, worker); });
      ++worker;
    }
  }
}

void PutLoad::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
  absl::MutexLock lock(&mu_);
  for (Transaction& tx : finished_) done_.push_back(std::move(tx));
  finished_.clear();
}

int64_t PutLoad::valid() const {
  absl::MutexLock lock(&mu_);
  return valid_;
}

absl::Status PutLoad::WaitForValid(int64_t count, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto reached = [this, count]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return valid_ >= count; };
  if (mu_.AwaitWithTimeout(absl::Condition(&reached), timeout)) return absl::OkStatus();
  return absl::DeadlineExceededError(absl::StrCat("PutLoad: ", valid_, " of ", count,
                                                  " transactions committed VALID after ", absl::FormatDuration(timeout),
                                                  " (", failed_, " failed; latest error: ", last_error_.ToString(),
                                                  ")"));
}

void PutLoad::Work(const client::GatewayClient* client, int worker) {
  for (int64_t n = 0; !stop_.HasBeenNotified(); ++n) {
    Transaction tx = RunOne(*client, absl::StrCat(key_prefix_, worker, "-", n), absl::StrCat("v", n));
    const bool valid = tx.commit.ok() && tx.commit->code == ::protos::VALID;
    const bool retry = !tx.acknowledged();
    {
      absl::MutexLock lock(&mu_);
      if (valid) {
        ++valid_;
      } else {
        ++failed_;
        last_error_ = !tx.submit.ok()   ? tx.submit
                      : !tx.commit.ok() ? tx.commit.status()
                                        : absl::AbortedError(absl::StrCat(tx.tx_id, " committed with code ",
                                                                          tx.commit->code));
      }
      finished_.push_back(std::move(tx));
    }
    if (retry) stop_.WaitForNotificationWithTimeout(kRetryPause);
  }
}

PutLoad::Transaction PutLoad::RunOne(const client::GatewayClient& client, std::string key, std::string value) const {
  Transaction tx;
  tx.gateway = client.address();
  absl::StatusOr<client::Proposal> proposal = client.NewProposal(channel_, "bench", {"put", key, value});
  tx.key = std::move(key);
  tx.value = std::move(value);
  if (!proposal.ok()) {
    tx.submit = proposal.status();
    return tx;
  }
  tx.tx_id = proposal->tx_id;
  absl::StatusOr<client::PreparedTransaction> prepared =
      client.Endorse(*proposal, {}, absl::Now() + call_timeout_);
  if (!prepared.ok()) {
    tx.submit = prepared.status();
    return tx;
  }
  tx.submit = client.SubmitPrepared(*prepared, absl::Now() + call_timeout_);
  if (!tx.submit.ok()) return tx;
  tx.commit = client.WaitForCommit(channel_, tx.tx_id, absl::Now() + call_timeout_);
  return tx;
}

}  // namespace careledger::testing
