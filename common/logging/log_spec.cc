#include "common/logging/log_spec.h"

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/strings.h"
#include "common/logging/text_escaping.h"

namespace careledger::logging {
namespace {

std::string_view Strip(std::string_view text) { return AsStd(absl::StripAsciiWhitespace(AsAbsl(text))); }

bool IsSegmentByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

absl::Status TermError(std::string_view spec, size_t term_number, std::string_view term, std::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("invalid logging spec ", internal::Quote(spec), ": term ", term_number,
                                                 " ", internal::Quote(term), ": ", AsAbsl(reason)));
}

}  // namespace

bool IsValidModuleName(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '.') return false;
  char previous = '\0';
  for (const char c : name) {
    if (c == '.' ? previous == '.' : !IsSegmentByte(c)) return false;
    previous = c;
  }
  return true;
}

absl::StatusOr<LogSpec> LogSpec::Parse(std::string_view spec) {
  LogSpec result;
  if (Strip(spec).empty()) return result;
  bool has_default = false;
  size_t term_number = 0;
  for (const absl::string_view raw_term : absl::StrSplit(AsAbsl(spec), ':')) {
    ++term_number;
    const std::string_view term = Strip(AsStd(raw_term));
    if (term.empty()) return TermError(spec, term_number, term, "empty term (two ':' in a row, or one at an end)");
    const size_t equals = term.find('=');
    const std::string_view level_text = Strip(equals == std::string_view::npos ? term : term.substr(equals + 1));
    const absl::StatusOr<Level> level = ParseLevel(level_text);
    if (!level.ok()) return TermError(spec, term_number, term, AsStd(level.status().message()));
    if (equals == std::string_view::npos) {
      if (has_default) {
        return TermError(spec, term_number, term,
                         absl::StrCat("the default level is given twice (", AsAbsl(LevelName(result.default_level_)),
                                      " and ", AsAbsl(LevelName(*level)), ")"));
      }
      has_default = true;
      result.default_level_ = *level;
      continue;
    }
    for (const absl::string_view raw_name : absl::StrSplit(AsAbsl(term.substr(0, equals)), ',')) {
      const std::string_view name = Strip(AsStd(raw_name));
      if (!IsValidModuleName(name)) {
        return TermError(spec, term_number, term,
                         absl::StrCat("invalid module name ", internal::Quote(name),
                                      " (expected names like orderer.raft: letters, digits, '_' and '-', "
                                      "joined by single dots)"));
      }
      if (!result.module_levels_.emplace(std::string(name), *level).second) {
        return TermError(spec, term_number, term, absl::StrCat("module ", AsAbsl(name), " is given a level twice"));
      }
    }
  }
  return result;
}

Level LogSpec::LevelFor(std::string_view module) const {
  // Walk up the dotted name: "peer.gossip.pull", then "peer.gossip", then "peer".
  std::string_view name = module;
  while (!name.empty()) {
    const auto it = module_levels_.find(name);
    if (it != module_levels_.end()) return it->second;
    const size_t dot = name.rfind('.');
    if (dot == std::string_view::npos) break;
    name = name.substr(0, dot);
  }
  return default_level_;
}

std::string LogSpec::ToString() const {
  std::vector<std::string> terms;
  for (const Level level : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    std::vector<std::string> names;
    for (const auto& [name, module_level] : module_levels_) {
      if (module_level == level) names.push_back(name);
    }
    if (!names.empty()) terms.push_back(absl::StrCat(absl::StrJoin(names, ","), "=", AsAbsl(LevelName(level))));
  }
  terms.emplace_back(LevelName(default_level_));
  return absl::StrJoin(terms, ":");
}

}  // namespace careledger::logging
