// Chaincode packages on the peer's host: naming a shared-library chaincode and installing it where the peer
// loads it from.
//
// A CareLedger chaincode package is the chaincode's shared library itself (docs/chaincode.md). Its package ID
// is "<label>:<SHA-256 of the file's bytes, 64 lowercase hex>", and the peer runs the package a committed
// definition names from <chaincode.installPath>/<sha256 hex>.so (peer/endorser/runtime_chaincode_executor.h),
// hashing the bytes again before loading them. Installing is therefore a local file copy into that folder,
// done on the peer's host; the label is only part of the ID, so organisations agree on a readable name.
// Unlike Fabric, there is no remote install through the peer (InstallChaincode) yet.
//
// Thread-safe; concurrent installs of the same file into one folder are safe (each writes a complete file by
// rename).
#ifndef CARELEDGER_NETWORK_CLIENT_CHAINCODE_PACKAGE_H_
#define CARELEDGER_NETWORK_CLIENT_CHAINCODE_PACKAGE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace careledger::client {

// The largest library the peer loads (chaincode/runtime/registry.h, kMaxLibraryBytes).
inline constexpr uint64_t kMaxPackageBytes = uint64_t{256} << 20;

// Fabric's label rule: a letter or digit, then letters, digits and "_.+-". "builtin" is refused: it would
// make a package ID the peer reads as a built-in chaincode. InvalidArgument saying why.
absl::Status ValidatePackageLabel(std::string_view label);

// "<label>:<sha256 hex of the bytes>". InvalidArgument for a bad label.
absl::StatusOr<std::string> PackageIdOfBytes(std::string_view bytes, std::string_view label);

// The package ID of the library at `file`. InvalidArgument for a bad label, a file larger than
// kMaxPackageBytes or one that is not an ELF file (a chaincode shared library; Fabric's .tar.gz packages are
// not CareLedger packages); NotFound / PermissionDenied if the file cannot be read. Messages name the file.
absl::StatusOr<std::string> PackageIdOf(const std::string& file, std::string_view label);

// Copies the library at `file` to <install_dir>/<sha256 hex>.so and returns its package ID. The copy is atomic
// (a temporary file in install_dir, fsync, rename, fsync of the folder): the peer sees no file or the whole
// one. Installing the same bytes again is OK and writes nothing; a file already there with other bytes (a
// damaged copy) is replaced. Errors as PackageIdOf, and NotFound if `install_dir` is not an existing folder
// (it must be the peer's chaincode.installPath, so a mistyped path is not created); Internal for a failed
// write, naming the path. On any error nothing is left in install_dir.
absl::StatusOr<std::string> Install(const std::string& file, std::string_view label, const std::string& install_dir);

}  // namespace careledger::client

#endif  // CARELEDGER_NETWORK_CLIENT_CHAINCODE_PACKAGE_H_
