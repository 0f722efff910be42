// A plain description of a channel to create: what the consortium tooling and tests fill in, and what
// BuildChannelConfig / CreateGenesisBlock (genesis.h) turn into Fabric's configuration tree (described in
// channel_config.h). It plays the part of a profile in Fabric's configtx.yaml; every default below is
// Fabric's (sampleconfig/configtx.yaml and the test network), so a spec that only names the organisations,
// the consenters and the channel ID gives the channel Fabric's tools would make.
//
// The spec is plain data: no validation happens until BuildChannelConfig, which reports every problem as
// InvalidArgument naming the field.
#ifndef CARELEDGER_COMMON_CHANNELCONFIG_CHANNEL_SPEC_H_
#define CARELEDGER_COMMON_CHANNELCONFIG_CHANNEL_SPEC_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "msp/msp_config.pb.h"

namespace careledger::channelconfig {

// One policy, written as in configtx.yaml:
//   Signature:     rule in Fabric's policy language, e.g. "OR('Hospital1MSP.admin', 'Hospital1MSP.client')"
//                  (see common/policies/policy_parser.h);
//   ImplicitMeta:  "<ANY|ALL|MAJORITY> <sub-policy name>", e.g. "MAJORITY Endorsement": the rule over the
//                  policies of that name in the group's sub-groups (organisations);
//   Nobody:        a signature policy no identity satisfies, for an organisation that must never write (a
//                  regulator): signed by an IDENTITY principal of MSP `rule` whose bytes are no certificate, so
//                  no valid identity equals it and no key signs for it. (Fabric's "OutOf(n+1, ...)" trick would
//                  do the same, but our policy validation refuses a threshold above the rule count, and an
//                  ImplicitMeta over no sub-groups is satisfied by everyone, as in Fabric.)
struct PolicySpec {
  enum class Type { kSignature, kImplicitMeta, kNobody };
  Type type = Type::kSignature;
  std::string rule;

  static PolicySpec Signature(std::string rule) { return {Type::kSignature, std::move(rule)}; }
  static PolicySpec ImplicitMeta(std::string rule) { return {Type::kImplicitMeta, std::move(rule)}; }
  static PolicySpec Nobody(std::string msp_id) { return {Type::kNobody, std::move(msp_id)}; }
};

// Policies by name ("Readers", "Writers", "Admins", "Endorsement", ...). An entry replaces the default policy
// of that name or adds a new one; defaults that are not overridden stay.
using PolicyOverrides = std::map<std::string, PolicySpec>;

// A peer that other organisations' peers contact first (gossip bootstrap).
struct AnchorPeer {
  std::string host;
  int32_t port = 0;  // 1..65535

  friend bool operator==(const AnchorPeer&, const AnchorPeer&) = default;
};

// An organisation that runs peers and has clients: /Channel/Application/<name>.
// Default policies (as Fabric's test network):
//   Readers     = OR('<msp_id>.admin', '<msp_id>.peer', '<msp_id>.client')
//   Writers     = OR('<msp_id>.admin', '<msp_id>.client')
//   Admins      = OR('<msp_id>.admin')
//   Endorsement = OR('<msp_id>.peer')
struct ApplicationOrgSpec {
  std::string name;                      // the config group key, e.g. "Hospital1"
  std::string msp_id;                    // e.g. "Hospital1MSP"; must equal msp_config.name()
  ::msp::FabricMSPConfig msp_config;     // verifying MSP: certificates only, no private keys
  std::vector<AnchorPeer> anchor_peers;  // may be empty
  PolicyOverrides policies;
};

// An organisation that runs orderers: /Channel/Orderer/<name>.
// Default policies: Readers = Writers = OR('<msp_id>.member'), Admins = OR('<msp_id>.admin').
struct OrdererOrgSpec {
  std::string name;    // e.g. "Orderer"
  std::string msp_id;  // e.g. "OrdererMSP"; must equal msp_config.name()
  ::msp::FabricMSPConfig msp_config;
  std::vector<std::string> endpoints;  // "host:port" of its orderers' Broadcast/Deliver service
  PolicyOverrides policies;
};

// How the orderers cut blocks (/Channel/Orderer/BatchSize and BatchTimeout). Fabric's defaults.
struct BatchSettings {
  uint32_t max_message_count = 500;                // at least 1
  uint32_t absolute_max_bytes = 10 * 1024 * 1024;  // "10 MB"; at least 1
  uint32_t preferred_max_bytes = 2 * 1024 * 1024;  // "2 MB"; at least 1, at most absolute_max_bytes
  absl::Duration timeout = absl::Seconds(2);       // positive; stored as Go text ("2s")

  friend bool operator==(const BatchSettings&, const BatchSettings&) = default;
};

// One Raft node of the ordering service for this channel.
struct ConsenterSpec {
  std::string host;
  uint32_t port = 0;                // the cluster port, 1..65535
  std::string client_tls_cert_pem;  // the certificate it presents when it dials other consenters
  std::string server_tls_cert_pem;  // the certificate its cluster endpoint serves
  std::string msp_id;               // the orderer organisation it belongs to
};

// Raft tuning (etcdraft.Options). Fabric's defaults.
struct RaftOptions {
  absl::Duration tick_interval = absl::Milliseconds(500);  // positive; stored as Go text ("500ms")
  uint32_t election_tick = 10;                             // greater than heartbeat_tick
  uint32_t heartbeat_tick = 1;                             // at least 1
  uint32_t max_inflight_blocks = 5;                        // at least 1
  uint32_t snapshot_interval_size = 16 * 1024 * 1024;      // bytes; 0 lets the orderer choose ("16 MB")

  friend bool operator==(const RaftOptions&, const RaftOptions&) = default;
};

// Capability names per level (e.g. "V2_0"); a node refuses a channel that requires one it lacks.
struct Capabilities {
  std::vector<std::string> channel = {"V2_0"};
  std::vector<std::string> orderer = {"V2_0"};
  std::vector<std::string> application = {"V2_0"};

  friend bool operator==(const Capabilities&, const Capabilities&) = default;
};

// Overrides of the group-level policies. Defaults, as Fabric:
//   /Channel:             Readers = ANY Readers, Writers = ANY Writers, Admins = MAJORITY Admins
//   /Channel/Orderer:     the same, plus BlockValidation = ANY Writers
//   /Channel/Application: the same, plus Endorsement = LifecycleEndorsement = MAJORITY Endorsement
struct GroupPolicyOverrides {
  PolicyOverrides channel;
  PolicyOverrides orderer;
  PolicyOverrides application;
};

struct ChannelSpec {
  std::string channel_id;                            // [a-z][a-z0-9.-]*, at most 249 characters
  std::vector<ApplicationOrgSpec> application_orgs;  // at least one
  std::vector<OrdererOrgSpec> orderer_orgs;          // at least one
  BatchSettings batch;
  std::vector<ConsenterSpec> consenters;  // at least one; the order is the Raft node order (IDs 1..n)
  RaftOptions raft;
  GroupPolicyOverrides policies;
  Capabilities capabilities;
  // Optional resource -> policy path map (/Channel/Application/ACLs), e.g.
  // {"qscc/GetChainInfo", "/Channel/Application/Readers"}. Written only when non-empty.
  std::map<std::string, std::string> acls;
  // The genesis block's channel header timestamp. Passed in (never read from the clock) so that the same
  // spec always gives the same block.
  absl::Time genesis_time = absl::UnixEpoch();
};

}  // namespace careledger::channelconfig

#endif  // CARELEDGER_COMMON_CHANNELCONFIG_CHANNEL_SPEC_H_
