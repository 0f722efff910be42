// Creating a channel: from a ChannelSpec to the configuration tree (channel_config.h describes it) and to the
// channel's genesis block, as Fabric's configtxgen makes them.
//
//   ChannelSpec spec = ...;                      // organisations, consenters, batch settings, genesis_time
//   ASSIGN_OR_RETURN(::common::Block block, CreateGenesisBlock(spec));
//   ASSIGN_OR_RETURN(ChannelConfig config, ChannelConfig::FromConfigBlock(block));  // always succeeds here
//
// Everything is deterministic: no clock (the timestamp is spec.genesis_time), no randomness (the nonce is
// derived from the content), and protobuf maps serialized in key order (common/protoutil/marshal.h), so the
// same spec gives the same bytes on every machine and every run. All functions are pure and thread-safe.
#ifndef CARELEDGER_COMMON_CHANNELCONFIG_GENESIS_H_
#define CARELEDGER_COMMON_CHANNELCONFIG_GENESIS_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/channelconfig/channel_spec.h"
#include "common/common.pb.h"
#include "common/configtx.pb.h"
#include "common/policies.pb.h"

namespace careledger::channelconfig {

// Encodes one policy as it appears in the config tree: a SIGNATURE policy whose value is the
// SignaturePolicyEnvelope Fabric's policydsl makes of the rule (common/policies/policy_parser.h), or an
// IMPLICIT_META policy whose value is an ImplicitMetaPolicy parsed as Fabric's configtxgen does: exactly two
// tokens separated by one space, "ANY", "ALL" or "MAJORITY" then the sub-policy name.
// InvalidArgument saying what is wrong with the rule.
absl::StatusOr<::common::Policy> EncodePolicy(const PolicySpec& spec);

// Builds the channel configuration tree for `spec` (sequence 0, every version 0), with the defaults
// described in channel_spec.h and channel_config.h.
//
// InvalidArgument, naming the spec field (e.g. "application_orgs[1] (Hospital2): msp_id ..."), when: the
// channel ID is invalid; there is no application organisation, orderer organisation or consenter; an
// organisation's name is not a valid config name or is used twice in its group; an MSP ID is empty, is not
// its msp_config's name, or is used twice in a group; a consenter names an MSP ID that is not an orderer
// organisation's; the batch timeout or tick interval is not positive or exceeds Go's duration range; a
// policy override has an invalid name or rule; a capability or ACL entry is empty. Finally the result is
// parsed with ChannelConfig::FromConfig, and any rule it breaks (batch sizes, Raft options, consenter
// certificates, ports, ...) is reported as "channel spec: <config path>: ...", so that every config this
// returns is one every node accepts.
absl::StatusOr<::common::Config> BuildChannelConfig(const ChannelSpec& spec);

// Wraps `config` into block 0 of channel `channel_id`, as Fabric's genesis blocks are:
//   header   {number 0, previous_hash empty, data_hash = protoutil::BlockDataHash(data)}
//   data     [ Envelope{payload = Payload{
//                header{channel_header = ChannelHeader{type CONFIG, version 0, timestamp, channel_id, tx_id,
//                                                      epoch 0},
//                       signature_header = SignatureHeader{creator empty, nonce}},
//                data = ConfigEnvelope{config}},
//              signature empty} ]
//   metadata [SIGNATURES = Metadata{value = OrdererBlockMetadata{last_config{index 0}}},
//             LAST_CONFIG = Metadata{value = LastConfig{index 0}},
//             TRANSACTIONS_FILTER = one byte per transaction, 0 (VALID),
//             ORDERER = empty, COMMIT_HASH = empty]
// The nonce is the first 24 bytes of SHA-256 over the channel ID, the timestamp and the config envelope
// (Fabric draws it at random; deriving it keeps the block reproducible and the tx ID unique per config), and
// tx_id = protoutil::ComputeTxId(nonce, empty creator).
//
// InvalidArgument if the channel ID is invalid, config.sequence() is not 0, `timestamp` is outside the range
// a protobuf Timestamp can hold (years 1..9999), or the block would exceed 2 GiB. The configuration tree
// itself is NOT checked here: build it with BuildChannelConfig, or check it with ChannelConfig::FromConfig.
absl::StatusOr<::common::Block> GenesisBlockFromConfig(const ::common::Config& config, std::string_view channel_id,
                                                       absl::Time timestamp);

// BuildChannelConfig(spec), then GenesisBlockFromConfig(config, spec.channel_id, spec.genesis_time).
absl::StatusOr<::common::Block> CreateGenesisBlock(const ChannelSpec& spec);

}  // namespace careledger::channelconfig

#endif  // CARELEDGER_COMMON_CHANNELCONFIG_GENESIS_H_
