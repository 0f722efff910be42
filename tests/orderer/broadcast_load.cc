#include "tests/orderer/broadcast_load.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace careledger::testing {

BroadcastLoad::BroadcastLoad(const AbClient* client, const protoutil::Signer* signer, BroadcastLoadOptions options)
    : client_(client), signer_(signer), options_(std::move(options)) {}

BroadcastLoad::~BroadcastLoad() { Finish(absl::ZeroDuration()); }

void BroadcastLoad::Start() { session_ = std::thread([this] { SessionLoop(); }); }

std::vector<EnvelopeOutcome> BroadcastLoad::Finish(absl::Duration grace) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!finishing_) {
      finishing_ = true;
      answers_deadline_ = absl::Now() + grace;
    }
    changed_.notify_all();
  }
  if (session_.joinable()) session_.join();
  std::lock_guard<std::mutex> lock(mu_);
  return outcomes_;
}

size_t BroadcastLoad::SucceededSince(absl::Time since) const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const EnvelopeOutcome& o : outcomes_) {
    if (o.answered && o.status == ::common::SUCCESS && o.answered_at >= since) ++n;
  }
  return n;
}

absl::Status BroadcastLoad::error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

bool BroadcastLoad::Pause(absl::Duration d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !changed_.wait_for(lock, absl::ToChronoNanoseconds(d), [this] { return finishing_; });
}

void BroadcastLoad::SessionLoop() {
  while (true) {
    RunStream();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (finishing_ || written_.load() >= options_.max_envelopes || !error_.ok()) return;
    }
    if (!Pause(options_.backoff)) return;  // the stream broke: the orderer may be down, or restarting
  }
}

void BroadcastLoad::RunStream() {
  grpc::ClientContext context;
  auto stream = client_->stub().Broadcast(&context);
  bool reader_done = false;  // guarded by mu_
  std::thread reader([&] {
    ::orderer::BroadcastResponse response;
    while (stream->Read(&response)) {
      std::lock_guard<std::mutex> lock(mu_);
      if (unanswered_.empty()) {
        if (error_.ok()) error_ = absl::InternalError(absl::StrCat("an answer to no envelope: ", response.DebugString()));
        continue;
      }
      EnvelopeOutcome& outcome = outcomes_[unanswered_.front()];
      unanswered_.pop_front();
      outcome.answered = true;
      outcome.status = response.status();
      outcome.answered_at = absl::Now();
      if (outcome.status == ::common::SUCCESS) {
        succeeded_.fetch_add(1);
      } else {
        refused_since_write_ = true;
      }
      changed_.notify_all();
    }
    std::lock_guard<std::mutex> lock(mu_);
    reader_done = true;
    changed_.notify_all();
  });

  while (true) {
    bool refused = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [&] { return finishing_ || reader_done || unanswered_.size() < options_.window; });
      if (finishing_ || reader_done || written_.load() >= options_.max_envelopes) break;
      refused = refused_since_write_;
      refused_since_write_ = false;
    }
    if (!Pause(refused ? options_.backoff : options_.interval)) break;
    const size_t number = written_.load();
    absl::StatusOr<::common::Envelope> envelope =
        MakeTransaction(*signer_, options_.channel, absl::StrCat(options_.label, " #", number));
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!envelope.ok()) {
        error_ = envelope.status();
        break;
      }
      EnvelopeOutcome outcome;
      outcome.tx_id = TxIdOf(*envelope);
      outcome.written_at = absl::Now();
      unanswered_.push_back(outcomes_.size());
      outcomes_.push_back(std::move(outcome));
      written_.fetch_add(1);
    }
    if (!stream->Write(*envelope)) break;  // the reader sees the stream end
  }
  stream->WritesDone();

  // The answers still due come unless the orderer died; Finish bounds the wait.
  {
    std::unique_lock<std::mutex> lock(mu_);
    while (!reader_done) {
      if (finishing_ && absl::Now() >= answers_deadline_) {
        context.TryCancel();
        changed_.wait(lock, [&] { return reader_done; });
        break;
      }
      if (finishing_) {
        changed_.wait_until(lock, absl::ToChronoTime(answers_deadline_), [&] { return reader_done; });
      } else {
        changed_.wait(lock, [&] { return reader_done || finishing_; });
      }
    }
    unanswered_.clear();  // what was not answered stays answered = false
  }
  reader.join();
  stream->Finish();
}

}  // namespace careledger::testing
