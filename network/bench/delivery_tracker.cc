#include "network/bench/delivery_tracker.h"

#include "common/protoutil/unmarshal.h"

namespace careledger::bench {
namespace {

// The tx ID of a block entry, or an empty string if it does not parse that far. Parses only the layers on the
// way: blocks are large and arrive while the streams are busy.
std::string TxIdOf(const std::string& entry) {
  auto envelope = protoutil::Unmarshal<::common::Envelope>(entry, "block entry");
  if (!envelope.ok()) return "";
  auto payload = protoutil::Unmarshal<::common::Payload>(envelope->payload(), "payload");
  if (!payload.ok()) return "";
  auto header = protoutil::Unmarshal<::common::ChannelHeader>(payload->header().channel_header(), "channel header");
  if (!header.ok()) return "";
  return header->tx_id();
}

}  // namespace

void DeliveryTracker::SetWindow(MeasurementWindow window) {
  std::lock_guard<std::mutex> lock(mu_);
  window_ = window;
}

void DeliveryTracker::Sent(const std::string& tx_id, Clock::time_point at) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_[tx_id] = Entry{at};
}

void DeliveryTracker::Acknowledged(const std::string& tx_id, bool success) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(tx_id);
  if (it == entries_.end() || it->second.ack != Ack::kPending) return;
  it->second.ack = success ? Ack::kSuccess : Ack::kFailed;
  if (it->second.delivered) {
    if (!success) result_.delivered_despite_error++;
    return;
  }
  if (success) awaiting_++;
}

void DeliveryTracker::OnBlock(const ::common::Block& block, Clock::time_point arrival) {
  std::vector<std::string> tx_ids;
  tx_ids.reserve(block.data().data_size());
  uint64_t malformed = 0;
  for (const std::string& entry : block.data().data()) {
    std::string tx_id = TxIdOf(entry);
    if (tx_id.empty()) {
      malformed++;
    } else {
      tx_ids.push_back(std::move(tx_id));
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  result_.blocks++;
  result_.malformed_envelopes += malformed;
  bool any = false;
  for (const std::string& tx_id : tx_ids) {
    auto it = entries_.find(tx_id);
    if (it == entries_.end()) continue;  // another client's
    Entry& e = it->second;
    if (e.delivered) {
      result_.delivered_twice++;
      continue;
    }
    e.delivered = true;
    any = true;
    result_.delivered++;
    if (window_.Contains(e.sent_at)) {
      result_.latencies_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(arrival - e.sent_at).count());
    }
    if (e.ack == Ack::kSuccess) awaiting_--;
    if (e.ack == Ack::kFailed) result_.delivered_despite_error++;
  }
  if (any) changed_.notify_all();
}

bool DeliveryTracker::WaitAllDelivered(Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_until(lock, deadline, [&] { return awaiting_ == 0; });
}

uint64_t DeliveryTracker::awaiting_delivery() const {
  std::lock_guard<std::mutex> lock(mu_);
  return awaiting_;
}

DeliveryResult DeliveryTracker::Finish() const {
  std::lock_guard<std::mutex> lock(mu_);
  DeliveryResult result = result_;
  result.acknowledged_not_delivered = awaiting_;
  return result;
}

}  // namespace careledger::bench
