#include "common/logging/registry.h"

#include <unistd.h>

#include <utility>

#include "common/status_macros.h"

namespace careledger::logging {
namespace {

std::shared_ptr<Sink> StderrSink() {
  static const auto* const sink = new std::shared_ptr<Sink>(std::make_shared<FileDescriptorSink>(STDERR_FILENO));
  return *sink;
}

}  // namespace

Registry::Registry() : sink_(StderrSink()) {}

Registry& Registry::Global() {
  // Leaked on purpose: Loggers in static objects and detached threads may log after main() returns.
  static Registry* const registry = new Registry();
  return *registry;
}

absl::Status Registry::SetSpec(std::string_view spec) {
  ASSIGN_OR_RETURN(const LogSpec parsed, LogSpec::Parse(spec));
  SetSpec(parsed);
  return absl::OkStatus();
}

void Registry::SetSpec(const LogSpec& spec) {
  absl::MutexLock lock(&mu_);
  spec_ = spec;
  for (const auto& [name, entry] : modules_) {
    entry->level.store(static_cast<int>(spec_.LevelFor(name)), std::memory_order_relaxed);
  }
}

std::string Registry::Spec() const {
  absl::MutexLock lock(&mu_);
  return spec_.ToString();
}

Level Registry::LevelOf(std::string_view module) const {
  absl::MutexLock lock(&mu_);
  return spec_.LevelFor(module);
}

void Registry::SetSink(std::shared_ptr<Sink> sink) {
  if (sink == nullptr) sink = StderrSink();
  absl::MutexLock lock(&mu_);
  sink_ = std::move(sink);
}

const internal::ModuleEntry& Registry::Module(std::string_view module) {
  absl::MutexLock lock(&mu_);
  auto it = modules_.find(module);
  if (it == modules_.end()) {
    it = modules_
             .emplace(std::string(module),
                      std::make_unique<internal::ModuleEntry>(std::string(module), spec_.LevelFor(module)))
             .first;
  }
  return *it->second;
}

void Registry::Write(std::string_view line) const {
  std::shared_ptr<Sink> sink;
  {
    absl::ReaderMutexLock lock(&mu_);
    sink = sink_;
  }
  sink->Write(line);
}

}  // namespace careledger::logging
