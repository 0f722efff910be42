// A channel's configuration, parsed and checked: the tree Fabric keeps in CONFIG blocks (a
// common.ConfigEnvelope whose config.channel_group is the root below), read into typed fields, with every
// policy compiled and addressable by path (policy_manager.h).
//
// The tree (as Fabric's configtxgen writes it for an application channel; CareLedger writes exactly this,
// see genesis.h). Every group, value and policy has version 0 in a genesis block and mod_policy "Admins"
// (relative: the Admins policy of the group that holds it), except OrdererAddresses, whose mod_policy is
// "/Channel/Orderer/Admins" as in Fabric.
//
//   /Channel                                   group
//     values   HashingAlgorithm                common.HashingAlgorithm{name "SHA256"}               required
//              BlockDataHashingStructure       common.BlockDataHashingStructure{width 4294967295}   required
//              OrdererAddresses                common.OrdererAddresses (deprecated global list)      optional
//              Capabilities                    common.Capabilities, e.g. {"V2_0"}                    optional
//              Consortium                      common.Consortium (channels made the pre-2.3 way)     ignored
//     policies Readers  = ImplicitMeta ANY Readers        Writers = ImplicitMeta ANY Writers
//              Admins   = ImplicitMeta MAJORITY Admins                                        all required
//     /Channel/Orderer                         group, required
//       values ConsensusType                   orderer.ConsensusType{type "etcdraft", state, metadata =
//                                                etcdraft.ConfigMetadata{consenters{host, port,
//                                                client_tls_cert, server_tls_cert (PEM)}, options}}  required
//              BatchSize                       orderer.BatchSize                                     required
//              BatchTimeout                    orderer.BatchTimeout{timeout "2s" (Go duration)}       required
//              ChannelRestrictions             orderer.ChannelRestrictions{max_count 0}              optional
//              Capabilities                    common.Capabilities                                   optional
//              Orderers                        common.Orderers: consenter i -> {id, msp_id} (the same
//                                                host, port and certificates as etcdraft consenter i)  optional
//              KafkaBrokers                    legacy (chains migrated from Kafka)                   ignored
//       policies Readers/Writers = ANY Readers/Writers, Admins = MAJORITY Admins,
//                BlockValidation = ANY Writers (an orderer of any orderer org signs blocks)   all required
//       /Channel/Orderer/<org>                 one group per orderer organisation, at least one
//         values   MSP        msp.MSPConfig{type 0, config = msp.FabricMSPConfig bytes}            required
//                  Endpoints  common.OrdererAddresses{"host:port", ...}                            optional
//         policies Readers = Writers = OR('<msp>.member'), Admins = OR('<msp>.admin')       R/W/A required
//     /Channel/Application                     group, required
//       values Capabilities                    common.Capabilities                                   optional
//              ACLs                            protos.ACLs: resource -> policy path                  optional
//       policies Readers/Writers = ANY Readers/Writers, Admins = MAJORITY Admins             R/W/A required
//                Endorsement = LifecycleEndorsement = MAJORITY Endorsement                   optional
//       /Channel/Application/<org>             one group per application organisation, at least one
//         values   MSP          msp.MSPConfig as above                                           required
//                  AnchorPeers  protos.AnchorPeers{host, port}                                   optional
//         policies Readers = OR(admin, peer, client), Writers = OR(admin, client), Admins = OR(admin),
//                  Endorsement = OR(peer)                                                    R/W/A required
//
// Any other group or value key is refused (Fabric refuses unknown keys too), as is a system channel
// (/Channel/Consortiums). Organisation groups have no sub-groups.
//
// Checks beyond the structure (all InvalidArgument naming the path, e.g.
// "/Channel/Orderer/BatchSize: max_message_count must be at least 1"):
//  - HashingAlgorithm is "SHA256" and BlockDataHashingStructure.width is 4294967295 (the only combination
//    CareLedger's block hashes implement);
//  - BatchSize: max_message_count, absolute_max_bytes and preferred_max_bytes are at least 1 and
//    preferred_max_bytes <= absolute_max_bytes; BatchTimeout parses as a Go duration and is positive;
//  - ConsensusType is "etcdraft" in state NORMAL or MAINTENANCE; its metadata has options and at least one
//    consenter; options as Fabric's etcdraft checks them (tick_interval a positive Go duration, heartbeat_tick
//    and max_inflight_blocks at least 1, election_tick greater than heartbeat_tick); each consenter has a
//    host, a port in 1..65535 and client and server TLS certificates that parse (PEM, ECDSA P-256); no two
//    consenters share a host:port or a certificate;
//  - Orderers, when present, lists the consenters in the same order and names orderer organisations' MSP IDs;
//  - each organisation's MSP is of type 0 (X.509) and its FabricMSPConfig has a name: the organisation's MSP
//    ID. MSP IDs are unique among application organisations and among orderer organisations; an organisation
//    in both groups (Fabric allows it) must carry the same MSP definition in both;
//  - anchor peers have a host and a port in 1..65535; endpoints and ACL policy references are non-empty;
//  - group and policy keys are valid config names (config_keys.h) and every policy compiles.
// The MSP definitions themselves (certificates, CRLs, NodeOUs) are the membership service's to judge: build
// the channel's msp::MspManager from MspConfigs() and treat its errors as errors of this config.
//
// Thread-safety: immutable after construction; all methods are const and thread-safe. Copies are cheap
// enough for a config that changes rarely (they share the compiled policies).
#ifndef CARELEDGER_COMMON_CHANNELCONFIG_CHANNEL_CONFIG_H_
#define CARELEDGER_COMMON_CHANNELCONFIG_CHANNEL_CONFIG_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/channelconfig/channel_spec.h"
#include "common/channelconfig/policy_manager.h"
#include "common/common.pb.h"
#include "common/configtx.pb.h"
#include "msp/msp_config.pb.h"

namespace careledger::channelconfig {

// An application organisation, /Channel/Application/<name>.
struct ApplicationOrg {
  std::string name;    // the group key
  std::string msp_id;  // msp_config.name()
  ::msp::FabricMSPConfig msp_config;
  std::vector<AnchorPeer> anchor_peers;
};

// An orderer organisation, /Channel/Orderer/<name>.
struct OrdererOrg {
  std::string name;
  std::string msp_id;
  ::msp::FabricMSPConfig msp_config;
  std::vector<std::string> endpoints;
};

// A Raft consenter, in the order of the etcdraft metadata.
struct Consenter {
  // From the Orderers value: Fabric's consenter ID and the consenter's orderer organisation. Without an
  // Orderers value (configs made by Fabric's configtxgen for Raft) id is the 1-based position and msp_id is
  // empty. Raft node IDs themselves are the orderer's business (Fabric tracks them in block metadata and
  // numbers the genesis consenters 1..n in this same order).
  uint32_t id = 0;
  std::string msp_id;
  std::string host;
  uint32_t port = 0;
  std::string client_tls_cert_pem;
  std::string server_tls_cert_pem;
};

enum class ConsensusState { kNormal, kMaintenance };

class ChannelConfig {
 public:
  // Parses and checks `config` (see the header comment) for the channel `channel_id`, which a Config does
  // not carry itself (it comes from the envelope's channel header). InvalidArgument naming the config path,
  // or "channel ID ..." for an invalid channel ID. Keeps `config` (config()).
  static absl::StatusOr<ChannelConfig> FromConfig(::common::Config config, std::string_view channel_id);

  // Parses the configuration carried by `block`: block 0 (a genesis block) or any later CONFIG block.
  // Checks, with InvalidArgument naming the block number and the layer: the block has a header and exactly
  // one data entry; the header's data_hash matches the data (common/protoutil/block_hash.h); the entry is a
  // common.Envelope with a payload, a header and a channel header of type CONFIG naming a valid channel ID;
  // the payload data is a ConfigEnvelope with a config and a channel group; then FromConfig. Block 0 may have
  // an empty signature header (or one without a creator) and no envelope signature, as Fabric's configtxgen
  // writes genesis blocks; a later config block must carry a creator and a signature (verifying that
  // signature is the block validator's job: it needs the MSPs). Block signatures are not checked here.
  static absl::StatusOr<ChannelConfig> FromConfigBlock(const ::common::Block& block);

  // The configuration a chain of `height` blocks is under: that of the config block its last block's
  // last-config index names (block 0 when the last block carries none, as genesis blocks from Fabric's
  // configtxgen do). `get_block` reads a block of the chain. FailedPrecondition for an empty chain; the
  // reader's errors; FromConfigBlock's errors.
  using BlockReader = std::function<absl::StatusOr<::common::Block>(uint64_t)>;
  static absl::StatusOr<ChannelConfig> OfChain(uint64_t height, const BlockReader& get_block);

  const std::string& channel_id() const { return channel_id_; }
  uint64_t sequence() const { return config_.sequence(); }
  // The configuration as parsed; a config update is computed and checked against it.
  const ::common::Config& config() const { return config_; }

  // Organisations, sorted by group name.
  const std::vector<ApplicationOrg>& application_orgs() const { return application_orgs_; }
  const std::vector<OrdererOrg>& orderer_orgs() const { return orderer_orgs_; }
  // The organisation with this MSP ID, or nullptr.
  const ApplicationOrg* FindApplicationOrg(std::string_view msp_id) const;
  const OrdererOrg* FindOrdererOrg(std::string_view msp_id) const;

  // The distinct MSP definitions of the channel (application and orderer organisations; one entry for an
  // organisation present in both), sorted by MSP ID: what the channel's msp::MspManager is built from.
  std::vector<::msp::FabricMSPConfig> MspConfigs() const;

  // The deprecated global orderer address list (/Channel/OrdererAddresses); empty when absent.
  const std::vector<std::string>& orderer_addresses() const { return orderer_addresses_; }

  const BatchSettings& batch() const { return batch_; }
  // The channel restriction's max_count (0: unrestricted), kept for fidelity.
  uint64_t max_channels() const { return max_channels_; }

  const std::string& consensus_type() const { return consensus_type_; }  // always "etcdraft"
  ConsensusState consensus_state() const { return consensus_state_; }
  const std::vector<Consenter>& consenters() const { return consenters_; }
  const RaftOptions& raft_options() const { return raft_options_; }

  // Capability names per level, sorted. A level without a Capabilities value has none.
  const Capabilities& capabilities() const { return capabilities_; }
  // OK if this node implements every capability the channel requires: V2_0 and the 1.x capabilities it
  // subsumes. FailedPrecondition naming the first unsupported one (e.g. "application capability V2_5 is not
  // supported"): a node must not process a channel whose rules it does not know. Not checked by the
  // parsers, so that tools can still read such a channel.
  absl::Status CheckCapabilitiesSupported() const;

  // /Channel/Application/ACLs: resource -> policy reference; empty when absent.
  const std::map<std::string, std::string>& acls() const { return acls_; }

  const PolicyManager& policy_manager() const { return policy_manager_; }

 private:
  ChannelConfig() = default;
  friend class ChannelConfigParser;

  std::string channel_id_;
  ::common::Config config_;
  std::vector<ApplicationOrg> application_orgs_;
  std::vector<OrdererOrg> orderer_orgs_;
  std::vector<std::string> orderer_addresses_;
  BatchSettings batch_;
  uint64_t max_channels_ = 0;
  std::string consensus_type_;
  ConsensusState consensus_state_ = ConsensusState::kNormal;
  std::vector<Consenter> consenters_;
  RaftOptions raft_options_;
  Capabilities capabilities_;
  std::map<std::string, std::string> acls_;
  PolicyManager policy_manager_;
};

}  // namespace careledger::channelconfig

#endif  // CARELEDGER_COMMON_CHANNELCONFIG_CHANNEL_CONFIG_H_
