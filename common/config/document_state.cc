#include "common/config/document_state.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/config/message_text.h"

namespace careledger::config::internal {
namespace {}  // namespace

bool MappingUse::IsKnown(std::string_view key) const {
  return std::find(known_keys.begin(), known_keys.end(), key) != known_keys.end();
}

void MappingUse::AddKnown(std::string_view key) {
  if (!IsKnown(key)) known_keys.emplace_back(key);
}

MappingUse& DocumentState::UseMapping(const std::string& path, const TreeNode* node, Position position) {
  auto [it, inserted] = mappings.try_emplace(path);
  if (inserted) {
    it->second.path = path;
    it->second.node = node;
    it->second.position = position;
  }
  return it->second;
}

std::optional<std::string> DocumentState::EnvironmentName(std::string_view path) const {
  if (environment_prefix.empty() || path.find('[') != std::string_view::npos) return std::nullopt;
  std::string name = absl::StrCat(environment_prefix, "_");
  for (const char c : path) {
    name += (c == '.' || c == '-') ? '_' : absl::ascii_toupper(static_cast<unsigned char>(c));
  }
  return name;
}

std::string DocumentState::Locate(Position position) const {
  return absl::StrCat(source_name, ":", position.line, ":", position.column);
}

void DocumentState::Record(EffectiveValue value) {
  const auto [it, inserted] = effective_index.try_emplace(value.path, effective.size());
  if (inserted) {
    effective.push_back(std::move(value));
  } else {
    effective[it->second] = std::move(value);
  }
}

std::string ChildPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return absl::StrCat(AsAbsl(parent), ".", AsAbsl(key));
}

absl::Status KeyError(std::string_view where, std::string_view path, std::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(AsAbsl(where), ": ", EscapeControlBytes(path), ": ", AsAbsl(message)));
}

}  // namespace careledger::config::internal
