// The names of the channel configuration tree (group, value and policy keys) as Fabric spells them, and the
// rules for names that operators choose (channel IDs, organisation group names, policy names).
//
// These strings are part of the wire format: a Fabric node looks values up by exactly these keys.
#ifndef CARELEDGER_COMMON_CHANNELCONFIG_CONFIG_KEYS_H_
#define CARELEDGER_COMMON_CHANNELCONFIG_CONFIG_KEYS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/status.h"

namespace careledger::channelconfig {

// Groups.
inline constexpr char kChannelGroupKey[] = "Channel";
inline constexpr char kOrdererGroupKey[] = "Orderer";
inline constexpr char kApplicationGroupKey[] = "Application";
inline constexpr char kConsortiumsGroupKey[] = "Consortiums";  // system channels only; CareLedger refuses them

// Values of /Channel.
inline constexpr char kHashingAlgorithmKey[] = "HashingAlgorithm";
inline constexpr char kBlockDataHashingStructureKey[] = "BlockDataHashingStructure";
inline constexpr char kOrdererAddressesKey[] = "OrdererAddresses";
inline constexpr char kConsortiumKey[] = "Consortium";
// Values of /Channel, /Channel/Orderer and /Channel/Application.
inline constexpr char kCapabilitiesKey[] = "Capabilities";
// Values of /Channel/Orderer.
inline constexpr char kConsensusTypeKey[] = "ConsensusType";
inline constexpr char kBatchSizeKey[] = "BatchSize";
inline constexpr char kBatchTimeoutKey[] = "BatchTimeout";
inline constexpr char kChannelRestrictionsKey[] = "ChannelRestrictions";
inline constexpr char kOrderersKey[] = "Orderers";          // common.Orderers: consenter -> MSP ID mapping
inline constexpr char kKafkaBrokersKey[] = "KafkaBrokers";  // legacy; accepted and ignored, as Fabric does
// Values of organisation groups.
inline constexpr char kMspKey[] = "MSP";
inline constexpr char kEndpointsKey[] = "Endpoints";      // orderer organisations
inline constexpr char kAnchorPeersKey[] = "AnchorPeers";  // application organisations
// Values of /Channel/Application.
inline constexpr char kAclsKey[] = "ACLs";

// Policies.
inline constexpr char kReadersPolicyKey[] = "Readers";
inline constexpr char kWritersPolicyKey[] = "Writers";
inline constexpr char kAdminsPolicyKey[] = "Admins";
inline constexpr char kBlockValidationPolicyKey[] = "BlockValidation";
inline constexpr char kEndorsementPolicyKey[] = "Endorsement";
inline constexpr char kLifecycleEndorsementPolicyKey[] = "LifecycleEndorsement";

// The mod_policy of the deprecated global orderer addresses, as Fabric's configtxgen writes it.
inline constexpr char kOrdererAdminsPolicyPath[] = "/Channel/Orderer/Admins";

// The only hashing configuration CareLedger (and Fabric 2.x in practice) uses.
inline constexpr char kSha256HashingAlgorithm[] = "SHA256";
inline constexpr uint32_t kBlockDataHashingWidth = 0xFFFFFFFFu;

// The consensus type CareLedger implements.
inline constexpr char kEtcdRaftConsensusType[] = "etcdraft";

// The only MSP type CareLedger implements: X.509 ("FABRIC"), whose config is a FabricMSPConfig.
inline constexpr int32_t kFabricMspType = 0;

// Fabric's bound on channel IDs and config element names.
inline constexpr size_t kMaxNameLength = 249;

// OK if `channel_id` is a valid Fabric channel ID: 1..249 characters matching [a-z][a-z0-9.-]*.
// InvalidArgument saying which rule is broken otherwise.
absl::Status ValidateChannelId(std::string_view channel_id);

// OK if `name` is a valid config element name (group or policy key): 1..249 characters of [a-zA-Z0-9.-],
// and neither "." nor "..". These names become components of policy paths, so '/' can never appear.
// InvalidArgument saying which rule is broken otherwise.
absl::Status ValidateConfigName(std::string_view name);

}  // namespace careledger::channelconfig

#endif  // CARELEDGER_COMMON_CHANNELCONFIG_CONFIG_KEYS_H_
