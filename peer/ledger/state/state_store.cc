#include "peer/ledger/state/state_store.h"

#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/status_macros.h"
#include "leveldb/db.h"
#include "leveldb/filter_policy.h"
#include "leveldb/iterator.h"
#include "leveldb/write_batch.h"
#include "peer/ledger/commit_hash.h"
#include "peer/ledger/state/key_layout.h"
#include "peer/ledger/state/leveldb_views.h"

namespace careledger::ledger {

using internal::FromLevelDb;
using internal::ToSlice;

class StateStore::Impl {
 public:
  Impl(std::string dir, std::unique_ptr<const leveldb::FilterPolicy> filter_policy, std::unique_ptr<leveldb::DB> db,
       key_layout::Savepoint savepoint)
      : dir_(std::move(dir)),
        filter_policy_(std::move(filter_policy)),
        db_(std::move(db)),
        savepoint_(std::move(savepoint)) {}

  ~Impl() {
    db_.reset();  // before the filter policy it uses
  }

  uint64_t Height() const {
    absl::ReaderMutexLock lock(&mu_);
    return savepoint_.height;
  }

  std::string LastCommitHash() const {
    absl::ReaderMutexLock lock(&mu_);
    return savepoint_.last_commit_hash;
  }

  absl::Status ApplyBlock(const BlockUpdate& update);

  std::unique_ptr<StateSnapshot> NewSnapshot() const {
    absl::ReaderMutexLock lock(&mu_);
    return internal::NewLevelDbStateSnapshot(db_.get(), dir_, savepoint_.height);
  }

  std::unique_ptr<HistoryIterator> History(std::string_view ns, std::string_view key) const {
    absl::ReaderMutexLock lock(&mu_);  // so that the view holds whole blocks only, as the savepoint says
    return internal::NewLevelDbHistoryIterator(db_.get(), dir_, ns, key);
  }

  absl::StatusOr<std::string> CommitHash(uint64_t block_number) const;

 private:
  const std::string dir_;
  const std::unique_ptr<const leveldb::FilterPolicy> filter_policy_;
  std::unique_ptr<leveldb::DB> db_;

  // Held while a block's batch is written, so that no view sees data beyond the savepoint it reports.
  mutable absl::Mutex mu_;
  key_layout::Savepoint savepoint_ ABSL_GUARDED_BY(mu_);
  absl::Status write_error_ ABSL_GUARDED_BY(mu_);  // sticky: set by the first failed write
};

absl::Status StateStore::Impl::ApplyBlock(const BlockUpdate& update) {
  if (update.commit_hash.size() != kCommitHashSize) {
    return absl::InvalidArgumentError(absl::StrCat("block ", update.block_number, ": the commit hash has ",
                                                    update.commit_hash.size(), " bytes, not ", kCommitHashSize));
  }
  leveldb::WriteBatch batch;
  for (size_t i = 0; i < update.transactions.size(); ++i) {
    const TxWriteSet& tx = update.transactions[i];
    if (i > 0 && tx.tx_num <= update.transactions[i - 1].tx_num) {
      return absl::InvalidArgumentError(absl::StrCat("block ", update.block_number, ": transaction ", tx.tx_num,
                                                     " follows transaction ", update.transactions[i - 1].tx_num));
    }
    const Version version{update.block_number, tx.tx_num};
    for (const KeyWrite& write : tx.writes) {
      const std::string key = key_layout::StateKey(write.ns, write.key);
      if (write.is_delete) {
        batch.Delete(key);
      } else {
        batch.Put(key, key_layout::EncodeStateValue(version, write.value));
      }
      batch.Put(key_layout::HistoryKey(write.ns, write.key, version),
                key_layout::EncodeHistoryValue(tx.tx_id, tx.timestamp, write.is_delete,
                                               write.is_delete ? std::string_view() : std::string_view(write.value)));
    }
  }
  batch.Put(key_layout::CommitHashKey(update.block_number), update.commit_hash);
  key_layout::Savepoint next{update.block_number + 1, update.commit_hash};
  batch.Put(ToSlice(key_layout::kSavepointKey), key_layout::EncodeSavepoint(next));

  absl::MutexLock lock(&mu_);
  if (!write_error_.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir_, ": an earlier write failed (", write_error_.message(), "); reopen the state store"));
  }
  if (update.block_number != savepoint_.height) {
    return absl::FailedPreconditionError(absl::StrCat(dir_, ": cannot apply block ", update.block_number,
                                                      " at savepoint ", savepoint_.height));
  }
  // Not synced: see state_store.h.
  const absl::Status written = FromLevelDb(db_->Write(leveldb::WriteOptions(), &batch), dir_,
                                           absl::StrCat("write block ", update.block_number));
  if (!written.ok()) {
    write_error_ = written;
    return written;
  }
  savepoint_ = std::move(next);
  return absl::OkStatus();
}

absl::StatusOr<std::string> StateStore::Impl::CommitHash(uint64_t block_number) const {
  if (block_number >= Height()) {
    return absl::NotFoundError(
        absl::StrCat(dir_, ": no commit hash for block ", block_number, " (height ", Height(), ")"));
  }
  leveldb::ReadOptions options;
  options.verify_checksums = true;
  std::string hash;
  const leveldb::Status status = db_->Get(options, key_layout::CommitHashKey(block_number), &hash);
  const std::string action = absl::StrCat("read the commit hash of block ", block_number);
  if (status.IsNotFound()) return absl::DataLossError(absl::StrCat(dir_, ": cannot ", action, ": missing"));
  RETURN_IF_ERROR(FromLevelDb(status, dir_, action));
  if (hash.size() != kCommitHashSize) {
    return absl::DataLossError(absl::StrCat(dir_, ": cannot ", action, ": it has ", hash.size(), " bytes"));
  }
  return hash;
}

namespace {

// Reads the format version, writing it and an empty savepoint into a new database. Refuses a database of
// another format, or one that is not a state database at all.
absl::Status CheckFormat(leveldb::DB& db, const std::string& dir) {
  std::string version;
  const leveldb::Status got = db.Get(leveldb::ReadOptions(), ToSlice(key_layout::kFormatVersionKey), &version);
  if (got.IsNotFound()) {
    std::unique_ptr<leveldb::Iterator> it(db.NewIterator(leveldb::ReadOptions()));
    it->SeekToFirst();
    RETURN_IF_ERROR(FromLevelDb(it->status(), dir, "read the state database"));
    if (it->Valid()) {
      return absl::FailedPreconditionError(absl::StrCat(
          dir, ": holds a LevelDB database that is not a state database (no format version record)"));
    }
    leveldb::WriteBatch batch;
    batch.Put(ToSlice(key_layout::kFormatVersionKey), key_layout::EncodeFormatVersion(key_layout::kFormatVersion));
    batch.Put(ToSlice(key_layout::kSavepointKey), key_layout::EncodeSavepoint({}));
    leveldb::WriteOptions sync;
    sync.sync = true;
    return FromLevelDb(db.Write(sync, &batch), dir, "initialize the state database");
  }
  RETURN_IF_ERROR(FromLevelDb(got, dir, "read the state format version"));
  absl::StatusOr<uint32_t> stored = key_layout::DecodeFormatVersion(version);
  if (!stored.ok()) return Annotate(stored.status(), dir);
  if (*stored != key_layout::kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(dir, ": state database format ", *stored,
                                                      " is not supported (this build reads format ",
                                                      key_layout::kFormatVersion, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<StateStore>> StateStore::Open(const std::string& dir) {
  // Point reads (MVCC checks, chaincode GetState) mostly ask for keys that exist, but a bloom filter makes the
  // absent ones (first writes of a key) cheap too.
  std::unique_ptr<const leveldb::FilterPolicy> filter_policy(leveldb::NewBloomFilterPolicy(10));
  leveldb::Options options;
  options.create_if_missing = true;
  options.filter_policy = filter_policy.get();
  leveldb::DB* raw = nullptr;
  RETURN_IF_ERROR(FromLevelDb(leveldb::DB::Open(options, dir, &raw), dir, "open the state database"));
  std::unique_ptr<leveldb::DB> db(raw);

  RETURN_IF_ERROR(CheckFormat(*db, dir));
  std::string stored;
  const leveldb::Status got = db->Get(leveldb::ReadOptions(), ToSlice(key_layout::kSavepointKey), &stored);
  if (got.IsNotFound()) return absl::DataLossError(absl::StrCat(dir, ": the savepoint record is missing"));
  RETURN_IF_ERROR(FromLevelDb(got, dir, "read the savepoint"));
  absl::StatusOr<key_layout::Savepoint> savepoint = key_layout::DecodeSavepoint(stored);
  if (!savepoint.ok()) return Annotate(savepoint.status(), dir);

  return std::unique_ptr<StateStore>(new StateStore(
      std::make_unique<Impl>(dir, std::move(filter_policy), std::move(db), *std::move(savepoint))));
}

StateStore::StateStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StateStore::~StateStore() = default;

uint64_t StateStore::Height() const { return impl_->Height(); }
std::string StateStore::LastCommitHash() const { return impl_->LastCommitHash(); }
absl::Status StateStore::ApplyBlock(const BlockUpdate& update) { return impl_->ApplyBlock(update); }
std::unique_ptr<StateSnapshot> StateStore::NewSnapshot() const { return impl_->NewSnapshot(); }
std::unique_ptr<HistoryIterator> StateStore::History(std::string_view ns, std::string_view key) const {
  return impl_->History(ns, key);
}
absl::StatusOr<std::string> StateStore::CommitHash(uint64_t block_number) const {
  return impl_->CommitHash(block_number);
}

}  // namespace careledger::ledger
