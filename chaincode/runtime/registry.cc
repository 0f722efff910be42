#include "chaincode/runtime/registry.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "chaincode/runtime/library_loader.h"
#include "common/crypto/sha256.h"
#include "common/encoding/hex.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::chaincode {
namespace {

// The lower-case form of a SHA-256 given in hex; InvalidArgument unless it is 64 hex digits.
absl::StatusOr<std::string> NormalizeSha256Hex(std::string_view hex) {
  std::string lower = absl::AsciiStrToLower(AsAbsl(hex));
  if (lower.size() != 2 * crypto::kSha256Size || lower.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("expected a SHA-256 as 64 hex digits, got \"", AsAbsl(hex), "\""));
  }
  return lower;
}

}  // namespace

absl::StatusOr<const Executable*> ChaincodeRegistry::AddBuiltin(std::string_view name,
                                                                const careledger_chaincode_descriptor* descriptor) {
  if (name.empty()) return absl::InvalidArgumentError("a built-in chaincode needs a name");
  RETURN_IF_ERROR(CheckDescriptor(descriptor, absl::StrCat("built-in chaincode ", AsAbsl(name))));
  std::lock_guard<std::mutex> lock(mu_);
  if (builtins_.find(name) != builtins_.end()) {
    return absl::AlreadyExistsError(absl::StrCat("a built-in chaincode named ", AsAbsl(name), " is registered"));
  }
  auto executable = std::make_unique<Executable>(Executable::Kind::kBuiltin, std::string(name), "", descriptor);
  const Executable* result = executable.get();
  builtins_.emplace(std::string(name), std::move(executable));
  return result;
}

absl::StatusOr<const Executable*> ChaincodeRegistry::FindBuiltin(std::string_view name) const {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = builtins_.find(name);
  if (it == builtins_.end()) {
    return absl::NotFoundError(absl::StrCat("no built-in chaincode is named ", AsAbsl(name)));
  }
  return it->second.get();
}

absl::StatusOr<const Executable*> ChaincodeRegistry::LoadLibrary(const std::string& path,
                                                                 std::string_view expected_sha256_hex) {
  ASSIGN_OR_RETURN(const std::string expected, NormalizeSha256Hex(expected_sha256_hex));
  std::lock_guard<std::mutex> lock(mu_);
  if (const auto it = libraries_.find(expected); it != libraries_.end()) return it->second.get();

  ASSIGN_OR_RETURN(const std::string bytes, file::ReadFile(path, kMaxLibraryBytes));
  const std::string actual = HexEncode(crypto::AsBytes(crypto::Sha256(bytes)));
  if (actual != expected) {
    return absl::FailedPreconditionError(absl::StrCat("chaincode library ", path, " has SHA-256 ", actual,
                                                      ", but the chaincode definition expects ", expected,
                                                      "; refusing to load it"));
  }
  const std::string label = absl::StrCat(path, " (SHA-256 ", actual, ")");
  ASSIGN_OR_RETURN(const careledger_chaincode_descriptor* descriptor, LoadChaincodeLibrary(bytes, label));
  RETURN_IF_ERROR(CheckDescriptor(descriptor, absl::StrCat("chaincode library ", label)));
  auto executable = std::make_unique<Executable>(Executable::Kind::kLibrary, path, actual, descriptor);
  const Executable* result = executable.get();
  libraries_.emplace(actual, std::move(executable));
  return result;
}

absl::StatusOr<const Executable*> ChaincodeRegistry::FindLibrary(std::string_view sha256_hex) const {
  ASSIGN_OR_RETURN(const std::string hash, NormalizeSha256Hex(sha256_hex));
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = libraries_.find(hash);
  if (it == libraries_.end()) {
    return absl::NotFoundError(absl::StrCat("no chaincode library with SHA-256 ", hash, " is loaded"));
  }
  return it->second.get();
}

}  // namespace careledger::chaincode
