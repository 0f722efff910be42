// Test-only: writes one key of a LevelDB database directly, bypassing the store that owns it, to plant what
// the store must refuse (another format version, a missing savepoint, a database that is not a store's).
#ifndef CARELEDGER_PEER_LEDGER_TESTING_RAW_LEVELDB_H_
#define CARELEDGER_PEER_LEDGER_TESTING_RAW_LEVELDB_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "leveldb/db.h"

namespace careledger::ledger::testing {

// Opens the database in `dir` (creating it if missing), puts `key` = `value`, or deletes `key` if `value` is
// nullopt, and closes it. The database must not be open elsewhere.
inline ::testing::AssertionResult WriteRawKey(const std::string& dir, std::string_view key,
                                              std::optional<std::string_view> value) {
  leveldb::Options options;
  options.create_if_missing = true;
  leveldb::DB* raw = nullptr;
  leveldb::Status status = leveldb::DB::Open(options, dir, &raw);
  if (!status.ok()) return ::testing::AssertionFailure() << "opening " << dir << ": " << status.ToString();
  const std::unique_ptr<leveldb::DB> db(raw);
  const leveldb::Slice key_slice(key.data(), key.size());
  status = value ? db->Put(leveldb::WriteOptions(), key_slice, leveldb::Slice(value->data(), value->size()))
                 : db->Delete(leveldb::WriteOptions(), key_slice);
  if (!status.ok()) return ::testing::AssertionFailure() << "writing " << dir << ": " << status.ToString();
  return ::testing::AssertionSuccess();
}

}  // namespace careledger::ledger::testing

#endif  // CARELEDGER_PEER_LEDGER_TESTING_RAW_LEVELDB_H_
