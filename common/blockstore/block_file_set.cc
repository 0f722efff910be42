#include "common/blockstore/block_file_set.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/blockstore/crc32c.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"

namespace careledger::blockstore {
namespace {

// Enough for every file a Deliver burst or a scan touches; older files are reopened on demand.
constexpr size_t kMaxCachedReadFds = 32;

absl::Status ErrnoError(int err, const std::string& path, std::string_view action) {
  const std::string message = absl::StrCat(path, ": cannot ", AsAbsl(action), ": ", std::strerror(err));
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(message);
  return absl::InternalError(message);
}

using TransferFn = ssize_t (*)(int, const iovec*, int, off_t);

// Moves the bytes of `iov` from or to `fd` at `offset` with preadv or pwritev, resuming after short transfers
// and EINTR. Returns how many bytes moved: fewer than asked only when a read reaches the end of the file.
absl::StatusOr<size_t> TransferAt(TransferFn transfer, int fd, uint64_t offset, std::vector<iovec> iov,
                                  const std::string& path, std::string_view action) {
  size_t total = 0;
  size_t first = 0;
  while (first < iov.size()) {
    const int count = static_cast<int>(std::min<size_t>(iov.size() - first, IOV_MAX));
    const ssize_t n = transfer(fd, iov.data() + first, count, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, path, action);
    }
    if (n == 0) break;
    offset += static_cast<uint64_t>(n);
    total += static_cast<size_t>(n);
    auto done = static_cast<size_t>(n);
    while (first < iov.size() && done >= iov[first].iov_len) done -= iov[first++].iov_len;
    if (done > 0) {
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + done;
      iov[first].iov_len -= done;
    }
  }
  return total;
}

absl::StatusOr<size_t> ReadFullyAt(int fd, uint64_t offset, std::vector<iovec> iov, const std::string& path) {
  return TransferAt(::preadv, fd, offset, std::move(iov), path, "read");
}

absl::Status WriteFullyAt(int fd, uint64_t offset, std::vector<iovec> iov, const std::string& path) {
  size_t wanted = 0;
  for (const iovec& v : iov) wanted += v.iov_len;
  ASSIGN_OR_RETURN(const size_t written, TransferAt(::pwritev, fd, offset, std::move(iov), path, "write"));
  if (written != wanted) {
    return absl::InternalError(absl::StrCat(path, ": wrote ", written, " of ", wanted, " bytes"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SyncDirectory(const std::string& dir) {
  ScopedFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoError(errno, dir, "open folder");
  if (::fsync(fd.get()) != 0) return ErrnoError(errno, dir, "fsync folder");
  return absl::OkStatus();
}

ScopedFd::~ScopedFd() {
  if (fd_ >= 0) ::close(fd_);
}

ScopedFd& ScopedFd::operator=(ScopedFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

absl::StatusOr<std::unique_ptr<BlockFileSet>> BlockFileSet::Open(const std::string& dir, uint64_t max_file_size) {
  RETURN_IF_ERROR(file::CreateDirectories(dir));
  ASSIGN_OR_RETURN(const std::vector<std::string> names, file::ListFiles(dir));
  std::vector<uint32_t> numbers;
  for (const std::string& name : names) {
    if (const std::optional<uint32_t> number = ParseBlockFileName(name)) numbers.push_back(*number);
  }
  std::sort(numbers.begin(), numbers.end());
  for (size_t i = 0; i < numbers.size(); ++i) {
    if (numbers[i] != i) {
      return absl::DataLossError(absl::StrCat(dir, ": block file ", BlockFileName(static_cast<uint32_t>(i)),
                                              " is missing (", BlockFileName(numbers[i]), " exists)"));
    }
  }
  auto files = std::unique_ptr<BlockFileSet>(new BlockFileSet(dir, max_file_size));
  if (numbers.empty()) {
    RETURN_IF_ERROR(files->OpenForAppend(0, /*create=*/true));
  } else {
    RETURN_IF_ERROR(files->OpenForAppend(numbers.back(), /*create=*/false));
  }
  return files;
}

BlockFileSet::~BlockFileSet() = default;

std::string BlockFileSet::PathOf(uint32_t file_number) const {
  return absl::StrCat(dir_, "/", BlockFileName(file_number));
}

std::string BlockFileSet::Where(uint32_t file_number, uint64_t offset) const {
  return absl::StrCat(PathOf(file_number), " offset ", offset);
}

absl::Status BlockFileSet::OpenForAppend(uint32_t file_number, bool create) {
  const std::string path = PathOf(file_number);
  const int flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0);
  ScopedFd fd(::open(path.c_str(), flags, 0644));
  if (fd.get() < 0) return ErrnoError(errno, path, create ? "create" : "open");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return ErrnoError(errno, path, "stat");
  if (create) RETURN_IF_ERROR(SyncDirectory(dir_));
  current_file_ = file_number;
  current_fd_ = std::move(fd);
  current_size_ = static_cast<uint64_t>(st.st_size);
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const ScopedFd>> BlockFileSet::ReadFd(uint32_t file_number) const {
  absl::MutexLock lock(&cache_mu_);
  ++use_counter_;
  if (auto it = read_fds_.find(file_number); it != read_fds_.end()) {
    it->second.last_use = use_counter_;
    return it->second.fd;
  }
  const std::string path = PathOf(file_number);
  auto fd = std::make_shared<const ScopedFd>(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd->get() < 0) {
    const int err = errno;
    if (err == ENOENT) return absl::DataLossError(absl::StrCat(path, ": block file is missing"));
    return ErrnoError(err, path, "open");
  }
  if (read_fds_.size() >= kMaxCachedReadFds) {
    auto oldest = std::min_element(read_fds_.begin(), read_fds_.end(), [](const auto& a, const auto& b) {
      return a.second.last_use < b.second.last_use;
    });
    read_fds_.erase(oldest);
  }
  read_fds_[file_number] = CachedFd{fd, use_counter_};
  return fd;
}

absl::StatusOr<uint64_t> BlockFileSet::FileSize(uint32_t file_number) const {
  ASSIGN_OR_RETURN(std::shared_ptr<const ScopedFd> fd, ReadFd(file_number));
  struct stat st {};
  if (::fstat(fd->get(), &st) != 0) return ErrnoError(errno, PathOf(file_number), "stat");
  return static_cast<uint64_t>(st.st_size);
}

absl::StatusOr<Record> BlockFileSet::ReadRecordAt(uint32_t file_number, uint64_t offset, uint64_t file_size) const {
  const std::string where = Where(file_number, offset);
  if (offset >= file_size || file_size - offset < kRecordHeaderSize) {
    return absl::DataLossError(absl::StrCat(where, ": incomplete record header (",
                                            offset < file_size ? file_size - offset : 0, " of ", kRecordHeaderSize,
                                            " bytes)"));
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const ScopedFd> fd, ReadFd(file_number));
  EncodedRecordHeader header_bytes;
  ASSIGN_OR_RETURN(const size_t got, ReadFullyAt(fd->get(), offset, {{header_bytes.data(), header_bytes.size()}},
                                                PathOf(file_number)));
  if (got != kRecordHeaderSize) {
    return absl::DataLossError(absl::StrCat(where, ": incomplete record header (", got, " bytes)"));
  }
  absl::StatusOr<RecordHeader> header = DecodeRecordHeader(std::string_view(header_bytes.data(), got));
  if (!header.ok()) return Annotate(header.status(), where);
  const uint64_t available = file_size - offset - kRecordHeaderSize;
  if (header->payload_length > available) {
    return absl::DataLossError(absl::StrCat(where, ": record of block ", header->block_number, " needs ",
                                            header->payload_length, " payload bytes, the file has ", available));
  }
  Record record{*header, std::string(header->payload_length, '\0')};
  ASSIGN_OR_RETURN(const size_t payload_got,
                   ReadFullyAt(fd->get(), offset + kRecordHeaderSize,
                               {{record.payload.data(), record.payload.size()}}, PathOf(file_number)));
  if (payload_got != record.payload.size()) {
    return absl::DataLossError(absl::StrCat(where, ": record of block ", header->block_number,
                                            " is cut short (", payload_got, " of ", record.payload.size(),
                                            " payload bytes)"));
  }
  if (Crc32c(record.payload) != header->payload_crc) {
    return absl::DataLossError(
        absl::StrCat(where, ": payload checksum mismatch in the record of block ", header->block_number));
  }
  return record;
}

absl::StatusOr<std::string> BlockFileSet::ReadPayload(const RecordLocation& location, uint64_t block_number) const {
  const std::string where = Where(location.file_number, location.offset);
  ASSIGN_OR_RETURN(std::shared_ptr<const ScopedFd> fd, ReadFd(location.file_number));
  // The index says how much to read; check it against the file before allocating that much.
  struct stat st {};
  if (::fstat(fd->get(), &st) != 0) return ErrnoError(errno, PathOf(location.file_number), "stat");
  if (location.offset > static_cast<uint64_t>(st.st_size) ||
      location.end() > static_cast<uint64_t>(st.st_size)) {
    return absl::DataLossError(absl::StrCat(where, ": block ", block_number, " is indexed here with ",
                                            location.payload_length, " payload bytes but the file has ",
                                            st.st_size, " bytes"));
  }
  EncodedRecordHeader header_bytes;
  std::string payload(location.payload_length, '\0');
  ASSIGN_OR_RETURN(const size_t got,
                   ReadFullyAt(fd->get(), location.offset,
                               {{header_bytes.data(), header_bytes.size()}, {payload.data(), payload.size()}},
                               PathOf(location.file_number)));
  if (got != kRecordHeaderSize + payload.size()) {
    return absl::DataLossError(absl::StrCat(where, ": block ", block_number, " is indexed here with ",
                                            location.payload_length, " payload bytes but only ", got,
                                            " bytes could be read"));
  }
  absl::StatusOr<RecordHeader> header = DecodeRecordHeader(std::string_view(header_bytes.data(), kRecordHeaderSize));
  if (!header.ok()) return Annotate(header.status(), absl::StrCat(where, " (block ", block_number, ")"));
  if (header->block_number != block_number || header->payload_length != location.payload_length) {
    return absl::DataLossError(absl::StrCat(where, ": the index places block ", block_number, " (",
                                            location.payload_length, " bytes) here, but the record holds block ",
                                            header->block_number, " (", header->payload_length, " bytes)"));
  }
  if (Crc32c(payload) != header->payload_crc) {
    return absl::DataLossError(
        absl::StrCat(where, ": payload checksum mismatch in the record of block ", block_number));
  }
  return payload;
}

absl::StatusOr<std::vector<BlockFileSet::FoundRecord>> BlockFileSet::IntactRecordsAfter(
    uint32_t file_number, uint64_t from, uint64_t file_size) const {
  constexpr uint64_t kWindow = 1 << 20;
  const std::string_view magic(kRecordMagic, sizeof(kRecordMagic));
  ASSIGN_OR_RETURN(std::shared_ptr<const ScopedFd> fd, ReadFd(file_number));
  std::vector<FoundRecord> found;
  std::string window;
  uint64_t pos = from;
  while (pos + kRecordHeaderSize <= file_size) {
    // Windows overlap by the magic's length less one, so that a magic across a boundary is seen.
    window.resize(std::min<uint64_t>(kWindow + magic.size() - 1, file_size - pos));
    ASSIGN_OR_RETURN(const size_t got,
                     ReadFullyAt(fd->get(), pos, {{window.data(), window.size()}}, PathOf(file_number)));
    const size_t at = std::string_view(window.data(), got).find(magic);
    if (at == std::string_view::npos) {
      pos += kWindow;
      continue;
    }
    const uint64_t candidate = pos + at;
    absl::StatusOr<Record> record = ReadRecordAt(file_number, candidate, file_size);
    if (record.ok()) {
      found.push_back({candidate, record->header});
      pos = candidate + kRecordHeaderSize + record->header.payload_length;
    } else {
      pos = candidate + 1;
    }
  }
  return found;
}

absl::Status BlockFileSet::TruncateLastFile(uint64_t size) {
  const std::string path = PathOf(current_file_);
  if (::ftruncate(current_fd_.get(), static_cast<off_t>(size)) != 0) return ErrnoError(errno, path, "truncate");
  if (::fdatasync(current_fd_.get()) != 0) return ErrnoError(errno, path, "fdatasync");
  current_size_ = size;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RecordLocation>> BlockFileSet::Append(std::span<const RecordToWrite> records) {
  std::vector<EncodedRecordHeader> headers(records.size());
  std::vector<RecordLocation> locations;
  locations.reserve(records.size());
  std::vector<iovec> pending;  // the records not yet written to the current file
  pending.reserve(2 * records.size());
  uint64_t write_offset = current_size_;
  uint64_t end = current_size_;

  auto flush_and_sync = [&]() -> absl::Status {
    if (pending.empty()) return absl::OkStatus();
    RETURN_IF_ERROR(WriteFullyAt(current_fd_.get(), write_offset, std::move(pending), PathOf(current_file_)));
    pending.clear();
    if (::fdatasync(current_fd_.get()) != 0) return ErrnoError(errno, PathOf(current_file_), "fdatasync");
    current_size_ = end;
    return absl::OkStatus();
  };

  for (size_t i = 0; i < records.size(); ++i) {
    const RecordToWrite& record = records[i];
    if (record.payload.size() > kMaxPayloadSize) {
      return absl::InvalidArgumentError(absl::StrCat("block ", record.block_number, " is ", record.payload.size(),
                                                     " bytes; a block file record holds at most ", kMaxPayloadSize));
    }
    const uint64_t record_size = kRecordHeaderSize + record.payload.size();
    if (end > 0 && end + record_size > max_file_size_) {
      RETURN_IF_ERROR(flush_and_sync());
      if (current_file_ == UINT32_MAX) return absl::ResourceExhaustedError("no block file numbers left");
      RETURN_IF_ERROR(OpenForAppend(current_file_ + 1, /*create=*/true));
      write_offset = end = 0;
    }
    headers[i] = EncodeRecordHeader(record.block_number, static_cast<uint32_t>(i), record.payload);
    pending.push_back({headers[i].data(), headers[i].size()});
    // pwritev takes non-const buffers but only reads them.
    pending.push_back({const_cast<char*>(record.payload.data()), record.payload.size()});
    locations.push_back({current_file_, end, static_cast<uint32_t>(record.payload.size())});
    end += record_size;
  }
  RETURN_IF_ERROR(flush_and_sync());
  return locations;
}

}  // namespace careledger::blockstore
