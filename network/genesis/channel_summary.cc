#include "network/genesis/channel_summary.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/channelconfig/go_duration.h"
#include "common/crypto/x509.h"
#include "common/policies.pb.h"
#include "common/policies/policy_parser.h"
#include "common/protoutil/unmarshal.h"

namespace careledger::network {
namespace {

std::string Bytes(uint64_t n) {
  constexpr uint64_t kKiB = 1024, kMiB = 1024 * 1024;
  if (n != 0 && n % kMiB == 0) return absl::StrCat(n / kMiB, " MiB");
  if (n != 0 && n % kKiB == 0) return absl::StrCat(n / kKiB, " KiB");
  return absl::StrCat(n, " bytes");
}

std::string CertSummary(const std::string& pem) {
  auto cert = crypto::Certificate::FromPem(pem);
  if (!cert.ok()) return absl::StrCat("<unreadable certificate: ", cert.status().message(), ">");
  return absl::StrCat(cert->subject().one_line, " (expires ",
                      absl::FormatTime("%Y-%m-%d", cert->not_after(), absl::UTCTimeZone()), ")");
}

std::string CertSubjects(const google::protobuf::RepeatedPtrField<std::string>& pems) {
  std::vector<std::string> subjects;
  for (const std::string& pem : pems) {
    auto cert = crypto::Certificate::FromPem(pem);
    subjects.push_back(cert.ok() ? cert->subject().one_line : "<unreadable>");
  }
  return subjects.empty() ? "-" : absl::StrJoin(subjects, "; ");
}

std::string PolicyText(const ::common::Policy& policy) {
  if (policy.type() == ::common::Policy::SIGNATURE) {
    auto envelope = protoutil::Unmarshal<::common::SignaturePolicyEnvelope>(policy.value(), "signature policy");
    if (!envelope.ok()) return "Signature <malformed>";
    return "Signature " + policies::SignaturePolicyToString(*envelope);
  }
  if (policy.type() == ::common::Policy::IMPLICIT_META) {
    auto meta = protoutil::Unmarshal<::common::ImplicitMetaPolicy>(policy.value(), "implicit meta policy");
    if (!meta.ok()) return "ImplicitMeta <malformed>";
    return absl::StrCat("ImplicitMeta ", ::common::ImplicitMetaPolicy::Rule_Name(meta->rule()), " ",
                        meta->sub_policy());
  }
  return absl::StrCat("<policy type ", policy.type(), ">");
}

// Every policy below `group` (at `path`), in key order, as "path  rule" rows.
void CollectPolicies(const ::common::ConfigGroup& group, const std::string& path,
                     std::vector<std::pair<std::string, std::string>>* rows) {
  std::vector<std::string> keys;
  for (const auto& [key, unused] : group.policies()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  for (const std::string& key : keys) rows->emplace_back(path + "/" + key, PolicyText(group.policies().at(key).policy()));
  keys.clear();
  for (const auto& [key, unused] : group.groups()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  for (const std::string& key : keys) CollectPolicies(group.groups().at(key), path + "/" + key, rows);
}

std::string Join(const std::vector<std::string>& items) { return items.empty() ? "-" : absl::StrJoin(items, ", "); }

}  // namespace

std::string DescribeChannelConfig(const channelconfig::ChannelConfig& config) {
  std::string out = absl::StrCat("Channel ", config.channel_id(), " (config sequence ", config.sequence(), ")\n");
  const channelconfig::Capabilities& caps = config.capabilities();
  absl::StrAppend(&out, "Capabilities: channel ", Join(caps.channel), "; orderer ", Join(caps.orderer),
                  "; application ", Join(caps.application), "\n");

  absl::StrAppend(&out, "\nApplication organisations (", config.application_orgs().size(), "):\n");
  for (const channelconfig::ApplicationOrg& org : config.application_orgs()) {
    std::vector<std::string> anchors;
    for (const channelconfig::AnchorPeer& a : org.anchor_peers) anchors.push_back(absl::StrCat(a.host, ":", a.port));
    absl::StrAppend(&out, "  ", org.name, "  ", org.msp_id, "\n", "    root CAs: ", CertSubjects(org.msp_config.root_certs()),
                    "\n", "    intermediate CAs: ", CertSubjects(org.msp_config.intermediate_certs()), "\n",
                    "    anchor peers: ", Join(anchors), "\n");
  }

  absl::StrAppend(&out, "\nOrderer organisations (", config.orderer_orgs().size(), "):\n");
  for (const channelconfig::OrdererOrg& org : config.orderer_orgs()) {
    absl::StrAppend(&out, "  ", org.name, "  ", org.msp_id, "\n", "    root CAs: ", CertSubjects(org.msp_config.root_certs()),
                    "\n", "    endpoints: ", Join(org.endpoints), "\n");
  }
  if (!config.orderer_addresses().empty()) {
    absl::StrAppend(&out, "  global orderer addresses (deprecated): ", Join(config.orderer_addresses()), "\n");
  }

  absl::StrAppend(&out, "\nConsenters (", config.consensus_type(), ", ",
                  config.consensus_state() == channelconfig::ConsensusState::kNormal ? "normal" : "maintenance",
                  "):\n");
  for (const channelconfig::Consenter& c : config.consenters()) {
    absl::StrAppend(&out, "  ", c.id, "  ", c.msp_id.empty() ? "-" : c.msp_id, "  ", c.host, ":", c.port, "\n",
                    "    server TLS: ", CertSummary(c.server_tls_cert_pem), "\n");
    if (c.client_tls_cert_pem != c.server_tls_cert_pem) {
      absl::StrAppend(&out, "    client TLS: ", CertSummary(c.client_tls_cert_pem), "\n");
    }
  }

  const channelconfig::BatchSettings& batch = config.batch();
  absl::StrAppend(&out, "\nBatch: timeout ", channelconfig::FormatGoDuration(batch.timeout), ", max ",
                  batch.max_message_count, " messages, preferred ", Bytes(batch.preferred_max_bytes), ", absolute ",
                  Bytes(batch.absolute_max_bytes), "\n");
  const channelconfig::RaftOptions& raft = config.raft_options();
  absl::StrAppend(&out, "Raft: tick ", channelconfig::FormatGoDuration(raft.tick_interval), ", election ",
                  raft.election_tick, " ticks, heartbeat ", raft.heartbeat_tick, " ticks, max in-flight blocks ",
                  raft.max_inflight_blocks, ", snapshot interval ", Bytes(raft.snapshot_interval_size), "\n");

  if (!config.acls().empty()) {
    absl::StrAppend(&out, "\nACLs:\n");
    for (const auto& [resource, policy] : config.acls()) absl::StrAppend(&out, "  ", resource, " -> ", policy, "\n");
  }

  std::vector<std::pair<std::string, std::string>> policies;
  CollectPolicies(config.config().channel_group(), "/Channel", &policies);
  size_t width = 0;
  for (const auto& row : policies) width = std::max(width, row.first.size());
  absl::StrAppend(&out, "\nPolicies:\n");
  for (const auto& [path, rule] : policies) {
    absl::StrAppend(&out, "  ", path, std::string(width - path.size() + 2, ' '), rule, "\n");
  }
  return out;
}

}  // namespace careledger::network
