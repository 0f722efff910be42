// ConfigNode: typed, position-aware reading of one mapping of a configuration document.
//
//   ASSIGN_OR_RETURN(ConfigNode general, doc.Root().GetMapping("General"));
//   ASSIGN_OR_RETURN(int64_t port, general.GetIntOr("ListenPort", 7050, {.min = 1, .max = 65535}));
//   ASSIGN_OR_RETURN(absl::Duration timeout, general.GetDurationOr("DialTimeout", absl::Seconds(5)));
//
// Keys. A key names one entry of this mapping, literally: "a.b" is a key containing a dot (mappings keyed
// by host names exist), not a path; descend with GetMapping. Keys are case-sensitive,
// unlike Fabric's viper: a key spelled in another case is reported as unknown, with the right spelling
// suggested. Every key asked about is remembered as known, found or not; ConfigDocument::CheckNoUnknownKeys
// reports the keys of this mapping that nobody asked about.
//
// Where values come from, first match wins:
//   1. the environment variable PREFIX_PATH (see ConfigDocument), for single values and string lists; keys
//      inside lists of mappings ("Organizations[0].Name") have no variable;
//   2. the file, unless the value there is empty (`Key:`, `Key: ~`);
//   3. the default of a GetXOr call.
// Otherwise a required getter fails. A quoted value is text like any other: `Port: "7050"` is 7050.
//
// Errors. Each is InvalidArgument with a message "<where>: <full.key.path>: <what is wrong>", where <where>
// is "<file>:<line>:<column>" (1-based) of the offending value, of the key whose value is empty, or for a
// missing key of the mapping that should hold it (or its nearest ancestor present in the file); or
// "$VARIABLE" when the value came from the environment. Examples:
//   orderer.yaml:12:21: General.Cluster.SendBufferSize: expected an integer between 1 and 1000, got "lots"
//   orderer.yaml:10:3: General.Cluster.SendBufferSize: missing required key (or set ORDERER_GENERAL_...)
//   $ORDERER_GENERAL_LISTENPORT: General.ListenPort: expected an integer between 1 and 65535, got "x"
// A GetXOr whose default lies outside its own range returns Internal: that is a bug in the caller.
//
// Ownership and threads. A ConfigNode is a small handle into the ConfigDocument it came from, which must
// outlive it (moving the document keeps handles valid). Reading records what was read in the document, so
// every getter, although const, mutates shared state: use a document and its nodes from one thread.
#ifndef CARELEDGER_COMMON_CONFIG_CONFIG_NODE_H_
#define CARELEDGER_COMMON_CONFIG_CONFIG_NODE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/config/scalars.h"

namespace careledger::config {

namespace internal {
struct DocumentState;
struct MappingUse;
}  // namespace internal

class ConfigNode {
 public:
  // Full path of this mapping: "General.Cluster", "Organizations[1]"; "" for the top level.
  const std::string& path() const;

  // Whether `key` has a non-empty value in the file or an environment override. Marks `key` as known.
  bool Has(std::string_view key) const;

  // Text, as written (quotes and escapes resolved). The Secret forms record "(redacted)" as the effective
  // value so `config show` never prints passwords and keys.
  absl::StatusOr<std::string> GetString(std::string_view key) const;
  absl::StatusOr<std::string> GetStringOr(std::string_view key, std::string_view default_value) const;
  absl::StatusOr<std::string> GetSecretString(std::string_view key) const;
  absl::StatusOr<std::string> GetSecretStringOr(std::string_view key, std::string_view default_value) const;

  // Spellings accepted by each type: see scalars.h.
  absl::StatusOr<bool> GetBool(std::string_view key) const;
  absl::StatusOr<bool> GetBoolOr(std::string_view key, bool default_value) const;
  absl::StatusOr<bool> GetBoolOr(std::string_view key, const char* default_value) const = delete;

  absl::StatusOr<int64_t> GetInt(std::string_view key, IntRange range = {}) const;
  absl::StatusOr<int64_t> GetIntOr(std::string_view key, int64_t default_value, IntRange range = {}) const;

  absl::StatusOr<double> GetDouble(std::string_view key, DoubleRange range = {}) const;
  absl::StatusOr<double> GetDoubleOr(std::string_view key, double default_value, DoubleRange range = {}) const;

  absl::StatusOr<absl::Duration> GetDuration(std::string_view key, DurationRange range = {}) const;
  absl::StatusOr<absl::Duration> GetDurationOr(std::string_view key, absl::Duration default_value,
                                               DurationRange range = {}) const;

  // Bytes; "2 MB" is 2 * 1024 * 1024 (see scalars.h for why).
  absl::StatusOr<uint64_t> GetByteSize(std::string_view key, ByteSizeRange range = {}) const;
  absl::StatusOr<uint64_t> GetByteSizeOr(std::string_view key, uint64_t default_value, ByteSizeRange range = {}) const;

  // A YAML list of single values (`[a, b]` or one "- a" per line). A single value where a list belongs is an
  // error, not a list of one. From the environment, items are separated by commas and/or blanks, empty
  // items dropped: "orderer1:7050, orderer2:7050".
  absl::StatusOr<std::vector<std::string>> GetStringList(std::string_view key) const;
  absl::StatusOr<std::vector<std::string>> GetStringListOr(std::string_view key,
                                                           std::vector<std::string> default_value) const;

  // A nested mapping. GetMapping fails if the file lacks it; GetMappingOrEmpty then returns a node with no
  // file entries whose keys still take environment overrides and defaults. An empty value (`Key:`) is an
  // empty mapping.
  absl::StatusOr<ConfigNode> GetMapping(std::string_view key) const;
  absl::StatusOr<ConfigNode> GetMappingOrEmpty(std::string_view key) const;

  // A list of mappings ("- Name: Org1 ..."), element i at path "key[i]". An empty element is an empty
  // mapping. GetMappingListOrEmpty returns no elements when the file lacks the key.
  absl::StatusOr<std::vector<ConfigNode>> GetMappingList(std::string_view key) const;
  absl::StatusOr<std::vector<ConfigNode>> GetMappingListOrEmpty(std::string_view key) const;

  // The keys this mapping has in the file, in file order, for mappings keyed by names the operator chooses
  // (channels, organizations). Marks nothing as known: read each key with a getter.
  std::vector<std::string> KeysInFile() const;

  // An InvalidArgument in the same format as the getters' errors, pointing at `key`'s value (or the
  // override, or this mapping if `key` is absent), for checks the getters cannot express:
  //   if (max_bytes < preferred) return batch.InvalidValueError("AbsoluteMaxBytes", "must be >= PreferredMaxBytes");
  absl::Status InvalidValueError(std::string_view key, std::string_view explanation) const;

 private:
  friend class ConfigDocument;
  ConfigNode(internal::DocumentState* state, internal::MappingUse* use) : state_(state), use_(use) {}

  internal::DocumentState* state_;  // owned by the ConfigDocument
  internal::MappingUse* use_;       // owned by *state_
};

}  // namespace careledger::config

#endif  // CARELEDGER_COMMON_CONFIG_CONFIG_NODE_H_
