// The peer's ChaincodeExecutor: chaincode/runtime with the built-in chaincodes registered (`asset`, `bench`)
// and installed packages loaded on first use from the chaincode folder.
//
// A package ID "builtin:<name>" runs the built-in of that name, on the calling thread (built-ins are the
// peer's own code; the time limit fences third-party libraries). A package ID "<label>:<sha256>" runs the
// library installed as <install_dir>/<sha256>.so; the runtime hashes the file's bytes and refuses it
// (FailedPrecondition) if they are not the package the committed definition names, so a swapped or damaged
// file is never run.
#ifndef CARELEDGER_PEER_ENDORSER_RUNTIME_CHAINCODE_EXECUTOR_H_
#define CARELEDGER_PEER_ENDORSER_RUNTIME_CHAINCODE_EXECUTOR_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chaincode/runtime/registry.h"
#include "chaincode/runtime/runtime.h"
#include "peer/endorser/chaincode_executor.h"

namespace careledger::endorser {

struct RuntimeChaincodeExecutorOptions {
  std::string install_dir;                       // installed packages: <sha256>.so
  absl::Duration timeout = absl::Seconds(30);    // per invocation (chaincode.executetimeout)
  chaincode::Runtime::Options runtime;
};

class RuntimeChaincodeExecutor final : public ChaincodeExecutor {
 public:
  // Registers the built-ins. Errors only if a built-in cannot be registered (a programming error).
  static absl::StatusOr<std::unique_ptr<RuntimeChaincodeExecutor>> Create(RuntimeChaincodeExecutorOptions options);

  absl::StatusOr<ChaincodeResult> Execute(std::string_view package_id, std::string_view chaincode_name,
                                          const chaincode::InvocationContext& context,
                                          chaincode::LedgerAccess& ledger) override;

 private:
  explicit RuntimeChaincodeExecutor(RuntimeChaincodeExecutorOptions options)
      : options_(std::move(options)), runtime_(options_.runtime) {}

  absl::StatusOr<const chaincode::Executable*> Find(std::string_view package_id);

  const RuntimeChaincodeExecutorOptions options_;
  chaincode::ChaincodeRegistry registry_;
  chaincode::Runtime runtime_;
};

}  // namespace careledger::endorser

#endif  // CARELEDGER_PEER_ENDORSER_RUNTIME_CHAINCODE_EXECUTOR_H_
