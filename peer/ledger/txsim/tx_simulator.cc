#include "peer/ledger/txsim/tx_simulator.h"

#include <cstdint>
#include <deque>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/encoding/utf8.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::ledger {
namespace {

bool IsValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    uint32_t code_point;
    const size_t length = DecodeUtf8Sequence(text, i, &code_point);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

// `bytes` in quotes, with anything unprintable escaped, for error messages.
std::string Quoted(std::string_view bytes) { return absl::StrCat("\"", absl::CHexEscape(AsAbsl(bytes)), "\""); }

// The "where" of every message: "tx <id>: <operation> in namespace "<ns>"".
std::string Where(std::string_view tx_id, std::string_view operation, std::string_view ns) {
  return absl::StrCat("tx ", AsAbsl(tx_id), ": ", AsAbsl(operation), " in namespace ", Quoted(ns));
}

absl::Status CheckNamespace(std::string_view tx_id, std::string_view operation, std::string_view ns) {
  if (ns.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("tx ", AsAbsl(tx_id), ": ", AsAbsl(operation),
                                                   ": the namespace is empty"));
  }
  if (!IsValidUtf8(ns)) {
    return absl::InvalidArgumentError(absl::StrCat(Where(tx_id, operation, ns), ": the namespace is not valid UTF-8"));
  }
  return absl::OkStatus();
}

// `what` is "key", "start key" or "end key".
absl::Status CheckKey(std::string_view tx_id, std::string_view operation, std::string_view ns, std::string_view what,
                      std::string_view key, bool allow_empty) {
  if (key.empty() && !allow_empty) {
    return absl::InvalidArgumentError(absl::StrCat(Where(tx_id, operation, ns), ": the ", AsAbsl(what), " is empty"));
  }
  if (!IsValidUtf8(key)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Where(tx_id, operation, ns), ": ", AsAbsl(what), " ", Quoted(key), " is not valid UTF-8"));
  }
  return absl::OkStatus();
}

// What one range query has recorded so far.
struct RangeRecord {
  std::string ns;
  std::string requested_end_key;
  ::kvrwset::RangeQueryInfo info;
  bool consumed = false;  // Next has returned an entry or the end at least once
};

}  // namespace

struct TxSimulator::Session {
  std::shared_ptr<const StateSnapshot> snapshot;
  std::string tx_id;
  RwSetBuilder builder;
  std::deque<RangeRecord> ranges;  // a deque, so that iterators keep pointing at their records as more come
  absl::Status storage_error;      // the first one; Done returns it
  bool done = false;

  absl::Status CheckNotDone(std::string_view operation) const {
    if (!done) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat("tx ", tx_id, ": ", AsAbsl(operation), " after the simulation is done"));
  }

  // Remembers `status` if it is the first storage error, and returns it.
  absl::Status StorageError(absl::Status status) {
    if (storage_error.ok()) storage_error = status;
    return status;
  }
};

class TxSimulator::RecordingIterator final : public StateIterator {
 public:
  RecordingIterator(std::shared_ptr<Session> session, RangeRecord* record, std::unique_ptr<StateIterator> inner)
      : session_(std::move(session)), record_(record), inner_(std::move(inner)) {}

  absl::StatusOr<std::optional<StateEntry>> Next() override {
    RETURN_IF_ERROR(session_->CheckNotDone("range iterator Next"));
    RETURN_IF_ERROR(failure_);
    if (record_->info.itr_exhausted()) return std::nullopt;
    absl::StatusOr<std::optional<StateEntry>> entry = inner_->Next();
    if (!entry.ok()) {
      failure_ = session_->StorageError(Annotate(
          entry.status(), absl::StrCat(Where(session_->tx_id, "GetStateRange", record_->ns), " from ",
                                       Quoted(record_->info.start_key()))));
      return failure_;
    }
    record_->consumed = true;
    if (!entry->has_value()) {
      record_->info.set_itr_exhausted(true);
      record_->info.set_end_key(record_->requested_end_key);
      return std::nullopt;
    }
    // The state holds only keys that passed CheckKey (the committer cannot even parse others), so the
    // recorded key is valid UTF-8.
    const StateEntry& found = **entry;
    ::kvrwset::KVRead* read = record_->info.mutable_raw_reads()->add_kv_reads();
    read->set_key(found.key);
    read->mutable_version()->set_block_num(found.value.version.block_num);
    read->mutable_version()->set_tx_num(found.value.version.tx_num);
    // Until the range is exhausted, it covers only what the caller has seen: the caller may stop here.
    record_->info.set_end_key(found.key);
    return entry;
  }

 private:
  std::shared_ptr<Session> session_;  // declared first: the inner iterator goes before the snapshot it reads
  RangeRecord* record_;               // owned by session_->ranges
  std::unique_ptr<StateIterator> inner_;
  absl::Status failure_;
};

TxSimulator::TxSimulator(std::shared_ptr<const StateSnapshot> snapshot, std::string tx_id)
    : session_(std::make_shared<Session>()) {
  session_->snapshot = std::move(snapshot);
  session_->tx_id = std::move(tx_id);
}

TxSimulator::~TxSimulator() = default;

const std::string& TxSimulator::tx_id() const { return session_->tx_id; }

absl::StatusOr<std::optional<std::string>> TxSimulator::GetState(std::string_view ns, std::string_view key) {
  Session& s = *session_;
  RETURN_IF_ERROR(s.CheckNotDone("GetState"));
  RETURN_IF_ERROR(CheckNamespace(s.tx_id, "GetState", ns));
  RETURN_IF_ERROR(CheckKey(s.tx_id, "GetState", ns, "key", key, /*allow_empty=*/true));
  absl::StatusOr<std::optional<VersionedValue>> committed = s.snapshot->Get(ns, key);
  if (!committed.ok()) {
    return s.StorageError(
        Annotate(committed.status(), absl::StrCat(Where(s.tx_id, "GetState", ns), " of key ", Quoted(key))));
  }
  if (!committed->has_value()) {
    s.builder.AddRead(ns, key, std::nullopt);
    return std::nullopt;
  }
  s.builder.AddRead(ns, key, (*committed)->version);
  return std::move((*committed)->value);
}

absl::Status TxSimulator::PutState(std::string_view ns, std::string_view key, std::string_view value) {
  Session& s = *session_;
  RETURN_IF_ERROR(s.CheckNotDone("PutState"));
  RETURN_IF_ERROR(CheckNamespace(s.tx_id, "PutState", ns));
  RETURN_IF_ERROR(CheckKey(s.tx_id, "PutState", ns, "key", key, /*allow_empty=*/false));
  s.builder.AddWrite(ns, key, value);
  return absl::OkStatus();
}

absl::Status TxSimulator::DelState(std::string_view ns, std::string_view key) {
  Session& s = *session_;
  RETURN_IF_ERROR(s.CheckNotDone("DelState"));
  RETURN_IF_ERROR(CheckNamespace(s.tx_id, "DelState", ns));
  RETURN_IF_ERROR(CheckKey(s.tx_id, "DelState", ns, "key", key, /*allow_empty=*/false));
  s.builder.AddWrite(ns, key, std::nullopt);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<StateIterator>> TxSimulator::GetStateRange(std::string_view ns,
                                                                          std::string_view start_key,
                                                                          std::string_view end_key) {
  Session& s = *session_;
  RETURN_IF_ERROR(s.CheckNotDone("GetStateRange"));
  RETURN_IF_ERROR(CheckNamespace(s.tx_id, "GetStateRange", ns));
  RETURN_IF_ERROR(CheckKey(s.tx_id, "GetStateRange", ns, "start key", start_key, /*allow_empty=*/true));
  RETURN_IF_ERROR(CheckKey(s.tx_id, "GetStateRange", ns, "end key", end_key, /*allow_empty=*/true));
  absl::StatusOr<std::unique_ptr<StateIterator>> inner = s.snapshot->Scan(ns, start_key, end_key);
  if (!inner.ok()) {
    return s.StorageError(
        Annotate(inner.status(), absl::StrCat(Where(s.tx_id, "GetStateRange", ns), " from ", Quoted(start_key))));
  }
  RangeRecord& record = s.ranges.emplace_back();
  record.ns = std::string(ns);
  record.requested_end_key = std::string(end_key);
  record.info.set_start_key(std::string(start_key));
  return std::make_unique<RecordingIterator>(session_, &record, std::move(*inner));
}

absl::StatusOr<SimulationResults> TxSimulator::Done() {
  Session& s = *session_;
  RETURN_IF_ERROR(s.CheckNotDone("Done"));
  s.done = true;
  RETURN_IF_ERROR(s.storage_error);
  for (RangeRecord& record : s.ranges) {
    if (record.consumed) s.builder.AddRangeQuery(record.ns, std::move(record.info));
  }
  return s.builder.Build();
}

}  // namespace careledger::ledger
