// RwSetBuilder: collects one transaction's public reads, range queries and writes and builds Fabric's
// ::rwset::TxReadWriteSet from them in one canonical order (Fabric's rwsetutil.RWSetBuilder), so that two
// endorsers that record the same operations produce the same bytes, whatever order the operations came in:
//
//   - one NsReadWriteSet per namespace that recorded anything, in ascending (byte-wise) namespace order;
//   - in each KVRWSet: reads sorted by key, range_queries_info in the order they were added, writes sorted by
//     key; metadata_writes and collection_hashed_rwset stay empty (CareLedger records neither);
//   - bytes from deterministic protobuf serialization, first of each KVRWSet (NsReadWriteSet.rwset) and then
//     of the whole TxReadWriteSet.
//
// The builder does not judge keys: TxSimulator validates them before recording. Not thread-safe.
#ifndef CARELEDGER_PEER_LEDGER_TXSIM_RWSET_BUILDER_H_
#define CARELEDGER_PEER_LEDGER_TXSIM_RWSET_BUILDER_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/rwset/kvrwset/kv_rwset.pb.h"
#include "ledger/rwset/rwset.pb.h"
#include "peer/ledger/state/state_snapshot.h"

namespace careledger::ledger {

// What a simulation produced: the public read-write set, and its serialization, which is what goes into the
// proposal response (ChaincodeAction.results) and what endorsers' outputs are compared by.
struct SimulationResults {
  ::rwset::TxReadWriteSet rwset;
  std::string rwset_bytes;
};

class RwSetBuilder {
 public:
  // Records that `key` of `ns` was read at `version` (nullopt: the key was absent). A key read again keeps its
  // first record; within one snapshot both reads see the same version anyway.
  void AddRead(std::string_view ns, std::string_view key, std::optional<Version> version);

  // Records a write of `key` of `ns`; the last write of a key wins. A nullopt or empty value is a delete, as
  // in Fabric (KVWrite.is_delete set, no value), because Fabric's state cannot hold an empty value.
  void AddWrite(std::string_view ns, std::string_view key, std::optional<std::string_view> value);

  // Appends a range query's record. One equal to an earlier record of `ns` in start_key, end_key and
  // itr_exhausted is dropped, as Fabric drops it: over one snapshot it read the same keys.
  void AddRangeQuery(std::string_view ns, ::kvrwset::RangeQueryInfo info);

  // The read-write set of everything recorded so far. InvalidArgument if a set would exceed protobuf's 2 GiB
  // limit. The builder is unchanged and may go on recording.
  absl::StatusOr<SimulationResults> Build() const;

 private:
  struct Namespace {
    std::map<std::string, std::optional<Version>, std::less<>> reads;
    std::vector<::kvrwset::RangeQueryInfo> range_queries;
    std::map<std::string, std::optional<std::string>, std::less<>> writes;  // nullopt: delete
  };

  Namespace& At(std::string_view ns);

  std::map<std::string, Namespace, std::less<>> namespaces_;
};

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_TXSIM_RWSET_BUILDER_H_
