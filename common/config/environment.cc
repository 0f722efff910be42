#include "common/config/environment.h"

#include <unistd.h>  // environ

#include <utility>

namespace careledger::config {

Environment Environment::FromProcess() {
  VariableMap variables;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const size_t equals = text.find('=');
    // Entries without '=' are malformed but possible (execve takes any strings); they name nothing.
    if (equals == std::string_view::npos || equals == 0) continue;
    variables.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return Environment(std::move(variables));
}

std::optional<std::string> Environment::Get(std::string_view name) const {
  const auto it = variables_.find(name);
  if (it == variables_.end()) return std::nullopt;
  return it->second;
}

}  // namespace careledger::config
