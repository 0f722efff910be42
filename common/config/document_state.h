// Internal to careledger_config: what a ConfigDocument knows and what its ConfigNodes have read.
//
// Shared by config_node.cc (which reads and records) and config_document.cc (which reports unknown keys and
// the effective configuration). Not thread-safe, like the ConfigDocument that owns it.
#ifndef CARELEDGER_COMMON_CONFIG_DOCUMENT_STATE_H_
#define CARELEDGER_COMMON_CONFIG_DOCUMENT_STATE_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/config/effective_value.h"
#include "common/config/environment.h"
#include "common/config/yaml_tree.h"

namespace careledger::config::internal {

// What the program asked of one mapping. Created when the first ConfigNode for its path is handed out.
struct MappingUse {
  std::string path;                     // "General.Cluster", "Organizations[0]"; "" for the root
  const TreeNode* node = nullptr;       // the mapping in the file, or null if the file has none
  Position position;                    // where "missing key" errors point: the mapping's key, or the
                                        // nearest ancestor the file has
  std::vector<std::string> known_keys;  // keys the program asked about, first-asked first, no repeats

  bool IsKnown(std::string_view key) const;
  void AddKnown(std::string_view key);
};

struct DocumentState {
  std::string source_name;
  TreeNodePtr root;
  std::string environment_prefix;  // "" turns overrides off
  Environment environment;

  std::map<std::string, MappingUse> mappings;            // by path; std::map keeps addresses stable
  std::vector<EffectiveValue> effective;                 // in first-read order
  std::map<std::string, size_t> effective_index;         // path -> index in `effective`
  std::map<std::string, std::string> known_environment;  // variable -> key path the program asked about
  std::set<std::string> consumed_environment;            // variables whose value was used

  // The use record for `path`; created with `node` and `position` on the first call.
  MappingUse& UseMapping(const std::string& path, const TreeNode* node, Position position);

  // PREFIX_PATH_IN_UPPER_CASE, '.' and '-' becoming '_': "CORE_PEER_LISTENADDRESS" for
  // "peer.listenAddress". Nullopt when overrides are off or the path is inside a list ("Orgs[0].Name").
  std::optional<std::string> EnvironmentName(std::string_view path) const;

  // "orderer.yaml:12:3".
  std::string Locate(Position position) const;

  // Adds or replaces the effective value of `value.path`.
  void Record(EffectiveValue value);
};

// "General.Cluster" + "SendBufferSize" -> "General.Cluster.SendBufferSize"; "" + "General" -> "General".
std::string ChildPath(std::string_view parent, std::string_view key);

// InvalidArgument "<where>: <path>: <message>", the path escaped (keys can come from the file).
absl::Status KeyError(std::string_view where, std::string_view path, std::string_view message);

}  // namespace careledger::config::internal

#endif  // CARELEDGER_COMMON_CONFIG_DOCUMENT_STATE_H_
