// Internal to careledger_config: a YAML document turned into a small immutable tree that keeps the position
// of every key and value. yaml-cpp stays inside yaml_tree.cc.
//
// Why not keep YAML::Node: its accessors throw, it does not say where an empty value was, it silently keeps
// one of two duplicate keys, and walking aliases repeatedly is how "billion laughs" documents exhaust memory.
// Here aliases share one subtree (never copied), duplicates are rejected, and every limit below is checked
// while parsing so hostile input fails with a position instead of exhausting the process.
#ifndef CARELEDGER_COMMON_CONFIG_YAML_TREE_H_
#define CARELEDGER_COMMON_CONFIG_YAML_TREE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace careledger::config::internal {

// 1-based line and column, as editors show them.
struct Position {
  int line = 1;
  int column = 1;
};

struct TreeNode;
using TreeNodePtr = std::shared_ptr<const TreeNode>;

struct MappingEntry {
  std::string key;
  Position key_position;
  TreeNodePtr value;  // never null; an empty value is a kNull node
};

struct TreeNode {
  enum class Kind { kNull, kScalar, kSequence, kMapping };

  Kind kind = Kind::kNull;
  Position position;
  std::string scalar;                 // kScalar: the text, quotes and escapes resolved
  std::vector<TreeNodePtr> items;     // kSequence
  std::vector<MappingEntry> entries;  // kMapping: document order, keys unique, merge keys applied

  // The entry for `key` or nullptr. Linear: configuration mappings are small.
  const MappingEntry* Find(std::string_view key) const;
};

// "a mapping", "a list", "a single value", "an empty value": for messages.
const char* DescribeKind(TreeNode::Kind kind);

// Limits on what ParseYamlTree accepts. Real CareLedger files are a few kilobytes and nest a few levels.
inline constexpr size_t kMaxDocumentBytes = 4 << 20;
inline constexpr int kMaxNestingDepth = 64;
inline constexpr size_t kMaxNodes = 200'000;
inline constexpr size_t kMaxMergedEntries = 100'000;

// Parses one YAML document. The root must be a mapping; an empty document (or a lone "~") is an empty
// mapping at 1:1.
//
// Beyond YAML syntax, InvalidArgument ("<source_name>:<line>:<column>: <what>") when the text is larger than
// kMaxDocumentBytes, is not UTF-8, holds control characters other than tab/CR/LF, holds more than one
// document, nests deeper than kMaxNestingDepth, has more than kMaxNodes nodes, repeats a key in one mapping,
// uses a null or non-scalar mapping key, uses a tag outside YAML's standard "!!" set, or has an alias inside
// the node it refers to.
//
// YAML merge keys ("<<: *defaults", "<<: [*a, *b]"), which yaml-cpp does not resolve but Fabric's
// configtx.yaml relies on, are applied: keys written in the mapping win over merged ones, and earlier
// sources win over later ones. At most kMaxMergedEntries entries are merged per document.
absl::StatusOr<TreeNodePtr> ParseYamlTree(std::string_view text, std::string_view source_name);

}  // namespace careledger::config::internal

#endif  // CARELEDGER_COMMON_CONFIG_YAML_TREE_H_
