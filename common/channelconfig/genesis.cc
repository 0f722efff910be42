#include "common/channelconfig/genesis.h"

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/channelconfig/channel_config.h"
#include "common/channelconfig/config_keys.h"
#include "common/channelconfig/go_duration.h"
#include "common/channelconfig/internal.h"
#include "common/configuration.pb.h"
#include "common/crypto/sha256.h"
#include "common/policies/policy_parser.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/marshal.h"
#include "common/protoutil/txid.h"
#include "common/status_macros.h"
#include "google/protobuf/timestamp.pb.h"
#include "msp/identities.pb.h"
#include "msp/msp_config.pb.h"
#include "orderer/configuration.pb.h"
#include "orderer/etcdraft/configuration.pb.h"
#include "peer/configuration.pb.h"

namespace careledger::channelconfig {
namespace {

using internal::Quote;

// The range of google.protobuf.Timestamp: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;

absl::Status Invalid(std::string_view where, std::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(AsAbsl(where), ": ", AsAbsl(message)));
}

// Adds `message` as value `key` of `group`.
absl::Status AddValue(::common::ConfigGroup& group, std::string_view key, const google::protobuf::MessageLite& message,
                      std::string_view mod_policy = kAdminsPolicyKey) {
  ASSIGN_OR_RETURN(std::string bytes, protoutil::Marshal(message, key));
  ::common::ConfigValue& value = (*group.mutable_values())[std::string(key)];
  value.set_value(std::move(bytes));
  value.set_mod_policy(std::string(mod_policy));
  return absl::OkStatus();
}

// Adds `defaults` overridden by `overrides` as the policies of `group`; `where` names the spec field.
absl::Status AddPolicies(::common::ConfigGroup& group, const PolicyOverrides& defaults,
                         const PolicyOverrides& overrides, std::string_view where) {
  PolicyOverrides merged = defaults;
  for (const auto& [name, spec] : overrides) merged.insert_or_assign(name, spec);
  for (const auto& [name, spec] : merged) {
    const std::string label = absl::StrCat(AsAbsl(where), ": policy ", Quote(name));
    if (absl::Status valid = ValidateConfigName(name); !valid.ok()) return Invalid(label, AsStd(valid.message()));
    absl::StatusOr<::common::Policy> policy = EncodePolicy(spec);
    if (!policy.ok()) return Invalid(label, AsStd(policy.status().message()));
    ::common::ConfigPolicy& config_policy = (*group.mutable_policies())[name];
    *config_policy.mutable_policy() = *std::move(policy);
    config_policy.set_mod_policy(kAdminsPolicyKey);
  }
  return absl::OkStatus();
}

absl::Status AddCapabilities(::common::ConfigGroup& group, const std::vector<std::string>& names,
                             std::string_view where) {
  if (names.empty()) return absl::OkStatus();  // as configtxgen: no value rather than an empty one
  ::common::Capabilities capabilities;
  for (const std::string& name : names) {
    if (name.empty()) return Invalid(where, "empty capability name");
    (*capabilities.mutable_capabilities())[name];
  }
  return AddValue(group, kCapabilitiesKey, capabilities);
}

// The MSP value of an organisation group: msp.MSPConfig{type 0, config = FabricMSPConfig bytes}.
absl::Status AddMsp(::common::ConfigGroup& group, const ::msp::FabricMSPConfig& config) {
  ::msp::MSPConfig value;
  value.set_type(kFabricMspType);
  ASSIGN_OR_RETURN(*value.mutable_config(), protoutil::Marshal(config, "FabricMSPConfig"));
  return AddValue(group, kMspKey, value);
}

std::string Role(std::string_view msp_id, std::string_view role) {
  return absl::StrCat("'", AsAbsl(msp_id), ".", AsAbsl(role), "'");
}

PolicyOverrides ApplicationOrgDefaults(std::string_view msp_id) {
  return {
      {kReadersPolicyKey, PolicySpec::Signature(absl::StrCat("OR(", Role(msp_id, "admin"), ", ", Role(msp_id, "peer"),
                                                             ", ", Role(msp_id, "client"), ")"))},
      {kWritersPolicyKey,
       PolicySpec::Signature(absl::StrCat("OR(", Role(msp_id, "admin"), ", ", Role(msp_id, "client"), ")"))},
      {kAdminsPolicyKey, PolicySpec::Signature(absl::StrCat("OR(", Role(msp_id, "admin"), ")"))},
      {kEndorsementPolicyKey, PolicySpec::Signature(absl::StrCat("OR(", Role(msp_id, "peer"), ")"))},
  };
}

PolicyOverrides OrdererOrgDefaults(std::string_view msp_id) {
  return {
      {kReadersPolicyKey, PolicySpec::Signature(absl::StrCat("OR(", Role(msp_id, "member"), ")"))},
      {kWritersPolicyKey, PolicySpec::Signature(absl::StrCat("OR(", Role(msp_id, "member"), ")"))},
      {kAdminsPolicyKey, PolicySpec::Signature(absl::StrCat("OR(", Role(msp_id, "admin"), ")"))},
  };
}

PolicyOverrides GroupDefaults() {
  return {
      {kReadersPolicyKey, PolicySpec::ImplicitMeta("ANY Readers")},
      {kWritersPolicyKey, PolicySpec::ImplicitMeta("ANY Writers")},
      {kAdminsPolicyKey, PolicySpec::ImplicitMeta("MAJORITY Admins")},
  };
}

PolicyOverrides OrdererDefaults() {
  PolicyOverrides defaults = GroupDefaults();
  defaults.emplace(kBlockValidationPolicyKey, PolicySpec::ImplicitMeta("ANY Writers"));
  return defaults;
}

PolicyOverrides ApplicationDefaults() {
  PolicyOverrides defaults = GroupDefaults();
  defaults.emplace(kEndorsementPolicyKey, PolicySpec::ImplicitMeta("MAJORITY Endorsement"));
  defaults.emplace(kLifecycleEndorsementPolicyKey, PolicySpec::ImplicitMeta("MAJORITY Endorsement"));
  return defaults;
}

// The names and MSP IDs already used in one group of organisations.
struct UsedNames {
  std::set<std::string> names;
  std::set<std::string> msp_ids;
};

// Checks organisation `list`[`index`] of the spec (an ApplicationOrgSpec or OrdererOrgSpec) and adds its group
// to `parent` with what every organisation has: policies (`defaults` overridden by the spec's) and the MSP.
// Returns the group for the organisation's own values.
template <typename OrgSpec>
absl::StatusOr<::common::ConfigGroup*> AddOrgGroup(::common::ConfigGroup& parent, std::string_view list, size_t index,
                                                   const OrgSpec& org, const PolicyOverrides& defaults,
                                                   UsedNames& used) {
  const std::string where = absl::StrCat(AsAbsl(list), "[", index, "] (", Quote(org.name), ")");
  if (absl::Status valid = ValidateConfigName(org.name); !valid.ok()) {
    return Invalid(where, absl::StrCat("organisation ", valid.message()));
  }
  if (!used.names.insert(org.name).second) {
    return Invalid(where, "another organisation of this group has the same name");
  }
  if (org.msp_id.empty()) return Invalid(where, "msp_id is empty");
  if (org.msp_config.name() != org.msp_id) {
    return Invalid(where, absl::StrCat("msp_id ", Quote(org.msp_id), " does not match msp_config.name ",
                                       Quote(org.msp_config.name())));
  }
  if (!used.msp_ids.insert(org.msp_id).second) {
    return Invalid(where, absl::StrCat("MSP ID ", Quote(org.msp_id), " is used by another organisation of this group"));
  }
  ::common::ConfigGroup& group = (*parent.mutable_groups())[org.name];
  group.set_mod_policy(kAdminsPolicyKey);
  RETURN_IF_ERROR(AddPolicies(group, defaults, org.policies, where));
  RETURN_IF_ERROR(AddMsp(group, org.msp_config));
  return &group;
}

// A duration that must be positive and fit Go's int64 nanoseconds, as the config stores Go text.
absl::StatusOr<std::string> GoDurationText(absl::Duration duration, std::string_view where) {
  if (duration <= absl::ZeroDuration()) return Invalid(where, "must be positive");
  if (duration > absl::Nanoseconds(std::numeric_limits<int64_t>::max())) {
    return Invalid(where, "exceeds the largest Go duration (about 292 years)");
  }
  return FormatGoDuration(duration);
}

absl::StatusOr<::common::ConfigGroup> BuildOrdererGroup(const ChannelSpec& spec) {
  ::common::ConfigGroup group;
  group.set_mod_policy(kAdminsPolicyKey);
  RETURN_IF_ERROR(AddPolicies(group, OrdererDefaults(), spec.policies.orderer, "policies.orderer"));

  ::orderer::BatchSize batch_size;
  batch_size.set_max_message_count(spec.batch.max_message_count);
  batch_size.set_absolute_max_bytes(spec.batch.absolute_max_bytes);
  batch_size.set_preferred_max_bytes(spec.batch.preferred_max_bytes);
  RETURN_IF_ERROR(AddValue(group, kBatchSizeKey, batch_size));
  ::orderer::BatchTimeout batch_timeout;
  ASSIGN_OR_RETURN(*batch_timeout.mutable_timeout(), GoDurationText(spec.batch.timeout, "batch.timeout"));
  RETURN_IF_ERROR(AddValue(group, kBatchTimeoutKey, batch_timeout));
  RETURN_IF_ERROR(AddValue(group, kChannelRestrictionsKey, ::orderer::ChannelRestrictions()));
  RETURN_IF_ERROR(AddCapabilities(group, spec.capabilities.orderer, "capabilities.orderer"));

  UsedNames used;
  for (size_t i = 0; i < spec.orderer_orgs.size(); ++i) {
    const OrdererOrgSpec& org = spec.orderer_orgs[i];
    ASSIGN_OR_RETURN(::common::ConfigGroup * org_group,
                     AddOrgGroup(group, "orderer_orgs", i, org, OrdererOrgDefaults(org.msp_id), used));
    if (!org.endpoints.empty()) {
      ::common::OrdererAddresses endpoints;
      for (const std::string& endpoint : org.endpoints) endpoints.add_addresses(endpoint);
      RETURN_IF_ERROR(AddValue(*org_group, kEndpointsKey, endpoints));
    }
  }

  ::etcdraft::ConfigMetadata metadata;
  ::common::Orderers orderers;
  for (size_t i = 0; i < spec.consenters.size(); ++i) {
    const ConsenterSpec& consenter = spec.consenters[i];
    if (!used.msp_ids.contains(consenter.msp_id)) {
      return Invalid(
          absl::StrCat("consenters[", i, "] (", Quote(absl::StrCat(consenter.host, ":", consenter.port)), ")"),
          absl::StrCat("msp_id ", Quote(consenter.msp_id), " is not an orderer organisation's"));
    }
    ::etcdraft::Consenter* raft = metadata.add_consenters();
    raft->set_host(consenter.host);
    raft->set_port(consenter.port);
    raft->set_client_tls_cert(consenter.client_tls_cert_pem);
    raft->set_server_tls_cert(consenter.server_tls_cert_pem);
    ::common::Consenter* mapping = orderers.add_consenter_mapping();
    mapping->set_id(static_cast<uint32_t>(i + 1));
    mapping->set_host(consenter.host);
    mapping->set_port(consenter.port);
    mapping->set_msp_id(consenter.msp_id);
    mapping->set_client_tls_cert(consenter.client_tls_cert_pem);
    mapping->set_server_tls_cert(consenter.server_tls_cert_pem);
  }
  ::etcdraft::Options& options = *metadata.mutable_options();
  ASSIGN_OR_RETURN(*options.mutable_tick_interval(), GoDurationText(spec.raft.tick_interval, "raft.tick_interval"));
  options.set_election_tick(spec.raft.election_tick);
  options.set_heartbeat_tick(spec.raft.heartbeat_tick);
  options.set_max_inflight_blocks(spec.raft.max_inflight_blocks);
  options.set_snapshot_interval_size(spec.raft.snapshot_interval_size);

  ::orderer::ConsensusType consensus;
  consensus.set_type(kEtcdRaftConsensusType);
  ASSIGN_OR_RETURN(*consensus.mutable_metadata(), protoutil::Marshal(metadata, "etcdraft metadata"));
  consensus.set_state(::orderer::ConsensusType::STATE_NORMAL);
  RETURN_IF_ERROR(AddValue(group, kConsensusTypeKey, consensus));
  RETURN_IF_ERROR(AddValue(group, kOrderersKey, orderers));
  return group;
}

absl::StatusOr<::common::ConfigGroup> BuildApplicationGroup(const ChannelSpec& spec) {
  ::common::ConfigGroup group;
  group.set_mod_policy(kAdminsPolicyKey);
  RETURN_IF_ERROR(AddPolicies(group, ApplicationDefaults(), spec.policies.application, "policies.application"));
  RETURN_IF_ERROR(AddCapabilities(group, spec.capabilities.application, "capabilities.application"));
  if (!spec.acls.empty()) {
    ::protos::ACLs acls;
    for (const auto& [resource, policy] : spec.acls) {
      if (resource.empty() || policy.empty()) {
        return Invalid(absl::StrCat("acls[", Quote(resource), "]"), "resource and policy must not be empty");
      }
      (*acls.mutable_acls())[resource].set_policy_ref(policy);
    }
    RETURN_IF_ERROR(AddValue(group, kAclsKey, acls));
  }

  UsedNames used;
  for (size_t i = 0; i < spec.application_orgs.size(); ++i) {
    const ApplicationOrgSpec& org = spec.application_orgs[i];
    ASSIGN_OR_RETURN(::common::ConfigGroup * org_group,
                     AddOrgGroup(group, "application_orgs", i, org, ApplicationOrgDefaults(org.msp_id), used));
    if (!org.anchor_peers.empty()) {  // as configtxgen: no value rather than an empty one
      ::protos::AnchorPeers anchors;
      for (const AnchorPeer& anchor : org.anchor_peers) {
        ::protos::AnchorPeer* added = anchors.add_anchor_peers();
        added->set_host(anchor.host);
        added->set_port(anchor.port);
      }
      RETURN_IF_ERROR(AddValue(*org_group, kAnchorPeersKey, anchors));
    }
  }
  return group;
}

absl::StatusOr<google::protobuf::Timestamp> ToTimestamp(absl::Time time) {
  if (time < absl::FromUnixSeconds(kMinTimestampSeconds) || time >= absl::FromUnixSeconds(kMaxTimestampSeconds + 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("timestamp ", absl::FormatTime(time, absl::UTCTimeZone()), " is outside years 1..9999"));
  }
  const int64_t seconds = absl::ToUnixSeconds(time);  // rounds toward the past, so nanos is never negative
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return timestamp;
}

}  // namespace

// The id_bytes of PolicySpec::Nobody's principal: text, not a certificate, so that no identity is ever it.
constexpr char kNobodyIdBytes[] = "no identity: nobody satisfies this policy";

absl::StatusOr<::common::Policy> EncodePolicy(const PolicySpec& spec) {
  ::common::Policy policy;
  switch (spec.type) {
    case PolicySpec::Type::kSignature: {
      ASSIGN_OR_RETURN(::common::SignaturePolicyEnvelope envelope, policies::ParseSignaturePolicy(spec.rule));
      policy.set_type(::common::Policy::SIGNATURE);
      ASSIGN_OR_RETURN(*policy.mutable_value(), protoutil::Marshal(envelope, "signature policy"));
      return policy;
    }
    case PolicySpec::Type::kImplicitMeta: {
      const size_t space = spec.rule.find(' ');
      if (space == std::string::npos || spec.rule.find(' ', space + 1) != std::string::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("implicit meta rule ", Quote(spec.rule), " must be two tokens separated by one space"));
      }
      const std::string_view rule = std::string_view(spec.rule).substr(0, space);
      const std::string_view sub_policy = std::string_view(spec.rule).substr(space + 1);
      ::common::ImplicitMetaPolicy meta;
      if (rule == "ANY") {
        meta.set_rule(::common::ImplicitMetaPolicy::ANY);
      } else if (rule == "ALL") {
        meta.set_rule(::common::ImplicitMetaPolicy::ALL);
      } else if (rule == "MAJORITY") {
        meta.set_rule(::common::ImplicitMetaPolicy::MAJORITY);
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown implicit meta rule ", Quote(rule), ", expected ANY, ALL or MAJORITY"));
      }
      if (sub_policy.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("implicit meta rule ", Quote(spec.rule), " has no sub-policy"));
      }
      meta.set_sub_policy(std::string(sub_policy));
      policy.set_type(::common::Policy::IMPLICIT_META);
      ASSIGN_OR_RETURN(*policy.mutable_value(), protoutil::Marshal(meta, "implicit meta policy"));
      return policy;
    }
    case PolicySpec::Type::kNobody: {
      ::msp::SerializedIdentity nobody;
      nobody.set_mspid(spec.rule);
      nobody.set_id_bytes(kNobodyIdBytes);
      ::common::SignaturePolicyEnvelope envelope;
      ::common::MSPPrincipal* principal = envelope.add_identities();
      principal->set_principal_classification(::common::MSPPrincipal::IDENTITY);
      ASSIGN_OR_RETURN(*principal->mutable_principal(), protoutil::Marshal(nobody, "serialized identity"));
      ::common::SignaturePolicy::NOutOf* gate = envelope.mutable_rule()->mutable_n_out_of();
      gate->set_n(1);
      gate->add_rules()->set_signed_by(0);
      policy.set_type(::common::Policy::SIGNATURE);
      ASSIGN_OR_RETURN(*policy.mutable_value(), protoutil::Marshal(envelope, "signature policy"));
      return policy;
    }
  }
  return absl::InvalidArgumentError("unknown policy type");
}

absl::StatusOr<::common::Config> BuildChannelConfig(const ChannelSpec& spec) {
  if (absl::Status valid = ValidateChannelId(spec.channel_id); !valid.ok()) {
    return Invalid("channel_id", AsStd(valid.message()));
  }
  if (spec.application_orgs.empty()) return absl::InvalidArgumentError("application_orgs: at least one is required");
  if (spec.orderer_orgs.empty()) return absl::InvalidArgumentError("orderer_orgs: at least one is required");
  if (spec.consenters.empty()) return absl::InvalidArgumentError("consenters: at least one is required");

  ::common::Config config;
  config.set_sequence(0);
  ::common::ConfigGroup& root = *config.mutable_channel_group();
  root.set_mod_policy(kAdminsPolicyKey);
  RETURN_IF_ERROR(AddPolicies(root, GroupDefaults(), spec.policies.channel, "policies.channel"));

  ::common::HashingAlgorithm hashing;
  hashing.set_name(kSha256HashingAlgorithm);
  RETURN_IF_ERROR(AddValue(root, kHashingAlgorithmKey, hashing));
  ::common::BlockDataHashingStructure structure;
  structure.set_width(kBlockDataHashingWidth);
  RETURN_IF_ERROR(AddValue(root, kBlockDataHashingStructureKey, structure));
  // The deprecated global list, kept for older clients: every orderer organisation's endpoints, once each.
  ::common::OrdererAddresses addresses;
  std::set<std::string> seen;
  for (const OrdererOrgSpec& org : spec.orderer_orgs) {
    for (const std::string& endpoint : org.endpoints) {
      if (seen.insert(endpoint).second) addresses.add_addresses(endpoint);
    }
  }
  if (addresses.addresses_size() > 0) {
    RETURN_IF_ERROR(AddValue(root, kOrdererAddressesKey, addresses, kOrdererAdminsPolicyPath));
  }
  RETURN_IF_ERROR(AddCapabilities(root, spec.capabilities.channel, "capabilities.channel"));

  ASSIGN_OR_RETURN((*root.mutable_groups())[kOrdererGroupKey], BuildOrdererGroup(spec));
  ASSIGN_OR_RETURN((*root.mutable_groups())[kApplicationGroupKey], BuildApplicationGroup(spec));

  if (absl::StatusOr<ChannelConfig> parsed = ChannelConfig::FromConfig(config, spec.channel_id); !parsed.ok()) {
    return Invalid("channel spec", AsStd(parsed.status().message()));
  }
  return config;
}

absl::StatusOr<::common::Block> GenesisBlockFromConfig(const ::common::Config& config, std::string_view channel_id,
                                                       absl::Time timestamp) {
  RETURN_IF_ERROR(ValidateChannelId(channel_id));
  if (config.sequence() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("a genesis block's config must have sequence 0, not ", config.sequence()));
  }
  ASSIGN_OR_RETURN(google::protobuf::Timestamp header_time, ToTimestamp(timestamp));

  ::common::ConfigEnvelope config_envelope;
  *config_envelope.mutable_config() = config;
  ASSIGN_OR_RETURN(std::string config_envelope_bytes, protoutil::Marshal(config_envelope, "config envelope"));
  ASSIGN_OR_RETURN(std::string timestamp_bytes, protoutil::Marshal(header_time, "timestamp"));

  // Length-prefixed so that no two (channel, time, config) triples hash the same input.
  const std::string nonce_input =
      absl::StrCat("careledger genesis nonce|", channel_id.size(), "|", AsAbsl(channel_id), "|", timestamp_bytes.size(),
                   "|", timestamp_bytes, "|", config_envelope_bytes);
  const std::string nonce = crypto::Sha256Bytes(nonce_input).substr(0, protoutil::kNonceSize);
  const std::string tx_id = protoutil::ComputeTxId(nonce, "");

  const ::common::ChannelHeader channel_header =
      protoutil::MakeChannelHeader(::common::CONFIG, channel_id, tx_id, header_time, /*epoch=*/0, /*extension=*/"");
  const ::common::SignatureHeader signature_header = protoutil::MakeSignatureHeader(/*creator=*/"", nonce);
  ::common::Payload payload;
  ASSIGN_OR_RETURN(*payload.mutable_header(), protoutil::MakePayloadHeader(channel_header, signature_header));
  payload.set_data(std::move(config_envelope_bytes));
  ::common::Envelope envelope;
  ASSIGN_OR_RETURN(*envelope.mutable_payload(), protoutil::Marshal(payload, "payload"));

  ::common::Block block;
  ASSIGN_OR_RETURN(*block.mutable_data()->add_data(), protoutil::Marshal(envelope, "envelope"));
  ::common::BlockHeader& header = *block.mutable_header();
  header.set_number(0);
  header.set_data_hash(protoutil::BlockDataHash(block.data()));

  ::common::OrdererBlockMetadata orderer_metadata;
  orderer_metadata.mutable_last_config()->set_index(0);
  ::common::Metadata signatures;
  ASSIGN_OR_RETURN(*signatures.mutable_value(), protoutil::Marshal(orderer_metadata, "orderer block metadata"));
  ::common::LastConfig last_config_value;
  last_config_value.set_index(0);
  ::common::Metadata last_config;
  ASSIGN_OR_RETURN(*last_config.mutable_value(), protoutil::Marshal(last_config_value, "last config"));

  ::common::BlockMetadata& metadata = *block.mutable_metadata();
  ASSIGN_OR_RETURN(*metadata.add_metadata(), protoutil::Marshal(signatures, "SIGNATURES metadata"));    // 0
  ASSIGN_OR_RETURN(*metadata.add_metadata(), protoutil::Marshal(last_config, "LAST_CONFIG metadata"));  // 1
  metadata.add_metadata(std::string(static_cast<size_t>(block.data().data_size()), '\0'));              // 2: all VALID
  metadata.add_metadata();                                                                              // 3: ORDERER
  metadata.add_metadata();  // 4: COMMIT_HASH
  return block;
}

absl::StatusOr<::common::Block> CreateGenesisBlock(const ChannelSpec& spec) {
  ASSIGN_OR_RETURN(::common::Config config, BuildChannelConfig(spec));
  return GenesisBlockFromConfig(config, spec.channel_id, spec.genesis_time);
}

}  // namespace careledger::channelconfig
