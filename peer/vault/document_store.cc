#include "peer/vault/document_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <openssl/crypto.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/crypto/aes_gcm.h"
#include "common/crypto/random.h"
#include "common/crypto/sha256.h"
#include "common/encoding/hex.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "peer/vault/utc_time.h"

namespace careledger::vault {
namespace {

// Frozen: the first byte of every document and key file. A file with another version is refused, not guessed.
constexpr char kFormatVersion = 1;
constexpr char kDocumentAadPrefix[] = "careledger-vault/document/v1/";
constexpr char kKeyAadPrefix[] = "careledger-vault/key/v1/";
constexpr char kTombstoneHeader[] = "careledger-vault/tombstone/v1";

// Wipes a string holding key material when it goes out of scope.
class Wiped {
 public:
  explicit Wiped(std::string& s) : s_(s) {}
  ~Wiped() { OPENSSL_cleanse(s_.data(), s_.size()); }
  Wiped(const Wiped&) = delete;
  Wiped& operator=(const Wiped&) = delete;

 private:
  std::string& s_;
};

absl::StatusOr<std::string> Seal(std::string_view key, std::string_view plaintext, std::string_view aad) {
  ASSIGN_OR_RETURN(std::string nonce, crypto::RandomBytes(crypto::kGcmNonceSize));
  ASSIGN_OR_RETURN(std::string sealed, crypto::Aes256GcmSeal(key, nonce, plaintext, aad));
  std::string out;
  out.reserve(1 + nonce.size() + sealed.size());
  out.push_back(kFormatVersion);
  out += nonce;
  out += sealed;
  return out;
}

// Reverses Seal; every failure is DataLoss naming `what`: the file is not what Seal wrote with this key.
absl::StatusOr<std::string> Unseal(std::string_view key, std::string_view file, std::string_view aad,
                                   std::string_view what) {
  if (file.size() < 1 + crypto::kGcmNonceSize + crypto::kGcmTagSize) {
    return absl::DataLossError(absl::StrCat(AsAbsl(what), " is truncated (", file.size(), " bytes)"));
  }
  if (file[0] != kFormatVersion) {
    return absl::DataLossError(absl::StrCat(AsAbsl(what), " has format version ", static_cast<int>(file[0]),
                                            ", which this build does not know"));
  }
  absl::StatusOr<std::string> plain = crypto::Aes256GcmOpen(key, file.substr(1, crypto::kGcmNonceSize),
                                                            file.substr(1 + crypto::kGcmNonceSize), aad);
  if (!plain.ok()) {
    return absl::DataLossError(absl::StrCat(AsAbsl(what), " does not decrypt: ", plain.status().message()));
  }
  return plain;
}

absl::Status ErrnoError(const std::string& path, std::string_view action) {
  const int err = errno;
  return absl::InternalError(absl::StrCat(path, ": cannot ", AsAbsl(action), ": ", std::strerror(err)));
}

absl::Status SyncFolder(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(dir, "open folder");
  const int rc = ::fsync(fd);
  if (rc != 0) {
    absl::Status status = ErrnoError(dir, "fsync folder");
    ::close(fd);
    return status;
  }
  ::close(fd);
  return absl::OkStatus();
}

// Unlinks `path` (OK if absent) and makes the removal durable.
absl::Status UnlinkDurably(const std::string& dir, const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoError(path, "unlink");
  return SyncFolder(dir);
}

absl::Status ErasedError(const std::string& address, const Tombstone& tombstone) {
  return absl::FailedPreconditionError(absl::StrCat("document ", address, " was erased at ",
                                                    FormatUtc(tombstone.erased_at), " by ", tombstone.erased_by));
}

std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> NormalizeAddress(std::string_view address) {
  std::string out(address);
  bool hex = out.size() == 2 * crypto::kSha256Size;
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) hex = false;
  }
  if (!hex) {
    return absl::InvalidArgumentError(absl::StrCat("invalid document address '", AsAbsl(address.substr(0, 80)),
                                                   "': expected a SHA-256 of 64 hexadecimal digits"));
  }
  return out;
}

DocumentStore::DocumentStore(std::string dir, MasterKey master_key, DocumentStoreOptions options)
    : dir_(std::move(dir)), master_key_(std::move(master_key)), options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<DocumentStore>> DocumentStore::Open(const std::string& dir, MasterKey master_key,
                                                                  DocumentStoreOptions options) {
  if (options.max_document_bytes == 0) {
    return absl::InvalidArgumentError("the vault's maximum document size must be positive");
  }
  for (const char* sub : {"documents", "keys", "erased"}) {
    RETURN_IF_ERROR(Annotate(file::CreateDirectories(absl::StrCat(dir, "/", sub)), "opening the document vault"));
  }
  return std::unique_ptr<DocumentStore>(new DocumentStore(dir, std::move(master_key), std::move(options)));
}

std::string DocumentStore::DocumentPath(std::string_view address) const {
  return absl::StrCat(dir_, "/documents/", AsAbsl(address));
}
std::string DocumentStore::KeyPath(std::string_view address) const {
  return absl::StrCat(dir_, "/keys/", AsAbsl(address));
}
std::string DocumentStore::TombstonePath(std::string_view address) const {
  return absl::StrCat(dir_, "/erased/", AsAbsl(address));
}

absl::StatusOr<StoredDocument> DocumentStore::Put(std::string_view plaintext, std::string_view claimed_sha256) {
  ASSIGN_OR_RETURN(const std::string address, NormalizeAddress(claimed_sha256));
  if (plaintext.size() > options_.max_document_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("document of ", plaintext.size(),
                                                   " bytes is larger than the vault's limit of ",
                                                   options_.max_document_bytes, " bytes"));
  }
  const std::string actual = HexEncode(crypto::Sha256Bytes(plaintext));
  if (actual != address) {
    return absl::InvalidArgumentError(absl::StrCat("hash mismatch: the document's SHA-256 is ", actual,
                                                   ", not the claimed ", address, "; nothing was stored"));
  }
  StoredDocument stored{address, plaintext.size(), false};

  // Encrypt before taking the lock: it is the slow part, and its result is discarded if the content is there.
  ASSIGN_OR_RETURN(std::string document_key, crypto::RandomBytes(crypto::kAes256KeySize));
  Wiped wipe_key(document_key);
  ASSIGN_OR_RETURN(const std::string sealed_document,
                   Seal(document_key, plaintext, absl::StrCat(kDocumentAadPrefix, address)));
  ASSIGN_OR_RETURN(const std::string wrapped_key,
                   Seal(master_key_.bytes(), document_key, absl::StrCat(kKeyAadPrefix, address)));

  std::lock_guard<std::mutex> lock(write_mu_);
  ASSIGN_OR_RETURN(std::optional<Tombstone> tombstone, ErasedAt(address));
  if (tombstone.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "document ", address, " was erased at ", FormatUtc(tombstone->erased_at),
        "; the vault does not store erased content again"));
  }
  if (file::Exists(KeyPath(address))) {
    absl::StatusOr<std::string> existing = Decrypt(address);
    if (existing.ok()) {
      stored.already_stored = true;
      return stored;
    }
    if (!absl::IsDataLoss(existing.status()) && !absl::IsNotFound(existing.status())) return existing.status();
    // A damaged copy: replace it below with this good one.
  }
  RETURN_IF_ERROR(file::WriteFileAtomic(DocumentPath(address), sealed_document, 0600));
  if (options_.before_key_write) RETURN_IF_ERROR(options_.before_key_write());
  RETURN_IF_ERROR(file::WriteFileAtomic(KeyPath(address), wrapped_key, 0600));
  return stored;
}

absl::StatusOr<std::string> DocumentStore::Decrypt(const std::string& address) const {
  const uint64_t max_sealed = options_.max_document_bytes + 1 + crypto::kGcmNonceSize + crypto::kGcmTagSize;
  absl::StatusOr<std::string> wrapped = file::ReadFile(KeyPath(address), 1024);
  if (absl::IsNotFound(wrapped.status())) {
    return absl::NotFoundError(absl::StrCat("document ", address, " is not in this vault"));
  }
  if (!wrapped.ok()) return wrapped.status();
  ASSIGN_OR_RETURN(std::string document_key,
                   Unseal(master_key_.bytes(), *wrapped, absl::StrCat(kKeyAadPrefix, address),
                          absl::StrCat("the wrapped key of document ", address,
                                       " (altered, or not wrapped by this vault's master key)")));
  Wiped wipe_key(document_key);
  absl::StatusOr<std::string> sealed = file::ReadFile(DocumentPath(address), max_sealed);
  if (absl::IsNotFound(sealed.status())) {
    return absl::DataLossError(absl::StrCat("document ", address, " has a key but no ciphertext"));
  }
  if (!sealed.ok()) return sealed.status();
  ASSIGN_OR_RETURN(std::string plaintext,
                   Unseal(document_key, *sealed, absl::StrCat(kDocumentAadPrefix, address),
                          absl::StrCat("the ciphertext of document ", address)));
  if (HexEncode(crypto::Sha256Bytes(plaintext)) != address) {
    return absl::DataLossError(absl::StrCat("document ", address, " decrypts to content with another SHA-256"));
  }
  return plaintext;
}

absl::StatusOr<std::string> DocumentStore::Get(std::string_view address) const {
  ASSIGN_OR_RETURN(const std::string normalized, NormalizeAddress(address));
  ASSIGN_OR_RETURN(std::optional<Tombstone> tombstone, ErasedAt(normalized));
  if (tombstone.has_value()) return ErasedError(normalized, *tombstone);
  absl::StatusOr<std::string> plaintext = Decrypt(normalized);
  if (absl::IsDataLoss(plaintext.status()) || absl::IsNotFound(plaintext.status())) {
    // An Erase may have run between the tombstone check and the reads: say so rather than "damaged".
    ASSIGN_OR_RETURN(std::optional<Tombstone> late, ErasedAt(normalized));
    if (late.has_value()) return ErasedError(normalized, *late);
  }
  return plaintext;
}

absl::StatusOr<bool> DocumentStore::Contains(std::string_view address) const {
  ASSIGN_OR_RETURN(const std::string normalized, NormalizeAddress(address));
  return file::Exists(KeyPath(normalized));
}

absl::StatusOr<std::optional<Tombstone>> DocumentStore::ErasedAt(std::string_view address) const {
  ASSIGN_OR_RETURN(const std::string normalized, NormalizeAddress(address));
  const std::string path = TombstonePath(normalized);
  absl::StatusOr<std::string> text = file::ReadFile(path, 64 * 1024);
  if (absl::IsNotFound(text.status())) return std::optional<Tombstone>();
  if (!text.ok()) return text.status();
  const std::vector<std::string> lines = absl::StrSplit(*text, '\n');
  Tombstone tombstone;
  std::string error;
  if (lines.size() != 4 || lines[0] != kTombstoneHeader || !lines[3].empty() ||
      !absl::ParseTime(absl::RFC3339_full, lines[1], &tombstone.erased_at, &error)) {
    return absl::DataLossError(absl::StrCat(path, ": not a vault tombstone this build can read"));
  }
  tombstone.erased_by = lines[2];
  return std::optional<Tombstone>(std::move(tombstone));
}

absl::StatusOr<Tombstone> DocumentStore::Erase(std::string_view address, absl::Time when, std::string_view who) {
  ASSIGN_OR_RETURN(const std::string normalized, NormalizeAddress(address));
  std::lock_guard<std::mutex> lock(write_mu_);
  ASSIGN_OR_RETURN(std::optional<Tombstone> tombstone, ErasedAt(normalized));
  if (!tombstone.has_value()) {
    if (!file::Exists(KeyPath(normalized)) && !file::Exists(DocumentPath(normalized))) {
      return absl::NotFoundError(absl::StrCat("document ", normalized, " is not in this vault"));
    }
    tombstone = Tombstone{when, OneLine(who)};
    // The tombstone first: from the moment the key may be gone, Get says "erased", never "not found".
    RETURN_IF_ERROR(file::WriteFileAtomic(
        TombstonePath(normalized),
        absl::StrCat(kTombstoneHeader, "\n", FormatUtc(when), "\n",
                     tombstone->erased_by, "\n"),
        0600));
  }
  RETURN_IF_ERROR(UnlinkDurably(absl::StrCat(dir_, "/keys"), KeyPath(normalized)));
  RETURN_IF_ERROR(UnlinkDurably(absl::StrCat(dir_, "/documents"), DocumentPath(normalized)));
  return *std::move(tombstone);
}

}  // namespace careledger::vault
