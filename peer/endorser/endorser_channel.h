// A channel as the endorser needs it: the current configuration and MSPs, the committed state, and the
// transaction index. The peer's channel object implements it over its ledger; tests implement it over an
// in-memory state.
#ifndef CARELEDGER_PEER_ENDORSER_ENDORSER_CHANNEL_H_
#define CARELEDGER_PEER_ENDORSER_ENDORSER_CHANNEL_H_

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "chaincode/runtime/ledger_access.h"
#include "common/channelconfig/channel_config.h"
#include "msp/msp_manager.h"
#include "peer/ledger/state/state_snapshot.h"

namespace careledger::endorser {

class EndorserChannel {
 public:
  virtual ~EndorserChannel() = default;

  // The channel's current configuration and the MSPs it defines. Valid while this object is.
  virtual const channelconfig::ChannelConfig& config() const = 0;
  virtual const msp::MspManager& msps() const = 0;

  // A consistent view of the committed state now.
  virtual std::shared_ptr<const ledger::StateSnapshot> NewSnapshot() const = 0;

  // Whether a transaction with this ID is already in the channel's blocks (valid or not).
  virtual absl::StatusOr<bool> HasTransaction(std::string_view tx_id) const = 0;

  // Every committed write of `key` in namespace `ns`, newest first.
  virtual absl::StatusOr<std::vector<chaincode::KeyModification>> History(std::string_view ns,
                                                                         std::string_view key) const = 0;
};

// Finds a channel this peer has joined; nullptr if none. Thread-safe.
class ChannelDirectory {
 public:
  virtual ~ChannelDirectory() = default;
  virtual std::shared_ptr<const EndorserChannel> Find(std::string_view channel_id) const = 0;
};

}  // namespace careledger::endorser

#endif  // CARELEDGER_PEER_ENDORSER_ENDORSER_CHANNEL_H_
