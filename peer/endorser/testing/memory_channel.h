// Test-only: an endorser channel over an in-memory world state (peer/ledger/state/testing), with the
// channel configuration and MSPs of a real test network, and a "commit" that applies an endorsed response's
// writes as the committer would for a valid transaction. For the endorser's tests and benchmark.
#ifndef CARELEDGER_PEER_ENDORSER_TESTING_MEMORY_CHANNEL_H_
#define CARELEDGER_PEER_ENDORSER_TESTING_MEMORY_CHANNEL_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/channelconfig/channel_config.h"
#include "ledger/rwset/kvrwset/kv_rwset.pb.h"
#include "ledger/rwset/rwset.pb.h"
#include "msp/msp_manager.h"
#include "peer/endorser/endorser_channel.h"
#include "peer/ledger/state/testing/memory_state.h"
#include "peer/lifecycle/chaincode_definition.h"
#include "peer/proposal.pb.h"
#include "peer/proposal_response.pb.h"

namespace careledger::endorser::testing {

class MemoryChannel : public EndorserChannel, public ChannelDirectory {
 public:
  MemoryChannel(channelconfig::ChannelConfig config, std::unique_ptr<msp::MspManager> msps)
      : config_(std::move(config)), msps_(std::move(msps)) {}

  const channelconfig::ChannelConfig& config() const override { return config_; }
  const msp::MspManager& msps() const override { return *msps_; }
  std::shared_ptr<const ledger::StateSnapshot> NewSnapshot() const override { return state_.Snapshot(); }
  absl::StatusOr<bool> HasTransaction(std::string_view tx_id) const override {
    return committed_tx_ids_.contains(std::string(tx_id));
  }
  absl::StatusOr<std::vector<chaincode::KeyModification>> History(std::string_view, std::string_view) const override {
    return std::vector<chaincode::KeyModification>();
  }
  std::shared_ptr<const EndorserChannel> Find(std::string_view channel_id) const override {
    if (channel_id != config_.channel_id()) return nullptr;
    return std::shared_ptr<const EndorserChannel>(this, [](const EndorserChannel*) {});
  }

  // Commits `definition` directly into the `_lifecycle` namespace, as if approved and committed earlier.
  void Define(const lifecycle::ChaincodeDefinition& definition) {
    state_.Put(lifecycle::kLifecycleNamespace, lifecycle::DefinitionKey(definition.name),
               lifecycle::EncodeDefinition(definition), {state_.height(), 0});
    state_.set_height(state_.height() + 1);
  }

  // Commits an endorsed response's writes as the next block's only transaction.
  absl::Status Commit(const ::protos::ProposalResponse& response, const std::string& tx_id) {
    ::protos::ProposalResponsePayload payload;
    ::protos::ChaincodeAction action;
    ::rwset::TxReadWriteSet rwset;
    if (!payload.ParseFromString(response.payload()) || !action.ParseFromString(payload.extension()) ||
        !rwset.ParseFromString(action.results())) {
      return absl::InvalidArgumentError("not an endorsed response");
    }
    const uint64_t block = state_.height();
    for (const auto& ns : rwset.ns_rwset()) {
      ::kvrwset::KVRWSet kv;
      if (!kv.ParseFromString(ns.rwset())) return absl::InvalidArgumentError("malformed KVRWSet");
      for (const auto& write : kv.writes()) {
        if (write.is_delete()) {
          state_.Delete(ns.namespace_(), write.key());
        } else {
          state_.Put(ns.namespace_(), write.key(), write.value(), {block, 0});
        }
      }
    }
    state_.set_height(block + 1);
    committed_tx_ids_.insert(tx_id);
    return absl::OkStatus();
  }

 private:
  channelconfig::ChannelConfig config_;
  std::unique_ptr<msp::MspManager> msps_;
  ledger::MemoryState state_;
  std::set<std::string> committed_tx_ids_;
};

}  // namespace careledger::endorser::testing

#endif  // CARELEDGER_PEER_ENDORSER_TESTING_MEMORY_CHANNEL_H_
