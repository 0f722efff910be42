// What range and history queries return, and the iterators that walk them.
#ifndef CARELEDGER_SHIM_QUERY_H_
#define CARELEDGER_SHIM_QUERY_H_

#include <cstdint>
#include <memory>
#include <string>

namespace careledger::shim {

// Time as google.protobuf.Timestamp: seconds since the Unix epoch and nanoseconds in [0, 1e9).
struct Timestamp {
  int64_t seconds = 0;
  int32_t nanos = 0;
};

// One key and its committed value (Fabric's queryresult.KV).
struct KV {
  std::string key;
  std::string value;
};

// One committed write of a key (Fabric's queryresult.KeyModification).
struct KeyModification {
  std::string tx_id;
  std::string value;    // empty for a delete
  Timestamp timestamp;  // the writing transaction's proposal timestamp
  bool is_delete = false;
};

// Describes one page of a paginated query (Fabric's QueryResponseMetadata).
struct QueryResponseMetadata {
  int32_t fetched_records_count = 0;  // how many results the page holds
  std::string bookmark;               // pass it to fetch the next page; empty when there is none
};

// Walks the results of one query. Iterators belong to the invocation that opened them: they must not
// outlive the ChaincodeStub (after the invocation every call throws ShimError). Not thread-safe.
template <typename T>
class QueryIterator {
 public:
  virtual ~QueryIterator() = default;

  // Whether Next has another result. Throws ShimError if the peer failed to fetch it.
  virtual bool HasNext() = 0;
  // The next result. Throws ShimError at the end ("no more results") or if the peer failed.
  virtual T Next() = 0;
  // Releases the query on the peer early; later HasNext calls return false. The destructor closes too.
  virtual void Close() = 0;
};

// Simple-key and composite-key range queries, in ascending key order.
using StateQueryIterator = QueryIterator<KV>;
// The writes of one key, newest first.
using HistoryQueryIterator = QueryIterator<KeyModification>;

// One page of a paginated range query.
struct PaginatedStateQuery {
  std::unique_ptr<StateQueryIterator> iterator;
  QueryResponseMetadata metadata;
};

}  // namespace careledger::shim

#endif  // CARELEDGER_SHIM_QUERY_H_
