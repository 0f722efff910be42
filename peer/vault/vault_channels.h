// What the vault needs of the channels its peer holds: a channel's MSPs, to judge who signed a request, and its
// ledger, read only, for the committed transactions and state that prove access. The peer server implements
// it over its joined channels; tests over a ledger and an MSP manager of their own.
#ifndef CARELEDGER_PEER_VAULT_VAULT_CHANNELS_H_
#define CARELEDGER_PEER_VAULT_VAULT_CHANNELS_H_

#include <memory>
#include <optional>
#include <string_view>

#include "msp/msp_manager.h"
#include "peer/ledger/ledger.h"

namespace careledger::vault {

// One channel. `msps` and `ledger` stay valid while `keep_alive` is held.
struct VaultChannel {
  std::shared_ptr<const void> keep_alive;
  const msp::MspManager* msps = nullptr;
  const ledger::Ledger* ledger = nullptr;
};

class VaultChannels {
 public:
  virtual ~VaultChannels() = default;
  // The channel with this ID, or nullopt if the peer has not joined it. Thread-safe.
  virtual std::optional<VaultChannel> Find(std::string_view channel_id) const = 0;
};

}  // namespace careledger::vault

#endif  // CARELEDGER_PEER_VAULT_VAULT_CHANNELS_H_
