// Every policy of a channel configuration, compiled and addressed by path as in Fabric:
//
//   "/Channel/Readers"                          "/Channel/Orderer/BlockValidation"
//   "/Channel/Application/Writers"              "/Channel/Application/Endorsement"
//   "/Channel/Application/Hospital1/Admins"     "/Channel/Orderer/OrdererOrg/Writers"
//
// A policy's path is "/Channel", then the keys of the groups that hold it, then its own key, joined by '/'.
// Signature policies compile with policies::NewSignaturePolicy. An implicit meta policy "RULE X" of group G
// compiles with policies::NewImplicitMetaPolicy over, for each sub-group S of G (in key order), the policy
// G/S/X; a sub-group without one counts as a policy nobody satisfies, and a group without sub-groups makes
// the policy always satisfied (Fabric's rules; ChannelConfig requires organisations so that the standard
// policies never fall into that case).
//
//   const policies::Policy* writers = config.policy_manager().Get("/Channel/Application/Writers");
//   absl::Status ok = policies::EvaluateSignedData(*writers, signed_data, msp_manager);
//
// Immutable after Create; Get and the returned policies are thread-safe. Copies share the compiled policies.
#ifndef CARELEDGER_COMMON_CHANNELCONFIG_POLICY_MANAGER_H_
#define CARELEDGER_COMMON_CHANNELCONFIG_POLICY_MANAGER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/configtx.pb.h"
#include "common/policies/policy.h"

namespace careledger::channelconfig {

// Groups nested deeper than this below /Channel are refused (a real channel has two levels: /Channel/
// Application/Hospital1), so a hostile config cannot exhaust the stack.
inline constexpr int kMaxGroupDepth = 8;

class PolicyManager {
 public:
  // An empty manager: Get returns nullptr for every path.
  PolicyManager() = default;

  // Compiles every policy of `channel_group` (the root "/Channel" group) and of its sub-groups.
  //
  // InvalidArgument naming the policy path (e.g. "/Channel/Application/Hospital1/Admins: ...") when: a group
  // or policy key is not a valid config name (config_keys.h: ValidateConfigName); groups nest deeper than
  // kMaxGroupDepth; a ConfigPolicy has no policy; the type is not SIGNATURE or IMPLICIT_META (Fabric's
  // channel configs use no other); the value does not parse as a SignaturePolicyEnvelope or
  // ImplicitMetaPolicy; or the policy module rejects it (bad rule, unknown implicit meta rule, empty
  // sub-policy name). Nothing is required to be present: ChannelConfig checks which policies must exist.
  static absl::StatusOr<PolicyManager> Create(const ::common::ConfigGroup& channel_group);

  // The policy at the absolute `path`, or nullptr if there is none. Does not resolve relative names: see
  // ResolvePolicyPath.
  const policies::Policy* Get(std::string_view path) const;

  // The same, but NotFound "no policy at <path>" when absent (with the path escaped, as it may be untrusted).
  absl::StatusOr<const policies::Policy*> GetOrError(std::string_view path) const;

  // Every policy path, sorted.
  std::vector<std::string> Paths() const;

 private:
  std::map<std::string, std::shared_ptr<const policies::Policy>, std::less<>> policies_;
};

// Resolves a policy reference as Fabric does for mod_policy values and ACLs: a reference starting with '/'
// is absolute and returned as is; any other is relative to `group_path` ("Admins" in "/Channel/Orderer" is
// "/Channel/Orderer/Admins"). Does not check that the policy exists.
std::string ResolvePolicyPath(std::string_view group_path, std::string_view reference);

}  // namespace careledger::channelconfig

#endif  // CARELEDGER_COMMON_CHANNELCONFIG_POLICY_MANAGER_H_
