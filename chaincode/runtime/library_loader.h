// Loads a chaincode shared library from bytes already verified, so that the code that runs is exactly the
// code that was hashed.
//
// Why a memfd: checking a file's hash and then dlopen-ing its path leaves a window in which the file can
// be replaced. Instead the bytes that were hashed are copied into an anonymous memory file (memfd_create),
// sealed against any change, and dlopen-ed through /proc/self/fd/N: nothing on disk is read after the
// check. The memfd stays open for the life of the process, because glibc recognises an already loaded
// library by its path: a closed and reused descriptor number would make a later dlopen of another library
// silently return this one.
//
// Never unloaded: a library's code may still be running on a worker the runtime gave up on (a time limit),
// and its static data outlives any invocation, so dlclose is never called. Loading runs the library's
// static initialisers in the calling thread: they are the chaincode's code, as trusted as the rest of it.
#ifndef CARELEDGER_CHAINCODE_RUNTIME_LIBRARY_LOADER_H_
#define CARELEDGER_CHAINCODE_RUNTIME_LIBRARY_LOADER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "careledger/chaincode_abi.h"

namespace careledger::chaincode {

// Loads `bytes` as a shared library (all symbols bound now, RTLD_LOCAL) and returns the descriptor its
// careledger_chaincode_v1 returns, unchecked (see CheckDescriptor). `label` names the library in errors.
// Errors: InvalidArgument if the bytes are not a loadable shared library (a truncated or foreign ELF image,
// refused before dlopen maps it, or dlerror's reason) or do not export careledger_chaincode_v1;
// FailedPrecondition if that returns null; Internal if the memfd cannot be made. Thread-safe.
absl::StatusOr<const careledger_chaincode_descriptor*> LoadChaincodeLibrary(std::string_view bytes,
                                                                            std::string_view label);

}  // namespace careledger::chaincode

#endif  // CARELEDGER_CHAINCODE_RUNTIME_LIBRARY_LOADER_H_
