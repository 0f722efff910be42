// Whole-file reads and writes for configuration, keys and certificates: bounded, atomic, with errors that
// name the path. Not for the ledger's hot paths, which manage their own files.
#ifndef CARELEDGER_COMMON_FILE_FILE_IO_H_
#define CARELEDGER_COMMON_FILE_FILE_IO_H_

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace careledger::file {

// Reads the file at `path`. NotFound if absent, PermissionDenied if unreadable, InvalidArgument if it is
// larger than `max_bytes` or not a regular file; messages start with the path.
absl::StatusOr<std::string> ReadFile(const std::string& path, uint64_t max_bytes = 16 << 20);

// Writes `data` to `path` atomically: a temporary file in the same folder, fsync, rename, fsync of the folder.
// Readers see the old or the new content, never a mix; a crash leaves one of them. Creates missing parent
// folders. `mode` applies to the new file (0600 for private keys).
absl::Status WriteFileAtomic(const std::string& path, const std::string& data, mode_t mode = 0644);

// Creates `path` and missing parents (mode 0755). OK if it exists as a folder.
absl::Status CreateDirectories(const std::string& path);

// Names (not paths) of the regular files directly in `dir`, sorted. NotFound if `dir` does not exist.
absl::StatusOr<std::vector<std::string>> ListFiles(const std::string& dir);

bool Exists(const std::string& path);

// Removes the file at `path`; OK if it does not exist.
absl::Status RemoveFile(const std::string& path);

}  // namespace careledger::file

#endif  // CARELEDGER_COMMON_FILE_FILE_IO_H_
