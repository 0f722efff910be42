#include "common/config/config_document.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/config/document_state.h"
#include "common/config/message_text.h"
#include "common/config/spelling.h"
#include "common/config/yaml_tree.h"
#include "common/status_macros.h"

namespace careledger::config {
namespace {

using internal::DocumentState;
using internal::MappingEntry;
using internal::MappingUse;

constexpr size_t kMaxReportedProblems = 50;

// Reads at most kMaxDocumentBytes + 1 bytes, enough for ParseYamlTree to report an oversized file without
// this reading a runaway one (a device, a fifo) to the end.
absl::StatusOr<std::string> ReadFileText(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    return absl::ErrnoToStatus(error, absl::StrCat(path, ": cannot open"));
  }
  std::string text;
  char buffer[64 * 1024];
  while (text.size() <= internal::kMaxDocumentBytes) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      close(fd);
      return absl::ErrnoToStatus(error, absl::StrCat(path, ": cannot read"));
    }
    text.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return text;
}

struct Problem {
  int group;  // 0: a key in the file; 1: an environment variable
  internal::Position position;
  std::string text;
};

void AddUnknownKeys(const DocumentState& state, const MappingUse& use, std::vector<Problem>& problems) {
  if (use.node == nullptr) return;
  for (const MappingEntry& entry : use.node->entries) {
    if (use.IsKnown(entry.key)) continue;
    std::string text =
        absl::StrCat(state.Locate(entry.key_position), ": ",
                     internal::EscapeControlBytes(internal::ChildPath(use.path, entry.key)), ": unknown key");
    if (const auto suggestion = internal::ClosestSpelling(entry.key, use.known_keys)) {
      absl::StrAppend(&text, "; did you mean '", internal::EscapeControlBytes(*suggestion), "'?");
    }
    problems.push_back(Problem{0, entry.key_position, std::move(text)});
  }
}

void AddUnusedVariables(const DocumentState& state, std::vector<Problem>& problems) {
  if (state.environment_prefix.empty()) return;
  const std::string prefix = absl::StrCat(state.environment_prefix, "_");
  std::vector<std::string> candidates;
  for (const auto& [variable, path] : state.known_environment) candidates.push_back(variable);
  for (const auto& [variable, value] : state.environment.variables()) {
    if (variable.rfind(prefix, 0) != 0 || state.consumed_environment.count(variable) > 0) continue;
    const std::string where = absl::StrCat("$", internal::EscapeControlBytes(variable));
    std::string text;
    if (const auto known = state.known_environment.find(variable); known != state.known_environment.end()) {
      text = absl::StrCat(where, ": ", internal::EscapeControlBytes(known->second),
                          " cannot be set from the environment, only the single values and lists in it");
    } else {
      text = absl::StrCat(where, ": no configuration key has this variable");
      if (const auto suggestion = internal::ClosestSpelling(variable, candidates)) {
        absl::StrAppend(&text, "; did you mean '", *suggestion, "'?");
      }
    }
    problems.push_back(Problem{1, internal::Position{}, std::move(text)});
  }
}

}  // namespace

ConfigDocument::ConfigDocument(std::unique_ptr<DocumentState> state) : state_(std::move(state)) {}
ConfigDocument::ConfigDocument(ConfigDocument&&) noexcept = default;
ConfigDocument& ConfigDocument::operator=(ConfigDocument&&) noexcept = default;
ConfigDocument::~ConfigDocument() = default;

absl::StatusOr<ConfigDocument> ConfigDocument::Load(const std::string& path, LoadOptions options) {
  ASSIGN_OR_RETURN(const std::string text, ReadFileText(path));
  return Parse(text, path, std::move(options));
}

absl::StatusOr<ConfigDocument> ConfigDocument::Parse(std::string_view text, std::string_view source_name,
                                                     LoadOptions options) {
  ASSIGN_OR_RETURN(internal::TreeNodePtr root, internal::ParseYamlTree(text, source_name));
  auto state = std::make_unique<DocumentState>();
  state->source_name = std::string(source_name);
  state->root = std::move(root);
  state->environment_prefix = std::move(options.environment_prefix);
  state->environment = std::move(options.environment);
  return ConfigDocument(std::move(state));
}

ConfigNode ConfigDocument::Root() {
  return ConfigNode(state_.get(), &state_->UseMapping("", state_->root.get(), internal::Position{}));
}

absl::Status ConfigDocument::CheckNoUnknownKeys() const {
  std::vector<Problem> problems;
  for (const auto& [path, use] : state_->mappings) AddUnknownKeys(*state_, use, problems);
  AddUnusedVariables(*state_, problems);
  if (problems.empty()) return absl::OkStatus();

  std::sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    return std::tie(a.group, a.position.line, a.position.column, a.text) <
           std::tie(b.group, b.position.line, b.position.column, b.text);
  });
  std::vector<std::string> lines;
  for (size_t i = 0; i < problems.size() && i < kMaxReportedProblems; ++i) lines.push_back(problems[i].text);
  if (problems.size() > kMaxReportedProblems) {
    lines.push_back(absl::StrCat("... and ", problems.size() - kMaxReportedProblems, " more"));
  }
  return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
}

std::vector<EffectiveValue> ConfigDocument::EffectiveValues() const { return state_->effective; }

std::string ConfigDocument::FormatEffectiveValues() const {
  std::string out;
  for (const EffectiveValue& value : state_->effective) {
    absl::StrAppend(&out, internal::EscapeControlBytes(value.path), ": ", value.value, "  # ",
                    internal::EscapeControlBytes(value.origin), "\n");
  }
  return out;
}

const std::string& ConfigDocument::source_name() const { return state_->source_name; }

}  // namespace careledger::config
