// The set of MSPs a channel trusts, as one IdentityDeserializer: the entry point through which orderers and
// peers turn the `creator` and `endorser` bytes of envelopes, proposals and blocks into validated identities.
#ifndef CARELEDGER_MSP_MSP_MANAGER_H_
#define CARELEDGER_MSP_MSP_MANAGER_H_

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/policies/policy.h"
#include "msp/msp.h"
#include "msp/msp_config.pb.h"

namespace careledger::msp {

// A certificate PEM is 1-2 KiB; anything this large is hostile.
inline constexpr size_t kMaxSerializedIdentityBytes = 64 * 1024;

class MspManager final : public policies::IdentityDeserializer {
 public:
  // InvalidArgument if two MSPs share an MSP ID. `cache_capacity` bounds the validated-identity cache.
  static absl::StatusOr<std::unique_ptr<MspManager>> Create(std::vector<std::shared_ptr<const Msp>> msps,
                                                           size_t cache_capacity = 8192);

  // The MSPs a channel configuration defines (ChannelConfig::MspConfigs()), each built with Msp::Create: the
  // manager an orderer or peer uses for a channel. The first MSP that cannot be built fails it, named.
  static absl::StatusOr<std::unique_ptr<MspManager>> FromDefinitions(
      const std::vector<::msp::FabricMSPConfig>& definitions);

  // Parses msp.SerializedIdentity bytes and validates the identity with the MSP it names (see
  // Msp::DeserializeIdentity). InvalidArgument for malformed bytes or more than kMaxSerializedIdentityBytes,
  // NotFound for an MSP this channel does not know. Validation does not depend on time, so results are
  // cached by the serialized bytes: the same creator signing thousands of transactions is validated once.
  // Thread-safe.
  absl::StatusOr<std::shared_ptr<const policies::Identity>> DeserializeIdentity(
      std::string_view serialized) const override;

  // The same, typed as an msp::Identity (roles, attributes, expiry).
  absl::StatusOr<std::shared_ptr<const Identity>> Deserialize(std::string_view serialized) const;

  // The MSP with this ID, or nullptr.
  const Msp* Find(std::string_view msp_id) const;
  std::vector<std::string> MspIds() const;

 private:
  explicit MspManager(size_t cache_capacity) : cache_capacity_(cache_capacity) {}

  absl::flat_hash_map<std::string, std::shared_ptr<const Msp>> msps_;
  const size_t cache_capacity_;
  mutable std::mutex cache_mu_;
  mutable absl::flat_hash_map<std::string, std::shared_ptr<const Identity>> cache_;  // guarded by cache_mu_
  mutable std::deque<std::string> cache_order_;  // insertion order for eviction; guarded by cache_mu_
};

}  // namespace careledger::msp

#endif  // CARELEDGER_MSP_MSP_MANAGER_H_
