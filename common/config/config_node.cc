#include "common/config/config_node.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/config/document_state.h"
#include "common/config/message_text.h"
#include "common/config/yaml_tree.h"

namespace careledger::config {
namespace {


using internal::DocumentState;
using internal::KeyError;
using internal::MappingEntry;
using internal::MappingUse;
using internal::TreeNode;

constexpr size_t kMaxDisplayedStringBytes = 4096;
constexpr std::string_view kRedacted = "(redacted)";

// Where one key's value is, before any parsing. Asking marks the key known and remembers the name of its
// override variable, so CheckNoUnknownKeys can tell a misspelt variable from one naming a section.
struct Lookup {
  std::string path;
  std::optional<std::string> variable;        // override variable for this key, if overrides apply
  std::optional<std::string> variable_value;  // its value, if set
  const MappingEntry* entry = nullptr;        // the file's entry, if any (its value may be empty)

  bool HasFileValue() const { return entry != nullptr && entry->value->kind != TreeNode::Kind::kNull; }
};

Lookup Find(DocumentState& state, MappingUse& use, std::string_view key) {
  use.AddKnown(key);
  Lookup lookup;
  lookup.path = internal::ChildPath(use.path, key);
  lookup.variable = state.EnvironmentName(lookup.path);
  if (lookup.variable.has_value()) {
    state.known_environment.try_emplace(*lookup.variable, lookup.path);
    lookup.variable_value = state.environment.Get(*lookup.variable);
  }
  if (use.node != nullptr) lookup.entry = use.node->Find(key);
  return lookup;
}

std::string MissingKeyMessage(const Lookup& lookup) {
  if (!lookup.variable.has_value()) return "missing required key";
  return absl::StrCat("missing required key (or set ", *lookup.variable, ")");
}

// The one path every single-value getter takes: override, file, default, or error. `parse` turns text into
// a T or an error message without position; `display` gives the value's form for `config show`.
template <typename T, typename Parse, typename Display>
absl::StatusOr<T> ReadValue(DocumentState& state, MappingUse& use, std::string_view key,
                            const std::optional<T>& default_value, bool secret, Parse parse, Display display) {
  const Lookup lookup = Find(state, use, key);
  auto record = [&](const T& value, EffectiveValue::Source source, std::string origin) {
    state.Record(
        EffectiveValue{lookup.path, secret ? std::string(kRedacted) : display(value), source, std::move(origin)});
  };
  if (lookup.variable_value.has_value()) {
    const std::string where = absl::StrCat("$", *lookup.variable);
    state.consumed_environment.insert(*lookup.variable);
    absl::StatusOr<T> value = parse(*lookup.variable_value);
    if (!value.ok()) return KeyError(where, lookup.path, AsStd(value.status().message()));
    record(*value, EffectiveValue::Source::kEnvironment, where);
    return value;
  }
  if (lookup.HasFileValue()) {
    const TreeNode& node = *lookup.entry->value;
    const std::string where = state.Locate(node.position);
    if (node.kind != TreeNode::Kind::kScalar) {
      return KeyError(where, lookup.path,
                      absl::StrCat("expected a single value, got ", internal::DescribeKind(node.kind)));
    }
    absl::StatusOr<T> value = parse(node.scalar);
    if (!value.ok()) return KeyError(where, lookup.path, AsStd(value.status().message()));
    record(*value, EffectiveValue::Source::kFile, where);
    return value;
  }
  if (default_value.has_value()) {
    record(*default_value, EffectiveValue::Source::kDefault, "default");
    return *default_value;
  }
  if (lookup.entry != nullptr) {
    return KeyError(state.Locate(lookup.entry->key_position), lookup.path, "required key has an empty value");
  }
  return KeyError(state.Locate(use.position), lookup.path, MissingKeyMessage(lookup));
}

absl::Status DefaultOutOfRange(std::string_view path) {
  return absl::InternalError(
      absl::StrCat("the default value of configuration key ", AsAbsl(path), " lies outside its own allowed range"));
}

std::string DisplayString(const std::string& value) {
  return internal::QuoteForMessage(value, kMaxDisplayedStringBytes);
}

std::string DisplayList(const std::vector<std::string>& items) {
  return absl::StrCat(
      "[",
      absl::StrJoin(items, ", ", [](std::string* out, const std::string& item) { out->append(DisplayString(item)); }),
      "]");
}

// Environment form of a list: "a, b c" -> {"a", "b", "c"}.
std::vector<std::string> SplitListOverride(std::string_view text) {
  std::vector<std::string> items;
  std::string current;
  for (const char c : text) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!current.empty()) items.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) items.push_back(std::move(current));
  return items;
}

absl::StatusOr<std::string> AsString(std::string_view text) { return std::string(text); }

std::string DisplayBool(bool value) { return value ? "true" : "false"; }

std::string DisplayInt(int64_t value) { return absl::StrCat(value); }

std::string DisplayDouble(double value) { return absl::StrCat(value); }

std::string DisplayDuration(absl::Duration value) { return absl::FormatDuration(value); }

std::string DisplayByteSize(uint64_t bytes) {
  const std::string short_form = FormatByteSize(bytes);
  const std::string plain = absl::StrCat(bytes);
  if (short_form == absl::StrCat(plain, " B")) return plain;
  return absl::StrCat(plain, " (", short_form, ")");
}

// Lists do not fit ReadValue's single-value shape: the file form is a sequence, the override form a
// separated string, and each item has its own position.
absl::StatusOr<std::vector<std::string>> ReadStringList(DocumentState& state, MappingUse& use, std::string_view key,
                                                        std::optional<std::vector<std::string>> default_value) {
  const Lookup lookup = Find(state, use, key);
  if (lookup.variable_value.has_value()) {
    state.consumed_environment.insert(*lookup.variable);
    std::vector<std::string> items = SplitListOverride(*lookup.variable_value);
    state.Record(EffectiveValue{lookup.path, DisplayList(items), EffectiveValue::Source::kEnvironment,
                                absl::StrCat("$", *lookup.variable)});
    return items;
  }
  if (lookup.HasFileValue()) {
    const TreeNode& node = *lookup.entry->value;
    const std::string where = state.Locate(node.position);
    if (node.kind != TreeNode::Kind::kSequence) {
      std::string message = absl::StrCat("expected a list of values, got ", internal::DescribeKind(node.kind));
      if (node.kind == TreeNode::Kind::kScalar) absl::StrAppend(&message, "; write [value] for a list of one");
      return KeyError(where, lookup.path, message);
    }
    std::vector<std::string> items;
    items.reserve(node.items.size());
    for (size_t i = 0; i < node.items.size(); ++i) {
      const TreeNode& item = *node.items[i];
      if (item.kind != TreeNode::Kind::kScalar) {
        return KeyError(state.Locate(item.position), absl::StrCat(lookup.path, "[", i, "]"),
                        absl::StrCat("expected a single value, got ", internal::DescribeKind(item.kind)));
      }
      items.push_back(item.scalar);
    }
    state.Record(EffectiveValue{lookup.path, DisplayList(items), EffectiveValue::Source::kFile, where});
    return items;
  }
  if (default_value.has_value()) {
    state.Record(EffectiveValue{lookup.path, DisplayList(*default_value), EffectiveValue::Source::kDefault, "default"});
    return *std::move(default_value);
  }
  if (lookup.entry != nullptr) {
    return KeyError(state.Locate(lookup.entry->key_position), lookup.path, "required key has an empty value");
  }
  return KeyError(state.Locate(use.position), lookup.path, MissingKeyMessage(lookup));
}

}  // namespace

const std::string& ConfigNode::path() const { return use_->path; }

bool ConfigNode::Has(std::string_view key) const {
  const Lookup lookup = Find(*state_, *use_, key);
  return lookup.variable_value.has_value() || lookup.HasFileValue();
}

absl::StatusOr<std::string> ConfigNode::GetString(std::string_view key) const {
  return ReadValue<std::string>(*state_, *use_, key, std::nullopt, /*secret=*/false, AsString, DisplayString);
}

absl::StatusOr<std::string> ConfigNode::GetStringOr(std::string_view key, std::string_view default_value) const {
  return ReadValue<std::string>(*state_, *use_, key, std::string(default_value), /*secret=*/false, AsString,
                                DisplayString);
}

absl::StatusOr<std::string> ConfigNode::GetSecretString(std::string_view key) const {
  return ReadValue<std::string>(*state_, *use_, key, std::nullopt, /*secret=*/true, AsString, DisplayString);
}

absl::StatusOr<std::string> ConfigNode::GetSecretStringOr(std::string_view key, std::string_view default_value) const {
  return ReadValue<std::string>(*state_, *use_, key, std::string(default_value), /*secret=*/true, AsString,
                                DisplayString);
}

absl::StatusOr<bool> ConfigNode::GetBool(std::string_view key) const {
  return ReadValue<bool>(*state_, *use_, key, std::nullopt, false, ParseBool, DisplayBool);
}

absl::StatusOr<bool> ConfigNode::GetBoolOr(std::string_view key, bool default_value) const {
  return ReadValue<bool>(*state_, *use_, key, default_value, false, ParseBool, DisplayBool);
}

absl::StatusOr<int64_t> ConfigNode::GetInt(std::string_view key, IntRange range) const {
  return ReadValue<int64_t>(
      *state_, *use_, key, std::nullopt, false, [range](std::string_view text) { return ParseInt(text, range); },
      DisplayInt);
}

absl::StatusOr<int64_t> ConfigNode::GetIntOr(std::string_view key, int64_t default_value, IntRange range) const {
  if (default_value < range.min || default_value > range.max) {
    return DefaultOutOfRange(internal::ChildPath(path(), key));
  }
  return ReadValue<int64_t>(
      *state_, *use_, key, default_value, false, [range](std::string_view text) { return ParseInt(text, range); },
      DisplayInt);
}

absl::StatusOr<double> ConfigNode::GetDouble(std::string_view key, DoubleRange range) const {
  return ReadValue<double>(
      *state_, *use_, key, std::nullopt, false, [range](std::string_view text) { return ParseDouble(text, range); },
      DisplayDouble);
}

absl::StatusOr<double> ConfigNode::GetDoubleOr(std::string_view key, double default_value, DoubleRange range) const {
  if (!(default_value >= range.min && default_value <= range.max)) {
    return DefaultOutOfRange(internal::ChildPath(path(), key));
  }
  return ReadValue<double>(
      *state_, *use_, key, default_value, false, [range](std::string_view text) { return ParseDouble(text, range); },
      DisplayDouble);
}

absl::StatusOr<absl::Duration> ConfigNode::GetDuration(std::string_view key, DurationRange range) const {
  return ReadValue<absl::Duration>(
      *state_, *use_, key, std::nullopt, false, [range](std::string_view text) { return ParseDuration(text, range); },
      DisplayDuration);
}

absl::StatusOr<absl::Duration> ConfigNode::GetDurationOr(std::string_view key, absl::Duration default_value,
                                                         DurationRange range) const {
  if (default_value < range.min || default_value > range.max || default_value == absl::InfiniteDuration()) {
    return DefaultOutOfRange(internal::ChildPath(path(), key));
  }
  return ReadValue<absl::Duration>(
      *state_, *use_, key, default_value, false, [range](std::string_view text) { return ParseDuration(text, range); },
      DisplayDuration);
}

absl::StatusOr<uint64_t> ConfigNode::GetByteSize(std::string_view key, ByteSizeRange range) const {
  return ReadValue<uint64_t>(
      *state_, *use_, key, std::nullopt, false, [range](std::string_view text) { return ParseByteSize(text, range); },
      DisplayByteSize);
}

absl::StatusOr<uint64_t> ConfigNode::GetByteSizeOr(std::string_view key, uint64_t default_value,
                                                   ByteSizeRange range) const {
  if (default_value < range.min || default_value > range.max) {
    return DefaultOutOfRange(internal::ChildPath(path(), key));
  }
  return ReadValue<uint64_t>(
      *state_, *use_, key, default_value, false, [range](std::string_view text) { return ParseByteSize(text, range); },
      DisplayByteSize);
}

absl::StatusOr<std::vector<std::string>> ConfigNode::GetStringList(std::string_view key) const {
  return ReadStringList(*state_, *use_, key, std::nullopt);
}

absl::StatusOr<std::vector<std::string>> ConfigNode::GetStringListOr(std::string_view key,
                                                                     std::vector<std::string> default_value) const {
  return ReadStringList(*state_, *use_, key, std::move(default_value));
}

absl::StatusOr<ConfigNode> ConfigNode::GetMapping(std::string_view key) const {
  const Lookup lookup = Find(*state_, *use_, key);
  if (lookup.entry == nullptr) {
    return KeyError(state_->Locate(use_->position), lookup.path, "missing required section");
  }
  return GetMappingOrEmpty(key);
}

absl::StatusOr<ConfigNode> ConfigNode::GetMappingOrEmpty(std::string_view key) const {
  const Lookup lookup = Find(*state_, *use_, key);
  if (lookup.entry == nullptr) {
    return ConfigNode(state_, &state_->UseMapping(lookup.path, nullptr, use_->position));
  }
  const TreeNode& value = *lookup.entry->value;
  switch (value.kind) {
    case TreeNode::Kind::kNull:
      return ConfigNode(state_, &state_->UseMapping(lookup.path, nullptr, lookup.entry->key_position));
    case TreeNode::Kind::kMapping:
      return ConfigNode(state_, &state_->UseMapping(lookup.path, &value, lookup.entry->key_position));
    default:
      return KeyError(state_->Locate(value.position), lookup.path,
                      absl::StrCat("expected a mapping, got ", internal::DescribeKind(value.kind)));
  }
}

absl::StatusOr<std::vector<ConfigNode>> ConfigNode::GetMappingList(std::string_view key) const {
  const Lookup lookup = Find(*state_, *use_, key);
  if (lookup.entry == nullptr) {
    return KeyError(state_->Locate(use_->position), lookup.path, "missing required list");
  }
  return GetMappingListOrEmpty(key);
}

absl::StatusOr<std::vector<ConfigNode>> ConfigNode::GetMappingListOrEmpty(std::string_view key) const {
  const Lookup lookup = Find(*state_, *use_, key);
  std::vector<ConfigNode> elements;
  if (!lookup.HasFileValue()) return elements;
  const TreeNode& value = *lookup.entry->value;
  if (value.kind != TreeNode::Kind::kSequence) {
    return KeyError(state_->Locate(value.position), lookup.path,
                    absl::StrCat("expected a list of mappings, got ", internal::DescribeKind(value.kind)));
  }
  elements.reserve(value.items.size());
  for (size_t i = 0; i < value.items.size(); ++i) {
    const TreeNode& item = *value.items[i];
    const std::string item_path = absl::StrCat(lookup.path, "[", i, "]");
    if (item.kind != TreeNode::Kind::kMapping && item.kind != TreeNode::Kind::kNull) {
      return KeyError(state_->Locate(item.position), item_path,
                      absl::StrCat("expected a mapping, got ", internal::DescribeKind(item.kind)));
    }
    const TreeNode* mapping = item.kind == TreeNode::Kind::kMapping ? &item : nullptr;
    elements.push_back(ConfigNode(state_, &state_->UseMapping(item_path, mapping, item.position)));
  }
  return elements;
}

std::vector<std::string> ConfigNode::KeysInFile() const {
  std::vector<std::string> keys;
  if (use_->node == nullptr) return keys;
  keys.reserve(use_->node->entries.size());
  for (const MappingEntry& entry : use_->node->entries) keys.push_back(entry.key);
  return keys;
}

absl::Status ConfigNode::InvalidValueError(std::string_view key, std::string_view explanation) const {
  const Lookup lookup = Find(*state_, *use_, key);
  if (lookup.variable_value.has_value()) {
    return KeyError(absl::StrCat("$", *lookup.variable), lookup.path, explanation);
  }
  if (lookup.HasFileValue()) return KeyError(state_->Locate(lookup.entry->value->position), lookup.path, explanation);
  if (lookup.entry != nullptr) return KeyError(state_->Locate(lookup.entry->key_position), lookup.path, explanation);
  return KeyError(state_->Locate(use_->position), lookup.path, explanation);
}

}  // namespace careledger::config
