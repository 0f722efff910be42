#include "peer/endorser/runtime_chaincode_executor.h"

#include "absl/strings/str_cat.h"
#include "chaincode/builtin/asset/asset_chaincode.h"
#include "chaincode/builtin/bench/bench_chaincode.h"
#include "chaincode/builtin/healthcare/healthcare_chaincode.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "peer/lifecycle/chaincode_definition.h"

namespace careledger::endorser {

absl::StatusOr<std::unique_ptr<RuntimeChaincodeExecutor>> RuntimeChaincodeExecutor::Create(
    RuntimeChaincodeExecutorOptions options) {
  std::unique_ptr<RuntimeChaincodeExecutor> executor(new RuntimeChaincodeExecutor(std::move(options)));
  RETURN_IF_ERROR(executor->registry_
                      .AddBuiltin(chaincode::builtin::kAssetChaincodeName,
                                  chaincode::builtin::AssetChaincodeDescriptor())
                      .status());
  RETURN_IF_ERROR(executor->registry_
                      .AddBuiltin(chaincode::builtin::kBenchChaincodeName,
                                  chaincode::builtin::BenchChaincodeDescriptor())
                      .status());
  RETURN_IF_ERROR(executor->registry_
                      .AddBuiltin(chaincode::builtin::kHealthcareChaincodeName,
                                  chaincode::builtin::HealthcareChaincodeDescriptor())
                      .status());
  return executor;
}

absl::StatusOr<const chaincode::Executable*> RuntimeChaincodeExecutor::Find(std::string_view package_id) {
  if (std::optional<std::string> builtin = lifecycle::BuiltinChaincodeName(package_id)) {
    absl::StatusOr<const chaincode::Executable*> found = registry_.FindBuiltin(*builtin);
    if (!found.ok()) {
      return absl::NotFoundError(
          absl::StrCat("package ", AsAbsl(package_id), ": no built-in chaincode '", *builtin, "' in this peer"));
    }
    return found;
  }
  std::optional<std::string> hash = lifecycle::PackageHash(package_id);
  if (!hash) return absl::InvalidArgumentError(absl::StrCat("malformed package ID '", AsAbsl(package_id), "'"));
  absl::StatusOr<const chaincode::Executable*> loaded = registry_.FindLibrary(*hash);
  if (loaded.ok()) return loaded;
  const std::string path = absl::StrCat(options_.install_dir, "/", *hash, ".so");
  loaded = registry_.LoadLibrary(path, *hash);
  if (absl::IsNotFound(loaded.status())) {
    return absl::NotFoundError(
        absl::StrCat("package ", AsAbsl(package_id), " is not installed on this peer (no ", path, ")"));
  }
  return loaded;
}

absl::StatusOr<ChaincodeResult> RuntimeChaincodeExecutor::Execute(std::string_view package_id,
                                                                  std::string_view chaincode_name,
                                                                  const chaincode::InvocationContext& context,
                                                                  chaincode::LedgerAccess& ledger) {
  ASSIGN_OR_RETURN(const chaincode::Executable* code, Find(package_id));
  chaincode::InvokeOptions invoke;
  // A built-in chaincode is the peer's own reviewed code: it runs on the endorsing thread, sparing the hand-off
  // to a worker and back (about a fifth of an endorsement's time, measured by endorser_benchmark). Installed
  // libraries are third-party code: they run on a worker, fenced by the time limit.
  invoke.timeout = lifecycle::BuiltinChaincodeName(package_id) ? absl::InfiniteDuration() : options_.timeout;
  ASSIGN_OR_RETURN(chaincode::InvocationResult result, runtime_.Invoke(*code, chaincode_name, context, ledger, invoke));
  ChaincodeResult answer;
  answer.response = std::move(result.response);
  answer.event = std::move(result.event);
  return answer;
}

}  // namespace careledger::endorser
