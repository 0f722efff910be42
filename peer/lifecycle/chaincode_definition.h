// Chaincode definitions: what a channel's organisations agree on before a chaincode may run there, and
// where the `_lifecycle` namespace of the world state keeps them.
//
// A definition names the chaincode, its version and sequence (1 for the first definition, +1 for each
// change), its endorsement policy and the package every organisation's peers run. Organisations approve a
// definition one by one; once the approvals satisfy the channel's LifecycleEndorsement policy, it is
// committed and becomes the definition the endorser runs and the committer validates against.
//
// STATE LAYOUT (namespace "_lifecycle", format version 1)
// =======================================================
//   "definition/" + name                              -> the committed definition
//   "approval/" + name + "/" + sequence + "/" + msp   -> one organisation's approval of that sequence
// sequence in decimal without leading zeros; msp is the approving organisation's MSP ID. Values are serialized
// lifecycle.QueryApprovedChaincodeDefinitionResult messages (sequence, version, plugins, validation_parameter,
// init_required, source): Fabric's own message for "a definition with its package". Names are checked against
// Fabric's rule (below), which excludes '/', so the keys are unambiguous. Unlike Fabric, approvals are public
// state rather than per-organisation private data: CareLedger has no private data, an approval reveals no
// more than the definition that will be committed, and it lets every peer check the approvals at commit.
//
// PACKAGES
// ========
// A package ID is either "<label>:<SHA-256 of the package file, 64 lowercase hex>" for a chaincode library
// installed on the peer, or "builtin:<name>" for a chaincode compiled into the peer.
#ifndef CARELEDGER_PEER_LIFECYCLE_CHAINCODE_DEFINITION_H_
#define CARELEDGER_PEER_LIFECYCLE_CHAINCODE_DEFINITION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "peer/lifecycle/lifecycle.pb.h"
#include "peer/policy.pb.h"

namespace careledger::lifecycle {

// The namespace of chaincode definitions and the system chaincode that writes them.
inline constexpr char kLifecycleNamespace[] = "_lifecycle";
// The channel policy a definition uses when it names none (Fabric's default).
inline constexpr char kDefaultEndorsementPolicyReference[] = "/Channel/Application/Endorsement";
// The channel policy approvals must satisfy for a commit, and that endorses `_lifecycle` transactions.
inline constexpr char kLifecycleEndorsementPolicy[] = "/Channel/Application/LifecycleEndorsement";

struct ChaincodeDefinition {
  std::string name;
  int64_t sequence = 0;
  std::string version;
  ::protos::ApplicationPolicy endorsement_policy;  // never empty once normalised
  bool init_required = false;
  std::string package_id;  // empty: the approving organisation runs no package ("unavailable")

  // True if both describe the same definition; the package is not part of it (each organisation names its
  // own installed package; see CommitChaincodeDefinition for how packages must agree).
  bool SameDefinitionAs(const ChaincodeDefinition& other) const;
  // The fields in which `other` differs from this one, by Fabric's names ("Version", "EndorsementPolicy",
  // "InitRequired", ...), for CheckCommitReadiness.
  std::vector<std::string> Mismatches(const ChaincodeDefinition& other) const;
};

// Fabric's chaincode name rule: ^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$, at most 128 bytes. InvalidArgument naming
// the name otherwise. Names starting with '_' are the system's.
absl::Status ValidateChaincodeName(std::string_view name);

// A version: non-empty, at most 128 bytes, letters, digits and "_.+-" (Fabric's rule).
absl::Status ValidateChaincodeVersion(std::string_view version);

// A package ID as described above. InvalidArgument saying which part is wrong.
absl::Status ValidatePackageId(std::string_view package_id);

// If `package_id` names a built-in chaincode ("builtin:<name>"), that name.
std::optional<std::string> BuiltinChaincodeName(std::string_view package_id);
// If `package_id` names a library, its SHA-256 in lowercase hex.
std::optional<std::string> PackageHash(std::string_view package_id);

// The definition that Approve/Commit/CheckCommitReadiness arguments describe, checked and normalised: an
// empty validation_parameter becomes a reference to kDefaultEndorsementPolicyReference; plugins must be
// empty or Fabric's defaults ("escc", "vscc"), since CareLedger has no plugins; collections must be empty
// (no private data). InvalidArgument with the reason otherwise.
absl::StatusOr<ChaincodeDefinition> DefinitionFromArgs(std::string_view name, int64_t sequence,
                                                       std::string_view version, std::string_view endorsement_plugin,
                                                       std::string_view validation_plugin,
                                                       std::string_view validation_parameter,
                                                       const ::protos::CollectionConfigPackage& collections,
                                                       bool init_required);

// The stored form (see STATE LAYOUT) and back. DecodeDefinition: DataLoss if the bytes do not parse (the
// state was written by this module, so a bad value is damage, not bad input).
std::string EncodeDefinition(const ChaincodeDefinition& definition);
absl::StatusOr<ChaincodeDefinition> DecodeDefinition(std::string_view name, std::string_view bytes);

// Fabric's result message for a definition.
::lifecycle::QueryApprovedChaincodeDefinitionResult ToApprovedResult(const ChaincodeDefinition& definition);

// The state keys.
std::string DefinitionKey(std::string_view name);
std::string ApprovalKey(std::string_view name, int64_t sequence, std::string_view msp_id);
// The range [start, end) of every committed definition's key.
inline constexpr char kDefinitionRangeStart[] = "definition/";
inline constexpr char kDefinitionRangeEnd[] = "definition0";  // '0' follows '/'

}  // namespace careledger::lifecycle

#endif  // CARELEDGER_PEER_LIFECYCLE_CHAINCODE_DEFINITION_H_
