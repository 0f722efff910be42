// Log levels, in increasing severity, and their names.
#ifndef CARELEDGER_COMMON_LOGGING_LEVEL_H_
#define CARELEDGER_COMMON_LOGGING_LEVEL_H_

#include <string_view>

#include "absl/status/statusor.h"

namespace careledger::logging {

// A line is written when its level is at or above the level set for its module. The numeric values order
// the levels and are stored in atomics; they are not a file format.
enum class Level : int {
  kDebug = 0,  // detail for developers: every message, every state transition
  kInfo = 1,   // what an operator wants in the log of a healthy node: blocks committed, leaders elected
  kWarn = 2,   // something is wrong but the node carries on: a peer unreachable, a retry
  kError = 3,  // the node failed to do something it should have: a commit failed, a config was refused
};

// "debug", "info", "warn", "error".
std::string_view LevelName(Level level);

// The inverse of LevelName, ignoring ASCII case; "warning" is accepted for "warn", as Fabric does.
// InvalidArgument naming the text otherwise. Fabric's "dpanic", "panic" and "fatal" are refused with a hint:
// logging never ends the process here.
absl::StatusOr<Level> ParseLevel(std::string_view text);

}  // namespace careledger::logging

#endif  // CARELEDGER_COMMON_LOGGING_LEVEL_H_
