#include "peer/ledger/txsim/rwset_builder.h"

#include <utility>

#include "common/protoutil/marshal.h"
#include "common/status_macros.h"

namespace careledger::ledger {

void RwSetBuilder::AddRead(std::string_view ns, std::string_view key, std::optional<Version> version) {
  Namespace& space = At(ns);
  if (!space.reads.contains(key)) space.reads.emplace(std::string(key), version);
}

void RwSetBuilder::AddWrite(std::string_view ns, std::string_view key, std::optional<std::string_view> value) {
  std::optional<std::string> stored;
  if (value.has_value() && !value->empty()) stored.emplace(*value);
  Namespace& space = At(ns);
  auto it = space.writes.find(key);
  if (it == space.writes.end()) {
    space.writes.emplace(std::string(key), std::move(stored));
  } else {
    it->second = std::move(stored);
  }
}

void RwSetBuilder::AddRangeQuery(std::string_view ns, ::kvrwset::RangeQueryInfo info) {
  Namespace& space = At(ns);
  for (const ::kvrwset::RangeQueryInfo& earlier : space.range_queries) {
    if (earlier.start_key() == info.start_key() && earlier.end_key() == info.end_key() &&
        earlier.itr_exhausted() == info.itr_exhausted()) {
      return;
    }
  }
  space.range_queries.push_back(std::move(info));
}

absl::StatusOr<SimulationResults> RwSetBuilder::Build() const {
  SimulationResults results;
  results.rwset.set_data_model(::rwset::TxReadWriteSet::KV);
  for (const auto& [ns, space] : namespaces_) {
    ::kvrwset::KVRWSet kv;
    for (const auto& [key, version] : space.reads) {
      ::kvrwset::KVRead* read = kv.add_reads();
      read->set_key(key);
      if (version.has_value()) {
        read->mutable_version()->set_block_num(version->block_num);
        read->mutable_version()->set_tx_num(version->tx_num);
      }
    }
    for (const ::kvrwset::RangeQueryInfo& info : space.range_queries) *kv.add_range_queries_info() = info;
    for (const auto& [key, value] : space.writes) {
      ::kvrwset::KVWrite* write = kv.add_writes();
      write->set_key(key);
      if (value.has_value()) {
        write->set_value(*value);
      } else {
        write->set_is_delete(true);
      }
    }
    ::rwset::NsReadWriteSet* ns_rwset = results.rwset.add_ns_rwset();
    ns_rwset->set_namespace_(ns);
    ASSIGN_OR_RETURN(*ns_rwset->mutable_rwset(),
                     protoutil::Marshal(kv, absl::StrCat("read-write set of namespace ", AsAbsl(ns))));
  }
  ASSIGN_OR_RETURN(results.rwset_bytes, protoutil::Marshal(results.rwset, "transaction read-write set"));
  return results;
}

RwSetBuilder::Namespace& RwSetBuilder::At(std::string_view ns) {
  auto it = namespaces_.find(ns);
  if (it == namespaces_.end()) it = namespaces_.emplace(std::string(ns), Namespace{}).first;
  return it->second;
}

}  // namespace careledger::ledger
