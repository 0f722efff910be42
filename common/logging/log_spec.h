// LogSpec: which level each module logs at, written as in Fabric's FABRIC_LOGGING_SPEC.
//
//   "info"                                  every module at info
//   "warn:orderer.raft=debug:peer.gossip=error"
//   "gossip,msp=debug:info"                 several modules may share one level
//
// Terms are separated by ':'. A term "<level>" sets the default level; a term "<module>[,<module>...]=<level>"
// sets the level of those modules and of every module below them ("peer" covers "peer.gossip" and
// "peer.gossip.pull"; the longest matching name wins). Module names are one or more segments of
// [A-Za-z0-9_-] joined by '.'. Blanks around terms, names and levels are ignored. An empty spec is "info".
//
// A value type; thread-compatible.
#ifndef CARELEDGER_COMMON_LOGGING_LOG_SPEC_H_
#define CARELEDGER_COMMON_LOGGING_LOG_SPEC_H_

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/logging/level.h"

namespace careledger::logging {

class LogSpec {
 public:
  // Everything at info.
  LogSpec() = default;

  // Parses a spec. InvalidArgument, quoting the spec and naming the offending term (1-based), when a term is
  // empty ("info::x=debug", a trailing ':'), a level is unknown, a module name is malformed or empty, the
  // default level is given twice, or one module is given two levels:
  //   invalid logging spec "warn:orderer.raft=verbose": term 2 "orderer.raft=verbose": unknown log level
  //   "verbose" (expected debug, info, warn or error)
  static absl::StatusOr<LogSpec> Parse(std::string_view spec);

  // The level for `module`: that of the longest configured name equal to it or a dot-prefix of it, else the
  // default.
  Level LevelFor(std::string_view module) const;

  Level default_level() const { return default_level_; }

  // Canonical text that Parse turns back into an equal spec: one term per level used, from debug to error,
  // naming its modules in sorted order, then the default: "orderer.raft,policies=debug:peer.gossip=error:warn".
  std::string ToString() const;

  friend bool operator==(const LogSpec& a, const LogSpec& b) = default;

 private:
  Level default_level_ = Level::kInfo;
  std::map<std::string, Level, std::less<>> module_levels_;
};

// True if `name` is a well-formed module name (see above).
bool IsValidModuleName(std::string_view name);

}  // namespace careledger::logging

#endif  // CARELEDGER_COMMON_LOGGING_LOG_SPEC_H_
