// ChaincodeRegistry: the chaincodes a peer can run. Built-ins are registered by name; shared libraries
// are loaded from a file and identified by the SHA-256 of that file, the package hash a committed chaincode
// definition names.
//
// The registry never unloads anything (see library_loader.h): Executables, once returned, stay valid for
// the registry's life, and loaded libraries for the process's.
//
// Thread-safe. Loading holds the registry's lock while it reads and loads the file: loads are rare, and it
// keeps two concurrent loads of one package from loading it twice.
#ifndef CARELEDGER_CHAINCODE_RUNTIME_REGISTRY_H_
#define CARELEDGER_CHAINCODE_RUNTIME_REGISTRY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "careledger/chaincode_abi.h"
#include "chaincode/runtime/executable.h"

namespace careledger::chaincode {

class ChaincodeRegistry {
 public:
  // The largest library file LoadLibrary reads.
  static constexpr uint64_t kMaxLibraryBytes = uint64_t{256} << 20;

  ChaincodeRegistry() = default;
  ChaincodeRegistry(const ChaincodeRegistry&) = delete;
  ChaincodeRegistry& operator=(const ChaincodeRegistry&) = delete;

  // Registers a chaincode linked into the peer (e.g. shim::MakeChaincodeDescriptor<T>("asset")) under
  // `name`. `descriptor` must outlive the registry (a static). AlreadyExists if `name` is taken,
  // InvalidArgument if it is empty, FailedPrecondition if the descriptor is unusable (CheckDescriptor).
  absl::StatusOr<const Executable*> AddBuiltin(std::string_view name,
                                               const careledger_chaincode_descriptor* descriptor);

  // The built-in registered as `name`; NotFound if none.
  absl::StatusOr<const Executable*> FindBuiltin(std::string_view name) const;

  // Loads the chaincode library at `path`, whose SHA-256 must be `expected_sha256_hex` (64 hex digits, any
  // case). The file is read once, hashed, and exactly those bytes are loaded. A package already loaded
  // (same hash) is returned without reading the file again. Errors: InvalidArgument for a malformed hash, a
  // file that is not a loadable library or lacks the entry point (library_loader.h); the file's own errors
  // (NotFound, PermissionDenied, InvalidArgument when larger than kMaxLibraryBytes); FailedPrecondition if
  // the file's hash differs from the expected one (both named) or the library was built for another ABI
  // major.
  absl::StatusOr<const Executable*> LoadLibrary(const std::string& path, std::string_view expected_sha256_hex);

  // The library loaded with this SHA-256 (hex, any case); NotFound if none.
  absl::StatusOr<const Executable*> FindLibrary(std::string_view sha256_hex) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Executable>, std::less<>> builtins_;   // by name; guarded by mu_
  std::map<std::string, std::unique_ptr<Executable>, std::less<>> libraries_;  // by lower-case hash; guarded by mu_
};

}  // namespace careledger::chaincode

#endif  // CARELEDGER_CHAINCODE_RUNTIME_REGISTRY_H_
