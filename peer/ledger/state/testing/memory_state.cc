#include "peer/ledger/state/testing/memory_state.h"

#include <atomic>
#include <optional>
#include <utility>

namespace careledger::ledger {
namespace {

using KeyMap = std::map<std::string, VersionedValue, std::less<>>;

class MemoryIterator final : public StateIterator {
 public:
  // Holding `keys` keeps the entries alive even if the snapshot goes first.
  MemoryIterator(std::shared_ptr<const KeyMap> keys, KeyMap::const_iterator next, KeyMap::const_iterator stop)
      : keys_(std::move(keys)), next_(next), stop_(stop) {}

  absl::StatusOr<std::optional<StateEntry>> Next() override {
    if (next_ == stop_) return std::nullopt;
    StateEntry entry{next_->first, next_->second};
    ++next_;
    return entry;
  }

 private:
  std::shared_ptr<const KeyMap> keys_;
  KeyMap::const_iterator next_;
  KeyMap::const_iterator stop_;
};

class MemorySnapshot final : public StateSnapshot {
 public:
  MemorySnapshot(std::map<std::string, std::shared_ptr<const KeyMap>, std::less<>> namespaces, uint64_t height)
      : namespaces_(std::move(namespaces)), height_(height) {}

  uint64_t height() const override { return height_; }

  absl::StatusOr<std::optional<VersionedValue>> Get(std::string_view ns, std::string_view key) const override {
    const KeyMap* keys = Keys(ns);
    if (keys == nullptr) return std::nullopt;
    auto it = keys->find(key);
    if (it == keys->end()) return std::nullopt;
    return it->second;
  }

  absl::StatusOr<std::unique_ptr<StateIterator>> Scan(std::string_view ns, std::string_view start_key,
                                                      std::string_view end_key) const override {
    auto found = namespaces_.find(ns);
    std::shared_ptr<const KeyMap> keys =
        found == namespaces_.end() ? std::make_shared<const KeyMap>() : found->second;
    // An inverted range is empty; without this check lower_bound(start) would run past lower_bound(end).
    if (!end_key.empty() && start_key >= end_key) {
      auto end = keys->end();
      return std::make_unique<MemoryIterator>(std::move(keys), end, end);
    }
    auto next = keys->lower_bound(start_key);
    auto stop = end_key.empty() ? keys->end() : keys->lower_bound(end_key);
    return std::make_unique<MemoryIterator>(std::move(keys), next, stop);
  }

 private:
  const KeyMap* Keys(std::string_view ns) const {
    auto it = namespaces_.find(ns);
    return it == namespaces_.end() ? nullptr : it->second.get();
  }

  const std::map<std::string, std::shared_ptr<const KeyMap>, std::less<>> namespaces_;
  const uint64_t height_;
};

}  // namespace

void MemoryState::Put(std::string_view ns, std::string_view key, std::string_view value, Version version) {
  KeyMap& keys = MutableKeys(ns);
  VersionedValue versioned{std::string(value), version};
  auto it = keys.find(key);
  if (it == keys.end()) {
    keys.emplace(std::string(key), std::move(versioned));
  } else {
    it->second = std::move(versioned);
  }
}

void MemoryState::Delete(std::string_view ns, std::string_view key) {
  auto found = namespaces_.find(ns);
  if (found == namespaces_.end() || !found->second->contains(key)) return;
  KeyMap& keys = MutableKeys(ns);
  keys.erase(keys.find(key));
}

std::unique_ptr<StateSnapshot> MemoryState::Snapshot() const {
  std::map<std::string, std::shared_ptr<const KeyMap>, std::less<>> shared;
  for (const auto& [ns, keys] : namespaces_) shared.emplace(ns, keys);
  return std::make_unique<MemorySnapshot>(std::move(shared), height_);
}

MemoryState::KeyMap& MemoryState::MutableKeys(std::string_view ns) {
  auto found = namespaces_.find(ns);
  if (found == namespaces_.end()) {
    found = namespaces_.emplace(std::string(ns), std::make_shared<KeyMap>()).first;
  } else if (found->second.use_count() > 1) {
    found->second = std::make_shared<KeyMap>(*found->second);
  } else {
    // Sole owner: the last snapshot that shared this map released it, maybe on another thread, after reading
    // it. Its release decrement is paired with this fence so that those reads happen before our writes.
    std::atomic_thread_fence(std::memory_order_acquire);
  }
  return *found->second;
}

}  // namespace careledger::ledger
