#include "network/client/chaincode_package.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/crypto/sha256.h"
#include "common/encoding/hex.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::client {
namespace {

// Reserved by the lifecycle: "builtin:<name>" names a chaincode compiled into the peer.
constexpr char kBuiltinLabel[] = "builtin";
constexpr std::string_view kElfMagic = "\177ELF";
constexpr size_t kMaxLabelBytes = 128;

std::string Sha256Hex(std::string_view bytes) { return HexEncode(crypto::AsBytes(crypto::Sha256(bytes))); }

absl::StatusOr<std::string> ReadPackage(const std::string& file) {
  absl::StatusOr<std::string> bytes = file::ReadFile(file, kMaxPackageBytes);
  if (!bytes.ok()) return bytes.status();
  if (bytes->size() < kElfMagic.size() || bytes->compare(0, kElfMagic.size(), kElfMagic) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(file,
                     ": not an ELF file; a CareLedger chaincode package is the chaincode's shared library (.so), "
                     "not a Fabric .tar.gz package"));
  }
  return bytes;
}

}  // namespace

absl::Status ValidatePackageLabel(std::string_view label) {
  if (label.empty()) return absl::InvalidArgumentError("a package label must not be empty");
  if (label.size() > kMaxLabelBytes) {
    return absl::InvalidArgumentError(absl::StrCat("package label is longer than ", kMaxLabelBytes, " bytes"));
  }
  if (label == kBuiltinLabel) {
    return absl::InvalidArgumentError(
        "package label 'builtin' is reserved: 'builtin:<name>' names a chaincode compiled into the peer");
  }
  for (size_t i = 0; i < label.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(label[i]);
    const bool allowed = absl::ascii_isalnum(c) || (i > 0 && (c == '_' || c == '.' || c == '+' || c == '-'));
    if (!allowed) {
      return absl::InvalidArgumentError(
          absl::StrCat("package label '", AsAbsl(label), "' must start with a letter or digit and hold only ",
                       "letters, digits and _.+- (character ", i + 1, " is not allowed)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> PackageIdOfBytes(std::string_view bytes, std::string_view label) {
  RETURN_IF_ERROR(ValidatePackageLabel(label));
  return absl::StrCat(AsAbsl(label), ":", Sha256Hex(bytes));
}

absl::StatusOr<std::string> PackageIdOf(const std::string& file, std::string_view label) {
  RETURN_IF_ERROR(ValidatePackageLabel(label));
  ASSIGN_OR_RETURN(const std::string bytes, ReadPackage(file));
  return PackageIdOfBytes(bytes, label);
}

absl::StatusOr<std::string> Install(const std::string& file, std::string_view label, const std::string& install_dir) {
  RETURN_IF_ERROR(ValidatePackageLabel(label));
  std::error_code error;
  if (!std::filesystem::is_directory(install_dir, error)) {
    return absl::NotFoundError(absl::StrCat(
        "install folder ", install_dir, " is not an existing folder (it must be the peer's chaincode.installPath)"));
  }
  // The bytes are read once: what is hashed is exactly what is written.
  ASSIGN_OR_RETURN(const std::string bytes, ReadPackage(file));
  const std::string hash = Sha256Hex(bytes);
  const std::string target = absl::StrCat(install_dir, "/", hash, ".so");
  absl::StatusOr<std::string> installed = file::ReadFile(target, kMaxPackageBytes);
  if (!installed.ok() || *installed != bytes) {
    RETURN_IF_ERROR(file::WriteFileAtomic(target, bytes, 0644));
  }
  return absl::StrCat(AsAbsl(label), ":", hash);
}

}  // namespace careledger::client
