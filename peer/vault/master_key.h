// The vault's master key: 32 random bytes, kept as 64 hexadecimal digits in a file of the node's configuration
// (vault.masterKeyFile). It wraps (AES-256-GCM) every document's own key, so whoever holds it and the vault's
// folder can read every document that has not been erased; whoever loses it loses every document. Hence the
// file must be readable by its owner only, and it is never overwritten.
#ifndef CARELEDGER_PEER_VAULT_MASTER_KEY_H_
#define CARELEDGER_PEER_VAULT_MASTER_KEY_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace careledger::vault {

// 32 key bytes, wiped from memory when destroyed. Movable, not copyable (one copy of a secret is enough).
class MasterKey {
 public:
  // InvalidArgument unless `bytes` is 32 bytes long.
  static absl::StatusOr<MasterKey> FromBytes(std::string bytes);

  MasterKey(MasterKey&& other) noexcept;
  MasterKey& operator=(MasterKey&& other) noexcept;
  MasterKey(const MasterKey&) = delete;
  MasterKey& operator=(const MasterKey&) = delete;
  ~MasterKey();

  std::string_view bytes() const { return bytes_; }

 private:
  explicit MasterKey(std::string bytes) : bytes_(std::move(bytes)) {}
  void Wipe();
  std::string bytes_;
};

// Reads the key file at `path`: 64 hexadecimal digits, optionally followed by one newline. Errors, each naming
// the path: NotFound if there is no such file; PermissionDenied if it is not a regular file owned readable only
// by its owner (any group or other permission bit: "chmod 600" it) or cannot be read; InvalidArgument if its
// content is not 64 hex digits. The content is never echoed in a message.
absl::StatusOr<MasterKey> LoadMasterKey(const std::string& path);

// Creates a new key file at `path` (mode 0600, written atomically and fsynced, parent folders created) holding
// 32 fresh bytes from the CSPRNG. AlreadyExists if a file is there: replacing a master key would make every
// document it wrapped unrecoverable. Internal if the CSPRNG fails; the file's write errors otherwise.
absl::Status GenerateMasterKeyFile(const std::string& path);

}  // namespace careledger::vault

#endif  // CARELEDGER_PEER_VAULT_MASTER_KEY_H_
