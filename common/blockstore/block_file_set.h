// The folder of block files: reading records anywhere, appending records at the end, truncating a torn tail.
// Internal to the block store; the format is described in block_store.h.
//
// Threading: ReadRecordAt, ReadPayload and FileSize may run on any number of threads at once, concurrently with
// the single thread that calls Append (records are only ever added beyond what readers are told exists).
// Append, TruncateLastFile and the accessors of the append position belong to that one writer thread.
#ifndef CARELEDGER_COMMON_BLOCKSTORE_BLOCK_FILE_SET_H_
#define CARELEDGER_COMMON_BLOCKSTORE_BLOCK_FILE_SET_H_

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/blockstore/record_format.h"

namespace careledger::blockstore {

// Where one record lives.
struct RecordLocation {
  uint32_t file_number = 0;
  uint64_t offset = 0;  // of the record's header within the file
  uint32_t payload_length = 0;

  uint64_t end() const { return offset + kRecordHeaderSize + payload_length; }
};

// A record to append: the caller keeps `payload` alive until Append returns.
struct RecordToWrite {
  uint64_t block_number = 0;
  std::string_view payload;
};

// A record read back and checked: header intact, payload CRC matching.
struct Record {
  RecordHeader header;
  std::string payload;
};

// An open file descriptor, closed on destruction.
class ScopedFd {
 public:
  explicit ScopedFd(int fd = -1) : fd_(fd) {}
  ~ScopedFd();
  ScopedFd(ScopedFd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ScopedFd& operator=(ScopedFd&& other) noexcept;
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// fsyncs the folder `dir`, making the creation (or removal) of its entries durable.
absl::Status SyncDirectory(const std::string& dir);

class BlockFileSet {
 public:
  // Opens the block files in `dir` (created if missing) for reading and the last one for appending; creates
  // blockfile_000000 if there is none. Names other than BlockFileName(n) are ignored. DataLoss if the numbers
  // have a gap (a file was removed); Internal/PermissionDenied for I/O errors, naming the path.
  static absl::StatusOr<std::unique_ptr<BlockFileSet>> Open(const std::string& dir, uint64_t max_file_size);
  ~BlockFileSet();

  const std::string& dir() const { return dir_; }
  std::string PathOf(uint32_t file_number) const;

  // Writer thread: the file appends go to, and its size.
  uint32_t last_file() const { return current_file_; }
  uint64_t last_file_size() const { return current_size_; }

  // The current size of file `file_number` (any file). DataLoss if it does not exist.
  absl::StatusOr<uint64_t> FileSize(uint32_t file_number) const;

  // Reads and checks the record starting at `offset` of file `file_number`, whose size is `file_size`.
  // DataLoss if the header is incomplete or corrupt, the payload runs past the end of the file or its CRC does
  // not match; FailedPrecondition for an intact header of an unknown format version. Messages start with
  // "<file name> offset <offset>: ".
  absl::StatusOr<Record> ReadRecordAt(uint32_t file_number, uint64_t offset, uint64_t file_size) const;

  // Reads the payload of the record at `location` in one system call and checks that its header is intact and
  // names block `block_number` with the indexed length, and the payload CRC. DataLoss otherwise.
  absl::StatusOr<std::string> ReadPayload(const RecordLocation& location, uint64_t block_number) const;

  // An intact record found by IntactRecordsAfter.
  struct FoundRecord {
    uint64_t offset = 0;
    RecordHeader header;
  };

  // Recovery: every intact record (header and payload CRC valid) that starts after `from` in file
  // `file_number` of size `file_size`, found by searching for the record magic. Used to tell a torn tail from
  // damage followed by good data.
  absl::StatusOr<std::vector<FoundRecord>> IntactRecordsAfter(uint32_t file_number, uint64_t from,
                                                             uint64_t file_size) const;

  // Writer thread, recovery only: cuts the last file to `size` bytes and syncs it.
  absl::Status TruncateLastFile(uint64_t size);

  // Writer thread: appends the records in order and makes them durable (fdatasync) before returning. A record
  // starts a new file when the current one is not empty and the record would take it beyond max_file_size;
  // the file being left is synced first, so that only the last file can ever hold unsynced bytes, and the new
  // file's folder entry is synced. Returns each record's location. After an error, what reached the disk is
  // unknown: the caller must stop appending (recovery on the next Open sorts it out).
  absl::StatusOr<std::vector<RecordLocation>> Append(std::span<const RecordToWrite> records);

 private:
  BlockFileSet(std::string dir, uint64_t max_file_size) : dir_(std::move(dir)), max_file_size_(max_file_size) {}

  absl::StatusOr<std::shared_ptr<const ScopedFd>> ReadFd(uint32_t file_number) const;
  absl::Status OpenForAppend(uint32_t file_number, bool create);
  std::string Where(uint32_t file_number, uint64_t offset) const;

  const std::string dir_;
  const uint64_t max_file_size_;

  // Writer state.
  uint32_t current_file_ = 0;
  ScopedFd current_fd_;
  uint64_t current_size_ = 0;

  // Read descriptors, opened on first use and kept for the most recently used files; a reader holds its
  // shared_ptr while reading, so evicting one never closes a descriptor in use.
  struct CachedFd {
    std::shared_ptr<const ScopedFd> fd;
    uint64_t last_use = 0;
  };
  mutable absl::Mutex cache_mu_;
  mutable std::map<uint32_t, CachedFd> read_fds_ ABSL_GUARDED_BY(cache_mu_);
  mutable uint64_t use_counter_ ABSL_GUARDED_BY(cache_mu_) = 0;
};

}  // namespace careledger::blockstore

#endif  // CARELEDGER_COMMON_BLOCKSTORE_BLOCK_FILE_SET_H_
