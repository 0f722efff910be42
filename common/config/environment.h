// The set of environment variables a configuration is read against.
//
// Configuration readers never call getenv(): they are handed an Environment, so tests describe the variables
// they need and never touch the process environment, and a node reads its environment exactly once, at
// start-up, in main().
#ifndef CARELEDGER_COMMON_CONFIG_ENVIRONMENT_H_
#define CARELEDGER_COMMON_CONFIG_ENVIRONMENT_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace careledger::config {

// An immutable name -> value map. Cheap to move; copying copies the map. Thread-compatible.
class Environment {
 public:
  using VariableMap = std::map<std::string, std::string, std::less<>>;

  // No variables: every override lookup misses.
  Environment() = default;
  explicit Environment(VariableMap variables) : variables_(std::move(variables)) {}

  // A snapshot of the process environment (`environ`) at the time of the call. Like getenv(), it must not
  // race with setenv()/putenv() in another thread; call it from main() before starting threads.
  static Environment FromProcess();

  // The value of `name`, or nullopt if it is not set. A variable set to "" is set.
  std::optional<std::string> Get(std::string_view name) const;

  const VariableMap& variables() const { return variables_; }

 private:
  VariableMap variables_;
};

}  // namespace careledger::config

#endif  // CARELEDGER_COMMON_CONFIG_ENVIRONMENT_H_
