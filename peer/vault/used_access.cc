#include "peer/vault/used_access.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"

namespace careledger::vault {
namespace {

absl::Status ErrnoError(const std::string& path, std::string_view action) {
  const int err = errno;
  return absl::InternalError(absl::StrCat(path, ": cannot ", AsAbsl(action), ": ", std::strerror(err)));
}

}  // namespace

absl::Status CheckTxIdForm(std::string_view tx_id) {
  bool ok = tx_id.size() == 64;
  for (char c : tx_id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) ok = false;
  }
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat("invalid transaction ID '", AsAbsl(tx_id.substr(0, 80)),
                                                   "': expected 64 lower-case hexadecimal digits"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<UsedAccessTransactions>> UsedAccessTransactions::Open(const std::string& dir) {
  RETURN_IF_ERROR(Annotate(file::CreateDirectories(dir), "opening the vault's used-access markers"));
  return std::unique_ptr<UsedAccessTransactions>(new UsedAccessTransactions(dir));
}

absl::Status UsedAccessTransactions::Claim(std::string_view tx_id, std::string_view note) {
  RETURN_IF_ERROR(CheckTxIdForm(tx_id));
  const std::string path = absl::StrCat(dir_, "/", AsAbsl(tx_id));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return absl::AlreadyExistsError(absl::StrCat("access transaction ", AsAbsl(tx_id), " was already used"));
    }
    return ErrnoError(path, "create");
  }
  std::string line(note);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  line += '\n';
  absl::Status status;
  size_t done = 0;
  while (status.ok() && done < line.size()) {
    const ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno != EINTR) status = ErrnoError(path, "write");
    if (n > 0) done += static_cast<size_t>(n);
  }
  if (status.ok() && ::fsync(fd) != 0) status = ErrnoError(path, "fsync");
  ::close(fd);
  RETURN_IF_ERROR(status);
  const int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return ErrnoError(dir_, "open folder");
  const int rc = ::fsync(dir_fd);
  if (rc != 0) status = ErrnoError(dir_, "fsync folder");
  ::close(dir_fd);
  return status;
}

absl::StatusOr<bool> UsedAccessTransactions::IsClaimed(std::string_view tx_id) const {
  RETURN_IF_ERROR(CheckTxIdForm(tx_id));
  return file::Exists(absl::StrCat(dir_, "/", AsAbsl(tx_id)));
}

}  // namespace careledger::vault
