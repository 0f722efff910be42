#include "common/channelconfig/channel_config.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <set>
#include <span>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/channelconfig/config_keys.h"
#include "common/channelconfig/go_duration.h"
#include "common/channelconfig/internal.h"
#include "common/configuration.pb.h"
#include "common/crypto/x509.h"
#include "common/protoutil/block.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/marshal.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"
#include "orderer/configuration.pb.h"
#include "orderer/etcdraft/configuration.pb.h"
#include "peer/configuration.pb.h"

namespace careledger::channelconfig {
namespace {

using internal::Quote;
using internal::SortedKeys;

absl::Status Invalid(std::string_view path, std::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(AsAbsl(path), ": ", AsAbsl(message)));
}

// Re-labels any error as InvalidArgument at `path`: whatever the lower layer's code, a bad config is bad
// input.
absl::Status InvalidAt(std::string_view path, const absl::Status& status) {
  return Invalid(path, AsStd(status.message()));
}

std::string Join(std::string_view path, std::string_view key) { return absl::StrCat(AsAbsl(path), "/", AsAbsl(key)); }

bool Contains(std::initializer_list<std::string_view> keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// Refuses value keys outside `allowed`, in key order so the first error is the same everywhere.
absl::Status CheckValueKeys(const ::common::ConfigGroup& group, std::string_view path,
                            std::initializer_list<std::string_view> allowed) {
  for (const std::string& key : SortedKeys(group.values())) {
    if (!Contains(allowed, key)) return Invalid(path, absl::StrCat("unknown value ", Quote(key)));
  }
  return absl::OkStatus();
}

// The value `key` of `group` parsed as T, or nullopt if the group has no such value.
template <typename T>
absl::StatusOr<std::optional<T>> ReadValue(const ::common::ConfigGroup& group, std::string_view path,
                                           std::string_view key) {
  const auto it = group.values().find(std::string(key));
  if (it == group.values().end()) return std::optional<T>();
  absl::StatusOr<T> parsed = protoutil::Unmarshal<T>(it->second.value(), key);
  if (!parsed.ok()) return InvalidAt(Join(path, key), parsed.status());
  return std::optional<T>(*std::move(parsed));
}

template <typename T>
absl::StatusOr<T> RequireValue(const ::common::ConfigGroup& group, std::string_view path, std::string_view key) {
  ASSIGN_OR_RETURN(std::optional<T> value, ReadValue<T>(group, path, key));
  if (!value.has_value()) return Invalid(path, absl::StrCat("required value ", AsAbsl(key), " is missing"));
  return *std::move(value);
}

const ::common::ConfigGroup* FindGroup(const ::common::ConfigGroup& group, std::string_view key) {
  const auto it = group.groups().find(std::string(key));
  return it == group.groups().end() ? nullptr : &it->second;
}

absl::Status RequirePolicies(const ::common::ConfigGroup& group, std::string_view path,
                             std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (!group.policies().contains(std::string(name))) {
      return Invalid(path, absl::StrCat("required policy ", AsAbsl(name), " is missing"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ReadCapabilities(const ::common::ConfigGroup& group, std::string_view path) {
  ASSIGN_OR_RETURN(std::optional<::common::Capabilities> value,
                   ReadValue<::common::Capabilities>(group, path, kCapabilitiesKey));
  if (!value.has_value()) return std::vector<std::string>();
  std::vector<std::string> names = SortedKeys(value->capabilities());
  for (const std::string& name : names) {
    if (name.empty()) return Invalid(Join(path, kCapabilitiesKey), "empty capability name");
  }
  return names;
}

absl::Status CheckPort(std::string_view path, std::string_view what, int64_t port) {
  if (port < 1 || port > 65535) {
    return Invalid(path, absl::StrCat(AsAbsl(what), " port ", port, " is not in 1..65535"));
  }
  return absl::OkStatus();
}

// An organisation's MSP definition, checked as far as this module can (see the header).
struct ParsedMsp {
  std::string msp_id;
  ::msp::FabricMSPConfig config;
};

absl::StatusOr<ParsedMsp> ReadMsp(const ::common::ConfigGroup& org, std::string_view org_path) {
  ASSIGN_OR_RETURN(::msp::MSPConfig value, RequireValue<::msp::MSPConfig>(org, org_path, kMspKey));
  const std::string path = Join(org_path, kMspKey);
  if (value.type() != kFabricMspType) {
    return Invalid(
        path, absl::StrCat("unsupported MSP type ", value.type(), " (only ", kFabricMspType, ", X.509, is supported)"));
  }
  if (value.config().empty()) return Invalid(path, "the FabricMSPConfig is missing");
  absl::StatusOr<::msp::FabricMSPConfig> config =
      protoutil::Unmarshal<::msp::FabricMSPConfig>(value.config(), "FabricMSPConfig");
  if (!config.ok()) return InvalidAt(path, config.status());
  if (config->name().empty()) return Invalid(path, "the FabricMSPConfig has no name (the MSP ID)");
  ParsedMsp parsed;
  parsed.msp_id = config->name();
  parsed.config = *std::move(config);
  return parsed;
}

// Checks the parts every organisation group shares; returns its path.
absl::StatusOr<std::string> CheckOrgGroup(const ::common::ConfigGroup& org, std::string_view parent_path,
                                          std::string_view name, std::string_view extra_value) {
  if (absl::Status valid = ValidateConfigName(name); !valid.ok()) {
    return InvalidAt(parent_path, Annotate(valid, "organisation group"));
  }
  std::string path = Join(parent_path, name);
  if (!org.groups().empty()) return Invalid(path, "organisation groups may not have sub-groups");
  RETURN_IF_ERROR(CheckValueKeys(org, path, {kMspKey, extra_value}));
  RETURN_IF_ERROR(RequirePolicies(org, path, {kReadersPolicyKey, kWritersPolicyKey, kAdminsPolicyKey}));
  return path;
}

// Parses every organisation sub-group of `group` (at `path`) into an Org (ApplicationOrg or OrdererOrg): the
// parts all organisations share here, and the organisation's own value `extra_value` through `read_extra`
// (a callable (org group, org path, Org&) -> absl::Status). MSP IDs must be unique within the group.
template <typename Org, typename ReadExtra>
absl::StatusOr<std::vector<Org>> ParseOrgs(const ::common::ConfigGroup& group, const std::string& path,
                                           std::string_view extra_value, const ReadExtra& read_extra) {
  std::vector<Org> orgs;
  absl::flat_hash_map<std::string, std::string> msp_ids;  // MSP ID -> path of its organisation
  for (const std::string& name : SortedKeys(group.groups())) {
    const ::common::ConfigGroup& org_group = group.groups().at(name);
    ASSIGN_OR_RETURN(std::string org_path, CheckOrgGroup(org_group, path, name, extra_value));
    ASSIGN_OR_RETURN(ParsedMsp msp, ReadMsp(org_group, org_path));
    if (const auto [it, inserted] = msp_ids.emplace(msp.msp_id, org_path); !inserted) {
      return Invalid(Join(org_path, kMspKey),
                     absl::StrCat("MSP ID ", Quote(msp.msp_id), " is already used by ", it->second));
    }
    Org org;
    org.name = name;
    org.msp_id = std::move(msp.msp_id);
    org.msp_config = std::move(msp.config);
    RETURN_IF_ERROR(read_extra(org_group, org_path, org));
    orgs.push_back(std::move(org));
  }
  return orgs;
}

absl::Status CheckConsenterCert(std::string_view path, std::string_view what, std::string_view pem) {
  if (pem.empty()) return Invalid(path, absl::StrCat(AsAbsl(what), " TLS certificate is missing"));
  absl::StatusOr<crypto::Certificate> cert = crypto::Certificate::FromPem(pem);
  if (!cert.ok()) return Invalid(path, absl::StrCat(AsAbsl(what), " TLS certificate: ", cert.status().message()));
  return absl::OkStatus();
}

}  // namespace

// Fills a ChannelConfig from a Config. One instance per parse.
class ChannelConfigParser {
 public:
  static absl::StatusOr<ChannelConfig> Parse(::common::Config config, std::string_view channel_id) {
    if (absl::Status valid = ValidateChannelId(channel_id); !valid.ok()) {
      return absl::InvalidArgumentError(valid.message());
    }
    ChannelConfig result;
    result.channel_id_ = std::string(channel_id);
    result.config_ = std::move(config);
    RETURN_IF_ERROR(ParseChannel(result));
    return result;
  }

 private:
  static absl::Status ParseChannel(ChannelConfig& cc) {
    const std::string path = absl::StrCat("/", kChannelGroupKey);
    if (!cc.config_.has_channel_group()) return Invalid(path, "the config has no channel group");
    const ::common::ConfigGroup& root = cc.config_.channel_group();

    for (const std::string& key : SortedKeys(root.groups())) {
      if (key == kConsortiumsGroupKey) {
        return Invalid(Join(path, key), "system channel configurations are not supported");
      }
      if (key != kOrdererGroupKey && key != kApplicationGroupKey) {
        return Invalid(path, absl::StrCat("unknown group ", Quote(key)));
      }
    }
    RETURN_IF_ERROR(CheckValueKeys(
        root, path,
        {kHashingAlgorithmKey, kBlockDataHashingStructureKey, kOrdererAddressesKey, kCapabilitiesKey, kConsortiumKey}));

    ASSIGN_OR_RETURN(::common::HashingAlgorithm hashing,
                     RequireValue<::common::HashingAlgorithm>(root, path, kHashingAlgorithmKey));
    if (hashing.name() != kSha256HashingAlgorithm) {
      return Invalid(Join(path, kHashingAlgorithmKey),
                     absl::StrCat("unsupported hashing algorithm ", Quote(hashing.name()), " (only ",
                                  kSha256HashingAlgorithm, ")"));
    }
    ASSIGN_OR_RETURN(::common::BlockDataHashingStructure structure,
                     RequireValue<::common::BlockDataHashingStructure>(root, path, kBlockDataHashingStructureKey));
    if (structure.width() != kBlockDataHashingWidth) {
      return Invalid(Join(path, kBlockDataHashingStructureKey),
                     absl::StrCat("unsupported width ", structure.width(), " (only ", kBlockDataHashingWidth, ")"));
    }
    ASSIGN_OR_RETURN(std::optional<::common::OrdererAddresses> addresses,
                     ReadValue<::common::OrdererAddresses>(root, path, kOrdererAddressesKey));
    if (addresses.has_value()) {
      for (const std::string& address : addresses->addresses()) {
        if (address.empty()) return Invalid(Join(path, kOrdererAddressesKey), "empty address");
        cc.orderer_addresses_.push_back(address);
      }
    }
    ASSIGN_OR_RETURN(cc.capabilities_.channel, ReadCapabilities(root, path));

    const ::common::ConfigGroup* orderer = FindGroup(root, kOrdererGroupKey);
    if (orderer == nullptr) return Invalid(path, absl::StrCat("required group ", kOrdererGroupKey, " is missing"));
    const ::common::ConfigGroup* application = FindGroup(root, kApplicationGroupKey);
    if (application == nullptr) {
      return Invalid(path, absl::StrCat("required group ", kApplicationGroupKey, " is missing"));
    }
    RETURN_IF_ERROR(ParseOrderer(*orderer, Join(path, kOrdererGroupKey), cc));
    RETURN_IF_ERROR(ParseApplication(*application, Join(path, kApplicationGroupKey), cc));
    RETURN_IF_ERROR(CheckSharedMsps(cc));

    RETURN_IF_ERROR(RequirePolicies(root, path, {kReadersPolicyKey, kWritersPolicyKey, kAdminsPolicyKey}));
    ASSIGN_OR_RETURN(cc.policy_manager_, PolicyManager::Create(root));
    return absl::OkStatus();
  }

  static absl::Status ParseOrderer(const ::common::ConfigGroup& group, const std::string& path, ChannelConfig& cc) {
    RETURN_IF_ERROR(CheckValueKeys(group, path,
                                   {kConsensusTypeKey, kBatchSizeKey, kBatchTimeoutKey, kChannelRestrictionsKey,
                                    kCapabilitiesKey, kOrderersKey, kKafkaBrokersKey}));
    RETURN_IF_ERROR(RequirePolicies(
        group, path, {kReadersPolicyKey, kWritersPolicyKey, kAdminsPolicyKey, kBlockValidationPolicyKey}));

    ASSIGN_OR_RETURN(::orderer::BatchSize batch_size, RequireValue<::orderer::BatchSize>(group, path, kBatchSizeKey));
    const std::string batch_path = Join(path, kBatchSizeKey);
    if (batch_size.max_message_count() < 1) return Invalid(batch_path, "max_message_count must be at least 1");
    if (batch_size.absolute_max_bytes() < 1) return Invalid(batch_path, "absolute_max_bytes must be at least 1");
    if (batch_size.preferred_max_bytes() < 1) return Invalid(batch_path, "preferred_max_bytes must be at least 1");
    if (batch_size.preferred_max_bytes() > batch_size.absolute_max_bytes()) {
      return Invalid(batch_path,
                     absl::StrCat("preferred_max_bytes (", batch_size.preferred_max_bytes(),
                                  ") must not exceed absolute_max_bytes (", batch_size.absolute_max_bytes(), ")"));
    }
    cc.batch_.max_message_count = batch_size.max_message_count();
    cc.batch_.absolute_max_bytes = batch_size.absolute_max_bytes();
    cc.batch_.preferred_max_bytes = batch_size.preferred_max_bytes();

    ASSIGN_OR_RETURN(::orderer::BatchTimeout batch_timeout,
                     RequireValue<::orderer::BatchTimeout>(group, path, kBatchTimeoutKey));
    absl::StatusOr<absl::Duration> timeout = ParseGoDuration(batch_timeout.timeout());
    if (!timeout.ok()) return InvalidAt(Join(path, kBatchTimeoutKey), timeout.status());
    if (*timeout <= absl::ZeroDuration()) {
      return Invalid(Join(path, kBatchTimeoutKey),
                     absl::StrCat("timeout ", Quote(batch_timeout.timeout()), " must be positive"));
    }
    cc.batch_.timeout = *timeout;

    ASSIGN_OR_RETURN(std::optional<::orderer::ChannelRestrictions> restrictions,
                     ReadValue<::orderer::ChannelRestrictions>(group, path, kChannelRestrictionsKey));
    if (restrictions.has_value()) cc.max_channels_ = restrictions->max_count();
    ASSIGN_OR_RETURN(cc.capabilities_.orderer, ReadCapabilities(group, path));
    // KafkaBrokers only has to parse: it is meaningless after a migration to Raft.
    RETURN_IF_ERROR(ReadValue<::orderer::KafkaBrokers>(group, path, kKafkaBrokersKey).status());

    RETURN_IF_ERROR(ParseConsensusType(group, path, cc));

    auto read_endpoints = [](const ::common::ConfigGroup& org_group, const std::string& org_path,
                             OrdererOrg& org) -> absl::Status {
      ASSIGN_OR_RETURN(std::optional<::common::OrdererAddresses> endpoints,
                       ReadValue<::common::OrdererAddresses>(org_group, org_path, kEndpointsKey));
      if (!endpoints.has_value()) return absl::OkStatus();
      for (const std::string& endpoint : endpoints->addresses()) {
        if (endpoint.empty()) return Invalid(Join(org_path, kEndpointsKey), "empty endpoint");
        org.endpoints.push_back(endpoint);
      }
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(cc.orderer_orgs_, ParseOrgs<OrdererOrg>(group, path, kEndpointsKey, read_endpoints));
    if (cc.orderer_orgs_.empty()) return Invalid(path, "at least one orderer organisation is required");

    return ParseConsenterMapping(group, path, cc);
  }

  static absl::Status ParseConsensusType(const ::common::ConfigGroup& group, const std::string& orderer_path,
                                         ChannelConfig& cc) {
    ASSIGN_OR_RETURN(::orderer::ConsensusType consensus,
                     RequireValue<::orderer::ConsensusType>(group, orderer_path, kConsensusTypeKey));
    const std::string path = Join(orderer_path, kConsensusTypeKey);
    if (consensus.type() != kEtcdRaftConsensusType) {
      return Invalid(path, absl::StrCat("unsupported consensus type ", Quote(consensus.type()), " (only ",
                                        kEtcdRaftConsensusType, ")"));
    }
    cc.consensus_type_ = consensus.type();
    switch (consensus.state()) {
      case ::orderer::ConsensusType::STATE_NORMAL:
        cc.consensus_state_ = ConsensusState::kNormal;
        break;
      case ::orderer::ConsensusType::STATE_MAINTENANCE:
        cc.consensus_state_ = ConsensusState::kMaintenance;
        break;
      default:
        return Invalid(path, absl::StrCat("unknown state ", static_cast<int>(consensus.state())));
    }
    if (consensus.metadata().empty()) return Invalid(path, "the etcdraft metadata is missing");
    absl::StatusOr<::etcdraft::ConfigMetadata> metadata =
        protoutil::Unmarshal<::etcdraft::ConfigMetadata>(consensus.metadata(), "etcdraft metadata");
    if (!metadata.ok()) return InvalidAt(path, metadata.status());

    if (!metadata->has_options()) return Invalid(path, "the etcdraft options are missing");
    const ::etcdraft::Options& options = metadata->options();
    absl::StatusOr<absl::Duration> tick = ParseGoDuration(options.tick_interval());
    if (!tick.ok()) return Invalid(path, absl::StrCat("tick_interval: ", tick.status().message()));
    if (*tick <= absl::ZeroDuration()) {
      return Invalid(path, absl::StrCat("tick_interval ", Quote(options.tick_interval()), " must be positive"));
    }
    if (options.heartbeat_tick() < 1) return Invalid(path, "heartbeat_tick must be at least 1");
    if (options.election_tick() <= options.heartbeat_tick()) {
      return Invalid(path, absl::StrCat("election_tick (", options.election_tick(),
                                        ") must be greater than heartbeat_tick (", options.heartbeat_tick(), ")"));
    }
    if (options.max_inflight_blocks() < 1) return Invalid(path, "max_inflight_blocks must be at least 1");
    cc.raft_options_.tick_interval = *tick;
    cc.raft_options_.election_tick = options.election_tick();
    cc.raft_options_.heartbeat_tick = options.heartbeat_tick();
    cc.raft_options_.max_inflight_blocks = options.max_inflight_blocks();
    cc.raft_options_.snapshot_interval_size = options.snapshot_interval_size();

    if (metadata->consenters().empty()) return Invalid(path, "at least one consenter is required");
    absl::flat_hash_map<std::string, int> addresses;     // host:port -> consenter index
    absl::flat_hash_map<std::string, int> certificates;  // PEM -> consenter index
    for (int i = 0; i < metadata->consenters_size(); ++i) {
      const ::etcdraft::Consenter& consenter = metadata->consenters(i);
      const std::string label = absl::StrCat(path, ": consenters[", i, "]");
      if (consenter.host().empty()) return absl::InvalidArgumentError(absl::StrCat(label, ": host is missing"));
      RETURN_IF_ERROR(CheckPort(label, "consenter", consenter.port()));
      RETURN_IF_ERROR(CheckConsenterCert(label, "client", consenter.client_tls_cert()));
      // Consenters often use one certificate for both roles (Fabric's test network does); parse it once.
      if (consenter.server_tls_cert() != consenter.client_tls_cert()) {
        RETURN_IF_ERROR(CheckConsenterCert(label, "server", consenter.server_tls_cert()));
      }

      const std::string address = absl::StrCat(consenter.host(), ":", consenter.port());
      if (const auto [it, inserted] = addresses.emplace(address, i); !inserted) {
        return absl::InvalidArgumentError(
            absl::StrCat(label, ": address ", Quote(address), " is also consenters[", it->second, "]'s"));
      }
      // As Fabric: one consenter may use one certificate for both roles, two consenters may not share one.
      for (const std::string* pem : {&consenter.client_tls_cert(), &consenter.server_tls_cert()}) {
        const auto [it, inserted] = certificates.emplace(*pem, i);
        if (!inserted && it->second != i) {
          return absl::InvalidArgumentError(
              absl::StrCat(label, ": a TLS certificate is also used by consenters[", it->second, "]"));
        }
      }

      Consenter parsed;
      parsed.id = static_cast<uint32_t>(i + 1);
      parsed.host = consenter.host();
      parsed.port = consenter.port();
      parsed.client_tls_cert_pem = consenter.client_tls_cert();
      parsed.server_tls_cert_pem = consenter.server_tls_cert();
      cc.consenters_.push_back(std::move(parsed));
    }
    return absl::OkStatus();
  }

  // The optional Orderers value: which orderer organisation each consenter belongs to.
  static absl::Status ParseConsenterMapping(const ::common::ConfigGroup& group, const std::string& orderer_path,
                                            ChannelConfig& cc) {
    ASSIGN_OR_RETURN(std::optional<::common::Orderers> orderers,
                     ReadValue<::common::Orderers>(group, orderer_path, kOrderersKey));
    if (!orderers.has_value()) return absl::OkStatus();
    const std::string path = Join(orderer_path, kOrderersKey);
    if (static_cast<size_t>(orderers->consenter_mapping_size()) != cc.consenters_.size()) {
      return Invalid(path, absl::StrCat("maps ", orderers->consenter_mapping_size(), " consenters but ",
                                        kConsensusTypeKey, " has ", cc.consenters_.size()));
    }
    std::set<uint32_t> ids;
    for (int i = 0; i < orderers->consenter_mapping_size(); ++i) {
      const ::common::Consenter& mapping = orderers->consenter_mapping(i);
      Consenter& consenter = cc.consenters_[static_cast<size_t>(i)];
      const std::string label = absl::StrCat(path, ": consenter_mapping[", i, "]");
      if (mapping.host() != consenter.host || mapping.port() != consenter.port ||
          mapping.client_tls_cert() != consenter.client_tls_cert_pem ||
          mapping.server_tls_cert() != consenter.server_tls_cert_pem) {
        return absl::InvalidArgumentError(absl::StrCat(label, " (",
                                                       Quote(absl::StrCat(mapping.host(), ":", mapping.port())),
                                                       ") does not match the etcdraft consenter at the same position"));
      }
      if (mapping.id() == 0) return absl::InvalidArgumentError(absl::StrCat(label, ": id must not be 0"));
      if (!ids.insert(mapping.id()).second) {
        return absl::InvalidArgumentError(absl::StrCat(label, ": id ", mapping.id(), " is used twice"));
      }
      if (cc.FindOrdererOrg(mapping.msp_id()) == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat(label, ": MSP ID ", Quote(mapping.msp_id()), " is not an orderer organisation's"));
      }
      consenter.id = mapping.id();
      consenter.msp_id = mapping.msp_id();
    }
    return absl::OkStatus();
  }

  static absl::Status ParseApplication(const ::common::ConfigGroup& group, const std::string& path, ChannelConfig& cc) {
    RETURN_IF_ERROR(CheckValueKeys(group, path, {kAclsKey, kCapabilitiesKey}));
    RETURN_IF_ERROR(RequirePolicies(group, path, {kReadersPolicyKey, kWritersPolicyKey, kAdminsPolicyKey}));
    ASSIGN_OR_RETURN(cc.capabilities_.application, ReadCapabilities(group, path));
    ASSIGN_OR_RETURN(std::optional<::protos::ACLs> acls, ReadValue<::protos::ACLs>(group, path, kAclsKey));
    if (acls.has_value()) {
      for (const std::string& resource : SortedKeys(acls->acls())) {
        const std::string& reference = acls->acls().at(resource).policy_ref();
        if (resource.empty()) return Invalid(Join(path, kAclsKey), "empty resource name");
        if (reference.empty()) {
          return Invalid(Join(path, kAclsKey), absl::StrCat("resource ", Quote(resource), " has no policy"));
        }
        cc.acls_.emplace(resource, reference);
      }
    }

    auto read_anchor_peers = [](const ::common::ConfigGroup& org_group, const std::string& org_path,
                                ApplicationOrg& org) -> absl::Status {
      ASSIGN_OR_RETURN(std::optional<::protos::AnchorPeers> anchors,
                       ReadValue<::protos::AnchorPeers>(org_group, org_path, kAnchorPeersKey));
      if (!anchors.has_value()) return absl::OkStatus();
      const std::string anchors_path = Join(org_path, kAnchorPeersKey);
      for (int i = 0; i < anchors->anchor_peers_size(); ++i) {
        const ::protos::AnchorPeer& anchor = anchors->anchor_peers(i);
        const std::string label = absl::StrCat(anchors_path, ": anchor_peers[", i, "]");
        if (anchor.host().empty()) return absl::InvalidArgumentError(absl::StrCat(label, ": host is missing"));
        RETURN_IF_ERROR(CheckPort(label, "anchor peer", anchor.port()));
        org.anchor_peers.push_back(AnchorPeer{anchor.host(), anchor.port()});
      }
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(cc.application_orgs_, ParseOrgs<ApplicationOrg>(group, path, kAnchorPeersKey, read_anchor_peers));
    if (cc.application_orgs_.empty()) return Invalid(path, "at least one application organisation is required");
    return absl::OkStatus();
  }

  // An MSP ID in both groups must have one definition: the channel's MSP manager holds one MSP per ID.
  static absl::Status CheckSharedMsps(const ChannelConfig& cc) {
    for (const ApplicationOrg& app : cc.application_orgs_) {
      const OrdererOrg* orderer = cc.FindOrdererOrg(app.msp_id);
      if (orderer == nullptr) continue;
      absl::StatusOr<std::string> a = protoutil::Marshal(app.msp_config, "FabricMSPConfig");
      absl::StatusOr<std::string> b = protoutil::Marshal(orderer->msp_config, "FabricMSPConfig");
      if (!a.ok() || !b.ok() || *a != *b) {
        return Invalid(absl::StrCat("/", kChannelGroupKey, "/", kApplicationGroupKey, "/", app.name, "/", kMspKey),
                       absl::StrCat("MSP ID ", Quote(app.msp_id), " is also defined by /", kChannelGroupKey, "/",
                                    kOrdererGroupKey, "/", orderer->name, " with a different MSP definition"));
      }
    }
    return absl::OkStatus();
  }
};

absl::StatusOr<ChannelConfig> ChannelConfig::FromConfig(::common::Config config, std::string_view channel_id) {
  return ChannelConfigParser::Parse(std::move(config), channel_id);
}

absl::StatusOr<ChannelConfig> ChannelConfig::OfChain(uint64_t height, const BlockReader& get_block) {
  if (height == 0) return absl::FailedPreconditionError("the chain holds no genesis block");
  ASSIGN_OR_RETURN(::common::Block last, get_block(height - 1));
  absl::StatusOr<uint64_t> index = protoutil::LastConfigIndex(last);
  const uint64_t config_index = index.ok() ? *index : 0;
  if (config_index == height - 1) return FromConfigBlock(last);
  ASSIGN_OR_RETURN(::common::Block config_block, get_block(config_index));
  return FromConfigBlock(config_block);
}

absl::StatusOr<ChannelConfig> ChannelConfig::FromConfigBlock(const ::common::Block& block) {
  if (!block.has_header()) return absl::InvalidArgumentError("config block: the block header is missing");
  const uint64_t number = block.header().number();
  const std::string where = absl::StrCat("config block ", number);
  auto invalid = [&where](std::string_view message) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", AsAbsl(message)));
  };
  if (block.data().data_size() != 1) {
    return invalid(absl::StrCat("must hold exactly one envelope, holds ", block.data().data_size()));
  }
  if (block.header().data_hash() != protoutil::BlockDataHash(block.data())) {
    return invalid("the header's data hash does not match the block's data");
  }

  absl::StatusOr<::common::Envelope> envelope =
      protoutil::Unmarshal<::common::Envelope>(block.data().data(0), "envelope");
  if (!envelope.ok()) return invalid(AsStd(envelope.status().message()));
  if (envelope->payload().empty()) return invalid("the envelope has no payload");
  absl::StatusOr<::common::Payload> payload =
      protoutil::Unmarshal<::common::Payload>(envelope->payload(), "envelope payload");
  if (!payload.ok()) return invalid(AsStd(payload.status().message()));
  if (!payload->has_header()) return invalid("the payload has no header");
  if (payload->header().channel_header().empty()) return invalid("the payload has no channel header");
  absl::StatusOr<::common::ChannelHeader> channel_header =
      protoutil::Unmarshal<::common::ChannelHeader>(payload->header().channel_header(), "channel header");
  if (!channel_header.ok()) return invalid(AsStd(channel_header.status().message()));
  if (channel_header->type() != ::common::CONFIG) {
    return invalid(absl::StrCat("the envelope has header type ", channel_header->type(), ", not CONFIG (",
                                static_cast<int>(::common::CONFIG), ")"));
  }
  if (absl::Status valid = ValidateChannelId(channel_header->channel_id()); !valid.ok()) {
    return invalid(absl::StrCat("channel header: ", valid.message()));
  }

  // Genesis blocks written by configtxgen have a signature header without a creator and no signature; every
  // later config block is an orderer-signed envelope.
  const std::string& signature_header_bytes = payload->header().signature_header();
  absl::StatusOr<::common::SignatureHeader> signature_header =
      protoutil::Unmarshal<::common::SignatureHeader>(signature_header_bytes, "signature header");
  if (!signature_header.ok()) return invalid(AsStd(signature_header.status().message()));
  if (number > 0) {
    if (signature_header->creator().empty()) return invalid("the config envelope has no creator");
    if (envelope->signature().empty()) return invalid("the config envelope has no signature");
  }

  if (payload->data().empty()) return invalid("the payload has no config envelope");
  absl::StatusOr<::common::ConfigEnvelope> config_envelope =
      protoutil::Unmarshal<::common::ConfigEnvelope>(payload->data(), "config envelope");
  if (!config_envelope.ok()) return invalid(AsStd(config_envelope.status().message()));
  if (!config_envelope->has_config()) return invalid("the config envelope has no config");
  if (!config_envelope->config().has_channel_group()) return invalid("the config has no channel group");

  return FromConfig(std::move(*config_envelope->mutable_config()), channel_header->channel_id());
}

const ApplicationOrg* ChannelConfig::FindApplicationOrg(std::string_view msp_id) const {
  for (const ApplicationOrg& org : application_orgs_) {
    if (org.msp_id == msp_id) return &org;
  }
  return nullptr;
}

const OrdererOrg* ChannelConfig::FindOrdererOrg(std::string_view msp_id) const {
  for (const OrdererOrg& org : orderer_orgs_) {
    if (org.msp_id == msp_id) return &org;
  }
  return nullptr;
}

std::vector<::msp::FabricMSPConfig> ChannelConfig::MspConfigs() const {
  std::map<std::string, const ::msp::FabricMSPConfig*> by_id;
  for (const ApplicationOrg& org : application_orgs_) by_id.emplace(org.msp_id, &org.msp_config);
  for (const OrdererOrg& org : orderer_orgs_) by_id.emplace(org.msp_id, &org.msp_config);
  std::vector<::msp::FabricMSPConfig> configs;
  configs.reserve(by_id.size());
  for (const auto& [id, config] : by_id) configs.push_back(*config);
  return configs;
}

absl::Status ChannelConfig::CheckCapabilitiesSupported() const {
  // V2_0 at each level, and the 1.x capabilities whose rules V2_0 includes.
  static constexpr std::string_view kChannel[] = {"V1_1", "V1_3", "V1_4_2", "V1_4_3", "V2_0"};
  static constexpr std::string_view kOrderer[] = {"V1_1", "V1_4_2", "V2_0"};
  static constexpr std::string_view kApplication[] = {"V1_1", "V1_2", "V1_3", "V1_4_2", "V2_0"};
  struct Level {
    std::string_view name;
    const std::vector<std::string>& required;
    std::span<const std::string_view> supported;
  };
  const Level levels[] = {
      {"channel", capabilities_.channel, kChannel},
      {"orderer", capabilities_.orderer, kOrderer},
      {"application", capabilities_.application, kApplication},
  };
  for (const Level& level : levels) {
    for (const std::string& capability : level.required) {
      if (std::find(level.supported.begin(), level.supported.end(), capability) == level.supported.end()) {
        return absl::FailedPreconditionError(
            absl::StrCat(AsAbsl(level.name), " capability ", Quote(capability), " is not supported"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace careledger::channelconfig
