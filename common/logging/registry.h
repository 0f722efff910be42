// Registry: the logging configuration of a process, the one piece of process-wide state CareLedger allows.
//
// Why a global here and nowhere else: every module logs, from every thread, and an operator changes levels
// at run time through one endpoint. Passing a logging context through every constructor in the code base
// would buy nothing but noise. So the global holds only logging configuration: per-module levels (from a
// LogSpec) and the sink. Nothing else may hang off it, and everything else is passed explicitly.
//
// Registry::Global() is what Loggers use by default. Tests that need isolation construct their own Registry
// and pass it to Logger; tests that must use the global one restore it (SetSink(nullptr), SetSpec("info")).
//
// Thread-safety: all methods are thread-safe. Level changes are seen by other threads' next log statement
// (a relaxed atomic per module: no lock on the logging path). The Registry must outlive its Loggers; the
// global one is never destroyed, so logging during static destruction and from detached threads is safe.
#ifndef CARELEDGER_COMMON_LOGGING_REGISTRY_H_
#define CARELEDGER_COMMON_LOGGING_REGISTRY_H_

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/logging/level.h"
#include "common/logging/log_spec.h"
#include "common/logging/sink.h"

namespace careledger::logging {

namespace internal {

// One per module name, created on first use and never freed before its Registry, so Loggers may point at it.
struct ModuleEntry {
  ModuleEntry(std::string module_name, Level initial)
      : name(std::move(module_name)), level(static_cast<int>(initial)) {}
  const std::string name;
  std::atomic<int> level;  // the module's Level; written under Registry::mu_, read without a lock
};

}  // namespace internal

class Registry {
 public:
  // Spec "info"; lines go to stderr.
  Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The process-wide registry.
  static Registry& Global();

  // Parses `spec` (see log_spec.h) and applies it to every module, existing and future. On error (the
  // parse error, InvalidArgument) nothing changes.
  absl::Status SetSpec(std::string_view spec);
  void SetSpec(const LogSpec& spec);

  // The spec in force, in canonical form.
  std::string Spec() const;

  // The level in force for `module`.
  Level LevelOf(std::string_view module) const;

  // Lines go to `sink` from now on; nullptr restores stderr. A line being written concurrently may still go
  // to the previous sink, which is kept alive until it returns.
  void SetSink(std::shared_ptr<Sink> sink);

  // For Logger: the entry of `module`, created at the level the spec gives it. Takes the lock; Loggers call
  // it once, when constructed.
  const internal::ModuleEntry& Module(std::string_view module);

  // For Logger: hands one finished line to the current sink.
  void Write(std::string_view line) const;

 private:
  mutable absl::Mutex mu_;
  LogSpec spec_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::unique_ptr<internal::ModuleEntry>, std::less<>> modules_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<Sink> sink_ ABSL_GUARDED_BY(mu_);
};

}  // namespace careledger::logging

#endif  // CARELEDGER_COMMON_LOGGING_REGISTRY_H_
