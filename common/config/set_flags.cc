#include "common/config/set_flags.h"


#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/strings.h"

namespace careledger::config {
namespace {

bool IsKeyPath(std::string_view key) {
  if (key.empty()) return false;
  for (absl::string_view name : absl::StrSplit(AsAbsl(key), '.')) {
    if (name.empty() || !absl::ascii_isalpha(static_cast<unsigned char>(name.front()))) return false;
    for (char c : name) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<Environment> ApplySetFlags(const Environment& environment, std::string_view prefix,
                                          const std::vector<std::string>& sets) {
  Environment::VariableMap variables = environment.variables();
  for (const std::string& set : sets) {
    const size_t equals = set.find('=');
    const std::string_view key = std::string_view(set).substr(0, equals);
    if (equals == std::string::npos || !IsKeyPath(key)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--set '", set, "': expected Key.Path=value, e.g. General.ListenPort=7060"));
    }
    std::string variable = absl::StrCat(AsAbsl(prefix), "_", absl::AsciiStrToUpper(AsAbsl(key)));
    absl::c_replace(variable, '.', '_');
    variables[std::move(variable)] = set.substr(equals + 1);
  }
  return Environment(std::move(variables));
}

}  // namespace careledger::config
