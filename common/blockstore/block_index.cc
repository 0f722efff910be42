#include "common/blockstore/block_index.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "leveldb/db.h"
#include "leveldb/iterator.h"
#include "leveldb/write_batch.h"

namespace careledger::blockstore {
namespace {

// Frozen key layout (index format version 1); see block_store.h.
constexpr std::string_view kVersionKey = "#v";
constexpr std::string_view kHeightsKey = "#h";
constexpr char kBlockPrefix = 'b';
constexpr char kTransactionPrefix = 'x';
constexpr size_t kLocationValueSize = 16;

void AppendBe(std::string& out, uint64_t value, size_t bytes) {
  for (size_t i = bytes; i-- > 0;) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}
void AppendLe(std::string& out, uint64_t value, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}
uint64_t LoadBe(std::string_view in) {
  uint64_t value = 0;
  for (char c : in) value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}
uint64_t LoadLe(std::string_view in) {
  uint64_t value = 0;
  for (size_t i = in.size(); i-- > 0;) value = (value << 8) | static_cast<unsigned char>(in[i]);
  return value;
}

std::string BlockKey(uint64_t block_number) {
  std::string key(1, kBlockPrefix);
  AppendBe(key, block_number, 8);
  return key;
}

// 'x' | u32 BE length | tx_id: the length makes one ID's keys a prefix range no other ID shares.
std::string TransactionPrefix(std::string_view tx_id) {
  std::string key(1, kTransactionPrefix);
  AppendBe(key, tx_id.size(), 4);
  key.append(tx_id);
  return key;
}

leveldb::Slice ToSlice(std::string_view s) { return leveldb::Slice(s.data(), s.size()); }
std::string_view ToView(const leveldb::Slice& s) { return std::string_view(s.data(), s.size()); }

absl::Status FromLevelDb(const leveldb::Status& status, std::string_view dir, std::string_view action) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(AsAbsl(dir), ": cannot ", AsAbsl(action), ": ", status.ToString());
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsIOError() && status.ToString().find("LOCK") != std::string::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat(message, " (the index is open in another block store or process)"));
  }
  return absl::InternalError(message);
}

}  // namespace

struct BlockIndex::Batch::Rep {
  leveldb::WriteBatch batch;
};

BlockIndex::Batch::Batch() : rep_(std::make_unique<Rep>()) {}
BlockIndex::Batch::~Batch() = default;

void BlockIndex::Batch::AddBlock(uint64_t block_number, const RecordLocation& location) {
  std::string value;
  value.reserve(kLocationValueSize);
  AppendLe(value, location.file_number, 4);
  AppendLe(value, location.offset, 8);
  AppendLe(value, location.payload_length, 4);
  rep_->batch.Put(BlockKey(block_number), value);
}

void BlockIndex::Batch::AddTransaction(std::string_view tx_id, uint64_t block_number, uint32_t tx_index) {
  std::string key = TransactionPrefix(tx_id);
  AppendBe(key, block_number, 8);
  AppendBe(key, tx_index, 4);
  rep_->batch.Put(key, leveldb::Slice());
}

void BlockIndex::Batch::SetHeights(const IndexHeights& heights) {
  std::string value;
  AppendLe(value, heights.height, 8);
  AppendLe(value, heights.tx_height, 8);
  rep_->batch.Put(ToSlice(kHeightsKey), value);
}

void BlockIndex::Batch::Clear() { rep_->batch.Clear(); }

size_t BlockIndex::Batch::ApproximateSize() const { return rep_->batch.ApproximateSize(); }

struct BlockIndex::Rep {
  std::string dir;
  std::unique_ptr<leveldb::DB> db;
};

BlockIndex::BlockIndex(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
BlockIndex::~BlockIndex() = default;

absl::StatusOr<std::unique_ptr<BlockIndex>> BlockIndex::Open(const std::string& dir) {
  leveldb::Options options;
  options.create_if_missing = true;
  leveldb::DB* raw = nullptr;
  RETURN_IF_ERROR(FromLevelDb(leveldb::DB::Open(options, dir, &raw), dir, "open the block index"));
  auto rep = std::make_unique<Rep>();
  rep->dir = dir;
  rep->db.reset(raw);

  std::string version;
  const leveldb::Status got = rep->db->Get(leveldb::ReadOptions(), ToSlice(kVersionKey), &version);
  if (got.IsNotFound()) {
    // A new index: it is built in this format. Entries without a version record are not ours to reuse.
    std::unique_ptr<leveldb::Iterator> it(rep->db->NewIterator(leveldb::ReadOptions()));
    it->SeekToFirst();
    RETURN_IF_ERROR(FromLevelDb(it->status(), dir, "read the block index"));
    if (it->Valid()) {
      return absl::FailedPreconditionError(
          absl::StrCat(dir, ": holds a LevelDB database that is not a block index (no format version record)"));
    }
    std::string value;
    AppendLe(value, kIndexFormatVersion, 4);
    RETURN_IF_ERROR(FromLevelDb(rep->db->Put(leveldb::WriteOptions(), ToSlice(kVersionKey), value), dir,
                                "write the index format version"));
  } else {
    RETURN_IF_ERROR(FromLevelDb(got, dir, "read the index format version"));
    if (version.size() != 4 || LoadLe(version) != kIndexFormatVersion) {
      return absl::FailedPreconditionError(
          absl::StrCat(dir, ": block index format ",
                       version.size() == 4 ? absl::StrCat(LoadLe(version)) : std::string("(malformed)"),
                       " is not supported (this build reads format ", kIndexFormatVersion,
                       "); delete the index folder to have it rebuilt from the block files"));
    }
  }
  return std::unique_ptr<BlockIndex>(new BlockIndex(std::move(rep)));
}

absl::StatusOr<IndexHeights> BlockIndex::ReadHeights() const {
  std::string value;
  const leveldb::Status got = rep_->db->Get(leveldb::ReadOptions(), ToSlice(kHeightsKey), &value);
  if (got.IsNotFound()) return IndexHeights{};
  RETURN_IF_ERROR(FromLevelDb(got, rep_->dir, "read the index height"));
  if (value.size() != 16) {
    return absl::DataLossError(absl::StrCat(rep_->dir, ": index height record has ", value.size(), " bytes, not 16"));
  }
  IndexHeights heights{LoadLe(std::string_view(value).substr(0, 8)), LoadLe(std::string_view(value).substr(8))};
  if (heights.tx_height > heights.height) {
    return absl::DataLossError(absl::StrCat(rep_->dir, ": index covers transactions of ", heights.tx_height,
                                            " blocks but only ", heights.height, " blocks"));
  }
  return heights;
}

absl::StatusOr<RecordLocation> BlockIndex::GetLocation(uint64_t block_number) const {
  std::string value;
  const leveldb::Status got = rep_->db->Get(leveldb::ReadOptions(), BlockKey(block_number), &value);
  if (got.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat(rep_->dir, ": block ", block_number, " is not indexed"));
  }
  RETURN_IF_ERROR(FromLevelDb(got, rep_->dir, absl::StrCat("read the index entry of block ", block_number)));
  if (value.size() != kLocationValueSize) {
    return absl::DataLossError(absl::StrCat(rep_->dir, ": index entry of block ", block_number, " has ",
                                            value.size(), " bytes, not ", kLocationValueSize));
  }
  const std::string_view v = value;
  return RecordLocation{static_cast<uint32_t>(LoadLe(v.substr(0, 4))), LoadLe(v.substr(4, 8)),
                        static_cast<uint32_t>(LoadLe(v.substr(12, 4)))};
}

absl::StatusOr<std::optional<IndexedTransaction>> BlockIndex::FindTransaction(std::string_view tx_id) const {
  const std::string prefix = TransactionPrefix(tx_id);
  std::unique_ptr<leveldb::Iterator> it(rep_->db->NewIterator(leveldb::ReadOptions()));
  it->Seek(prefix);
  if (!it->Valid()) {
    RETURN_IF_ERROR(FromLevelDb(it->status(), rep_->dir, "look up a transaction ID"));
    return std::nullopt;
  }
  const std::string_view key = ToView(it->key());
  if (key.substr(0, prefix.size()) != prefix) return std::nullopt;
  if (key.size() != prefix.size() + 12) {
    return absl::DataLossError(absl::StrCat(rep_->dir, ": malformed transaction index key of ", key.size(), " bytes"));
  }
  return IndexedTransaction{LoadBe(key.substr(prefix.size(), 8)),
                            static_cast<uint32_t>(LoadBe(key.substr(prefix.size() + 8, 4)))};
}

absl::Status BlockIndex::Write(const Batch& batch) {
  // Not synced: the block files are the truth, and Open rebuilds whatever a crash took from the index.
  return FromLevelDb(rep_->db->Write(leveldb::WriteOptions(), &batch.rep_->batch), rep_->dir,
                     "write the block index");
}

}  // namespace careledger::blockstore
