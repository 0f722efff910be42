// Logger: structured, levelled logging for one module.
//
//   Logger log("orderer.raft");                       // once, e.g. as a member; module names are dotted
//   log.Info("leader elected", {{"channel", channel}, {"term", term}, {"node", node_id}});
//   log.Error("commit failed", {{"block", number}, {"error", status}});
//
// writes
//
//   2026-11-24T13:45:00.123456Z INFO  orderer.raft leader elected channel=healthchannel term=4 node=orderer1
//
// (format in line_format.h, field types in field.h). The level of each module comes from the Registry's
// LogSpec and can change at any time from any thread.
//
// Cost: a statement below the module's level is one relaxed atomic load and a compare; nothing is formatted
// or allocated. Its arguments are still evaluated, so guard expensive ones:
//   if (log.IsEnabled(Level::kDebug)) log.Debug("state", {{"dump", ExpensiveDump()}});
// An enabled statement formats the line into one string and hands it to the sink in one call (one write(2)
// for the default sink), so lines from concurrent threads do not interleave (limits in sink.h).
//
// A Logger is a small copyable value; copies share the module. Constructing one takes the Registry's lock
// once, so keep Loggers in members or function-local statics rather than building one per statement.
// Thread-safe; the Registry must outlive it (the global one lives forever).
#ifndef CARELEDGER_COMMON_LOGGING_LOGGER_H_
#define CARELEDGER_COMMON_LOGGING_LOGGER_H_

#include <atomic>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "common/logging/field.h"
#include "common/logging/level.h"
#include "common/logging/registry.h"

namespace careledger::logging {

class Logger {
 public:
  // A logger for `module` ("orderer.raft", "peer.gossip"; see log_spec.h for the name syntax, which the
  // spec's module terms match against). A malformed name still logs, with odd bytes shown as '_'.
  explicit Logger(std::string_view module, Registry& registry = Registry::Global());

  // A logger for the same module that adds `fields` to every line, after the message and before the
  // statement's own fields: `Logger chain_log = log.With({{"channel", channel_id}});`. The fields are
  // formatted now, once, so their values need not outlive this call.
  Logger With(std::initializer_list<Field> fields) const;

  const std::string& module() const { return module_->name; }

  bool IsEnabled(Level level) const {
    return static_cast<int>(level) >= module_->level.load(std::memory_order_relaxed);
  }

  void Debug(std::string_view message, std::initializer_list<Field> fields = {}) const {
    if (IsEnabled(Level::kDebug)) Emit(Level::kDebug, message, fields);
  }
  void Info(std::string_view message, std::initializer_list<Field> fields = {}) const {
    if (IsEnabled(Level::kInfo)) Emit(Level::kInfo, message, fields);
  }
  void Warn(std::string_view message, std::initializer_list<Field> fields = {}) const {
    if (IsEnabled(Level::kWarn)) Emit(Level::kWarn, message, fields);
  }
  void Error(std::string_view message, std::initializer_list<Field> fields = {}) const {
    if (IsEnabled(Level::kError)) Emit(Level::kError, message, fields);
  }
  void Log(Level level, std::string_view message, std::initializer_list<Field> fields = {}) const {
    if (IsEnabled(level)) Emit(level, message, fields);
  }

 private:
  // Formats and writes one line; out of line so the inline fast path stays small.
  void Emit(Level level, std::string_view message, std::initializer_list<Field> fields) const;

  Registry* registry_;
  const internal::ModuleEntry* module_;
  std::shared_ptr<const std::string> context_;  // formatted With() fields, or null
};

}  // namespace careledger::logging

#endif  // CARELEDGER_COMMON_LOGGING_LOGGER_H_
