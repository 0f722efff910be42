#include "network/audit/block_source.h"

#include <filesystem>
#include <string_view>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "common/blockstore/crc32c.h"
#include "common/blockstore/record_format.h"
#include "common/status_macros.h"

namespace careledger::audit {
namespace {

namespace fs = std::filesystem;

// The folder holding blockfile_000000 among the layouts Open accepts, or empty.
std::string FindBlockFiles(const std::string& dir) {
  for (const char* sub : {"", "/blocks", "/blocks/blocks"}) {
    const std::string candidate = dir + sub;
    std::error_code error;
    if (fs::is_regular_file(candidate + "/" + blockstore::BlockFileName(0), error)) return candidate;
  }
  return "";
}

// Reads exactly `size` bytes at `offset` of `file`. Internal naming `path` on a short read or an I/O error.
absl::StatusOr<std::string> ReadAt(std::FILE* file, const std::string& path, uint64_t offset, size_t size) {
  std::string bytes(size, '\0');
  if (::fseeko(file, static_cast<off_t>(offset), SEEK_SET) != 0 ||
      (size > 0 && std::fread(bytes.data(), 1, size, file) != size)) {
    return absl::InternalError(absl::StrCat("cannot read ", size, " bytes at offset ", offset, " of ", path));
  }
  return bytes;
}

}  // namespace

absl::StatusOr<std::optional<::common::Block>> InMemoryBlockSource::Next() {
  if (next_ >= blocks_.size()) return std::nullopt;
  return blocks_[next_++];
}

absl::StatusOr<std::unique_ptr<BlockFilesSource>> BlockFilesSource::Open(const std::string& dir) {
  const std::string files_dir = FindBlockFiles(dir);
  if (files_dir.empty()) {
    return absl::NotFoundError(absl::StrCat("no block files in ", dir, " (looked for ", blockstore::BlockFileName(0),
                                            " in it, in blocks/ and in blocks/blocks/)"));
  }
  std::unique_ptr<BlockFilesSource> source(new BlockFilesSource());
  source->files_dir_ = files_dir;
  while (fs::is_regular_file(files_dir + "/" + blockstore::BlockFileName(source->file_count_))) {
    ++source->file_count_;
  }
  // Count the records whose headers are intact, to know the height; Next() checks each record fully.
  for (uint32_t f = 0; f < source->file_count_; ++f) {
    const std::string path = files_dir + "/" + blockstore::BlockFileName(f);
    std::error_code error;
    const uint64_t size = fs::file_size(path, error);
    if (error) return absl::InternalError(absl::StrCat("cannot stat ", path, ": ", error.message()));
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) return absl::InternalError(absl::StrCat("cannot open ", path, " for reading"));
    uint64_t offset = 0;
    bool corrupt_header = false;  // as opposed to a record cut short by the end of the file
    while (offset + blockstore::kRecordHeaderSize <= size) {
      absl::StatusOr<std::string> bytes = ReadAt(file, path, offset, blockstore::kRecordHeaderSize);
      if (!bytes.ok()) {
        std::fclose(file);
        return bytes.status();
      }
      absl::StatusOr<blockstore::RecordHeader> header = blockstore::DecodeRecordHeader(*bytes);
      if (!header.ok()) {
        std::fclose(file);
        if (header.status().code() != absl::StatusCode::kDataLoss) {
          return Annotate(header.status(), absl::StrCat(path, " offset ", offset));
        }
        file = nullptr;
        corrupt_header = true;
        break;
      }
      const uint64_t end = offset + blockstore::kRecordHeaderSize + header->payload_length;
      if (end > size) break;
      ++source->height_;
      offset = end;
    }
    if (file != nullptr) std::fclose(file);
    if (offset == size) continue;
    if (!corrupt_header && f + 1 == source->file_count_) source->torn_tail_bytes_ = size - offset;
    break;
  }
  return source;
}

BlockFilesSource::~BlockFilesSource() {
  if (current_ != nullptr) std::fclose(current_);
}

std::string BlockFilesSource::Describe() const { return absl::StrCat("block files in ", files_dir_); }

absl::StatusOr<std::optional<::common::Block>> BlockFilesSource::Next() {
  while (true) {
    if (file_ >= file_count_) return std::nullopt;
    const std::string path = files_dir_ + "/" + blockstore::BlockFileName(file_);
    if (current_ == nullptr) {
      current_ = std::fopen(path.c_str(), "rb");
      if (current_ == nullptr) return absl::InternalError(absl::StrCat("cannot open ", path, " for reading"));
      std::error_code error;
      current_size_ = fs::file_size(path, error);
      if (error) return absl::InternalError(absl::StrCat("cannot stat ", path, ": ", error.message()));
      offset_ = 0;
    }
    if (offset_ < current_size_) break;
    std::fclose(current_);
    current_ = nullptr;
    ++file_;
  }
  const std::string path = files_dir_ + "/" + blockstore::BlockFileName(file_);
  const bool last_file = file_ + 1 == file_count_;
  const std::string where = absl::StrCat(path, " offset ", offset_);
  if (offset_ + blockstore::kRecordHeaderSize > current_size_) {
    if (last_file) return std::nullopt;  // torn tail
    return absl::DataLossError(absl::StrCat(where, ": incomplete record header where block ", next_number_,
                                            " should start"));
  }
  ASSIGN_OR_RETURN(std::string header_bytes, ReadAt(current_, path, offset_, blockstore::kRecordHeaderSize));
  absl::StatusOr<blockstore::RecordHeader> header = blockstore::DecodeRecordHeader(header_bytes);
  if (!header.ok()) {
    if (header.status().code() != absl::StatusCode::kDataLoss) return Annotate(header.status(), where);
    return absl::DataLossError(
        absl::StrCat(where, ": the record of block ", next_number_, " is damaged: ", header.status().message()));
  }
  const uint64_t end = offset_ + blockstore::kRecordHeaderSize + header->payload_length;
  if (end > current_size_) {
    if (last_file) return std::nullopt;  // torn tail
    return absl::DataLossError(
        absl::StrCat(where, ": the record of block ", next_number_, " runs past the end of the file"));
  }
  ASSIGN_OR_RETURN(std::string payload,
                   ReadAt(current_, path, offset_ + blockstore::kRecordHeaderSize, header->payload_length));
  if (blockstore::Crc32c(payload) != header->payload_crc) {
    return absl::DataLossError(absl::StrCat(where, ": the record of block ", next_number_,
                                            " fails its checksum: its bytes were changed after it was written"));
  }
  if (header->block_number != next_number_) {
    return absl::DataLossError(absl::StrCat(where, ": the record in the place of block ", next_number_,
                                            " holds block ", header->block_number));
  }
  ::common::Block block;
  if (!block.ParseFromString(payload)) {
    return absl::DataLossError(absl::StrCat(where, ": the record of block ", next_number_, " is not a block"));
  }
  offset_ = end;
  ++next_number_;
  return block;
}

}  // namespace careledger::audit
