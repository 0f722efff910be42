#include "common/config/yaml_tree.h"

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/emitterstyle.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/encoding/utf8.h"
#include "common/config/message_text.h"
#include "common/status_macros.h"

namespace careledger::config::internal {
namespace {

absl::Status ErrorAt(std::string_view source_name, Position position, std::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(AsAbsl(source_name), ":", position.line, ":", position.column, ": ", AsAbsl(message)));
}

// Refuses what yaml-cpp should never see: oversized input, bytes that are not UTF-8 text, and control
// characters (a NUL or an escape sequence in a config file is damage or an attack, never intent).
// On success, `end` is the position just past the text, used when yaml-cpp reports no position.
absl::Status CheckText(std::string_view text, std::string_view source_name, Position& end) {
  if (text.size() > kMaxDocumentBytes) {
    return ErrorAt(source_name, Position{},
                   absl::StrCat("document is ", text.size(), " bytes, more than the ", kMaxDocumentBytes,
                                " a configuration file may have"));
  }
  Position at;
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    size_t length = 1;
    if (byte >= 0x80) {
      uint32_t code_point;
      length = DecodeUtf8Sequence(text, i, &code_point);
      if (length == 0) return ErrorAt(source_name, at, "the file is not valid UTF-8 text");
    } else if ((byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof(hex), "0x%02x", byte);
      return ErrorAt(source_name, at, absl::StrCat("control character ", hex, " is not allowed"));
    }
    if (byte == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
    i += length;
  }
  end = at;
  return absl::OkStatus();
}

bool IsStandardTag(const std::string& tag) {
  // yaml-cpp reports "?" for plain and "!" for quoted untagged nodes, and expands "!!x" to the URI below.
  return tag.empty() || tag == "?" || tag == "!" || tag.rfind("tag:yaml.org,2002:", 0) == 0;
}

// Receives yaml-cpp's parse events for one document and assembles the tree. After the first error it
// ignores every further event: yaml-cpp keeps going until it finishes or throws, and the first problem is
// the one worth reporting.
class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(std::string_view source_name, Position end) : source_name_(source_name), end_(end) {}

  const absl::Status& status() const { return status_; }
  TreeNodePtr root() const { return root_; }
  Position PositionOf(const YAML::Mark& mark) const {
    if (mark.is_null()) return end_;
    return Position{mark.line + 1, mark.column + 1};
  }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnAnchor(const YAML::Mark&, const std::string& name) override { pending_anchor_name_ = name; }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (!status_.ok()) return;
    std::shared_ptr<TreeNode> node = NewNode(TreeNode::Kind::kNull, mark, anchor);
    if (node != nullptr) Complete(std::move(node), anchor, /*plain=*/false);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (!status_.ok()) return;
    if (anchor < anchors_.size() && anchors_[anchor] != nullptr) {
      Complete(anchors_[anchor], /*anchor=*/0, /*plain=*/false);
      return;
    }
    // yaml-cpp itself rejects aliases to anchors not yet seen; an anchor that is seen but not complete is
    // an ancestor of this alias, which would make the tree infinite.
    const std::string name = anchor < anchor_names_.size() ? anchor_names_[anchor] : std::string();
    Fail(PositionOf(mark), absl::StrCat("alias *", EscapeControlBytes(name),
                                        " is used inside the node it refers to (a recursive alias)"));
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (!status_.ok() || !CheckTag(mark, tag)) return;
    std::shared_ptr<TreeNode> node = NewNode(TreeNode::Kind::kScalar, mark, anchor);
    if (node == nullptr) return;
    node->scalar = value;
    Complete(std::move(node), anchor, /*plain=*/tag == "?");
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    if (!status_.ok() || !CheckTag(mark, tag)) return;
    Open(TreeNode::Kind::kSequence, mark, anchor);
  }

  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    if (!status_.ok() || !CheckTag(mark, tag)) return;
    Open(TreeNode::Kind::kMapping, mark, anchor);
  }

  void OnMapEnd() override { Close(); }

 private:
  // A sequence or mapping whose end has not been seen yet.
  struct OpenCollection {
    std::shared_ptr<TreeNode> node;
    YAML::anchor_t anchor = 0;
    // Mappings only: the key waiting for its value, keys seen so far, and the sources of "<<".
    bool has_key = false;
    bool key_is_merge = false;
    std::string key;
    Position key_position;
    std::unordered_map<std::string, Position> seen_keys;
    bool saw_merge_key = false;
    std::vector<TreeNodePtr> merge_sources;
  };

  void Fail(Position position, std::string_view message) {
    if (status_.ok()) status_ = ErrorAt(source_name_, position, message);
  }

  bool CheckTag(const YAML::Mark& mark, const std::string& tag) {
    if (IsStandardTag(tag)) return true;
    Fail(PositionOf(mark),
         absl::StrCat("unsupported tag ", QuoteForMessage(tag), " (only YAML's standard !! tags are allowed)"));
    return false;
  }

  std::shared_ptr<TreeNode> NewNode(TreeNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (++node_count_ > kMaxNodes) {
      Fail(PositionOf(mark), absl::StrCat("the document has more than ", kMaxNodes, " values"));
      return nullptr;
    }
    if (anchor != 0) {
      if (anchor_names_.size() <= anchor) anchor_names_.resize(anchor + 1);
      anchor_names_[anchor] = pending_anchor_name_;
    }
    auto node = std::make_shared<TreeNode>();
    node->kind = kind;
    node->position = PositionOf(mark);
    return node;
  }

  void Open(TreeNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (open_.size() >= static_cast<size_t>(kMaxNestingDepth)) {
      Fail(PositionOf(mark), absl::StrCat("nesting is deeper than ", kMaxNestingDepth, " levels"));
      return;
    }
    std::shared_ptr<TreeNode> node = NewNode(kind, mark, anchor);
    if (node == nullptr) return;
    open_.push_back(OpenCollection{});
    open_.back().node = std::move(node);
    open_.back().anchor = anchor;
  }

  void Close() {
    if (!status_.ok() || open_.empty()) return;
    OpenCollection collection = std::move(open_.back());
    open_.pop_back();
    for (const TreeNodePtr& source : collection.merge_sources) {
      for (const MappingEntry& entry : source->entries) {
        if (!collection.seen_keys.emplace(entry.key, entry.key_position).second) continue;
        if (++merged_entries_ > kMaxMergedEntries) {
          Fail(collection.node->position,
               absl::StrCat("merge keys (<<) copy more than ", kMaxMergedEntries, " entries"));
          return;
        }
        collection.node->entries.push_back(entry);
      }
    }
    Complete(std::move(collection.node), collection.anchor, /*plain=*/false);
  }

  // Attaches a finished node to its parent: an item of a sequence, or alternately a key and a value of a
  // mapping. `plain` says the node was an untagged, unquoted scalar, which is what makes "<<" a merge key.
  void Complete(TreeNodePtr node, YAML::anchor_t anchor, bool plain) {
    if (anchor != 0) {
      if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
      anchors_[anchor] = node;
    }
    if (open_.empty()) {
      root_ = std::move(node);
      return;
    }
    OpenCollection& parent = open_.back();
    if (parent.node->kind == TreeNode::Kind::kSequence) {
      parent.node->items.push_back(std::move(node));
      return;
    }
    if (!parent.has_key) {
      AcceptKey(parent, *node, plain);
      return;
    }
    parent.has_key = false;
    if (parent.key_is_merge) {
      AcceptMergeSource(parent, std::move(node));
      return;
    }
    const auto [first, inserted] = parent.seen_keys.emplace(parent.key, parent.key_position);
    if (!inserted) {
      Fail(parent.key_position, absl::StrCat("duplicate key ", QuoteForMessage(parent.key), " (first at line ",
                                             first->second.line, ", column ", first->second.column, ")"));
      return;
    }
    parent.node->entries.push_back(MappingEntry{std::move(parent.key), parent.key_position, std::move(node)});
  }

  void AcceptKey(OpenCollection& parent, const TreeNode& key, bool plain) {
    if (key.kind == TreeNode::Kind::kNull) {
      Fail(key.position, "a mapping key is empty or null (~, null, Null, NULL); quote it if it is a name");
      return;
    }
    if (key.kind != TreeNode::Kind::kScalar) {
      Fail(key.position, absl::StrCat("a mapping key must be a single value, not ", DescribeKind(key.kind)));
      return;
    }
    parent.has_key = true;
    parent.key = key.scalar;
    parent.key_position = key.position;
    parent.key_is_merge = plain && key.scalar == "<<";
    if (parent.key_is_merge) {
      if (parent.saw_merge_key) Fail(key.position, "duplicate merge key <<; list the sources as <<: [*a, *b]");
      parent.saw_merge_key = true;
    }
  }

  void AcceptMergeSource(OpenCollection& parent, TreeNodePtr value) {
    if (value->kind == TreeNode::Kind::kMapping) {
      parent.merge_sources.push_back(std::move(value));
      return;
    }
    if (value->kind == TreeNode::Kind::kSequence) {
      for (const TreeNodePtr& item : value->items) {
        if (item->kind != TreeNode::Kind::kMapping) {
          Fail(item->position,
               absl::StrCat("a merge key (<<) list may hold only mappings, not ", DescribeKind(item->kind)));
          return;
        }
        parent.merge_sources.push_back(item);
      }
      return;
    }
    Fail(value->position,
         absl::StrCat("a merge key (<<) takes a mapping or a list of mappings, not ", DescribeKind(value->kind)));
  }

  std::string_view source_name_;
  Position end_;
  absl::Status status_;
  TreeNodePtr root_;
  std::vector<OpenCollection> open_;
  std::vector<TreeNodePtr> anchors_;       // by yaml-cpp anchor id; null while the anchored node is open
  std::vector<std::string> anchor_names_;  // by yaml-cpp anchor id
  std::string pending_anchor_name_;
  size_t node_count_ = 0;
  size_t merged_entries_ = 0;
};

// Sees only whether a further document begins, and where.
class DocumentStartProbe final : public YAML::EventHandler {
 public:
  bool started = false;
  YAML::Mark start;

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (!started) start = mark;
    started = true;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

const MappingEntry* TreeNode::Find(std::string_view key) const {
  for (const MappingEntry& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

const char* DescribeKind(TreeNode::Kind kind) {
  switch (kind) {
    case TreeNode::Kind::kNull:
      return "an empty value";
    case TreeNode::Kind::kScalar:
      return "a single value";
    case TreeNode::Kind::kSequence:
      return "a list";
    case TreeNode::Kind::kMapping:
      return "a mapping";
  }
  return "an unknown kind of node";
}

absl::StatusOr<TreeNodePtr> ParseYamlTree(std::string_view text, std::string_view source_name) {
  Position end;
  RETURN_IF_ERROR(CheckText(text, source_name, end));

  std::istringstream input{std::string(text)};
  TreeBuilder builder(source_name, end);
  try {
    YAML::Parser parser(input);
    const bool had_document = parser.HandleNextDocument(builder);
    if (!builder.status().ok()) return builder.status();
    // Ask for exactly one more document: yaml-cpp reports an endless run of empty documents after some
    // stray top-level characters (a lone ","), so never loop over documents.
    DocumentStartProbe probe;
    if (had_document && parser.HandleNextDocument(probe)) {
      return ErrorAt(source_name, builder.PositionOf(probe.start),
                     "a second YAML document starts here; a configuration file holds exactly one");
    }
  } catch (const YAML::Exception& e) {
    if (!builder.status().ok()) return builder.status();
    return ErrorAt(source_name, builder.PositionOf(e.mark), absl::StrCat("invalid YAML: ", EscapeControlBytes(e.msg)));
  } catch (const std::exception& e) {
    return ErrorAt(source_name, end, absl::StrCat("cannot parse YAML: ", e.what()));
  }

  TreeNodePtr root = builder.root();
  if (root == nullptr || root->kind == TreeNode::Kind::kNull) {
    auto empty = std::make_shared<TreeNode>();
    empty->kind = TreeNode::Kind::kMapping;
    return TreeNodePtr(std::move(empty));
  }
  if (root->kind != TreeNode::Kind::kMapping) {
    return ErrorAt(source_name, root->position,
                   absl::StrCat("the top level must be a mapping of keys to values, not ", DescribeKind(root->kind)));
  }
  return root;
}

}  // namespace careledger::config::internal
