#include "peer/lifecycle/chaincode_definition.h"

#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace careledger::lifecycle {
namespace {

constexpr size_t kMaxNameBytes = 128;
constexpr char kBuiltinPrefix[] = "builtin:";
constexpr size_t kSha256HexChars = 64;

bool IsAlnum(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); }

bool SamePolicy(const ::protos::ApplicationPolicy& a, const ::protos::ApplicationPolicy& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

}  // namespace

bool ChaincodeDefinition::SameDefinitionAs(const ChaincodeDefinition& other) const {
  return Mismatches(other).empty();
}

std::vector<std::string> ChaincodeDefinition::Mismatches(const ChaincodeDefinition& other) const {
  std::vector<std::string> fields;
  if (sequence != other.sequence) fields.push_back("Sequence");
  if (version != other.version) fields.push_back("Version");
  if (!SamePolicy(endorsement_policy, other.endorsement_policy)) fields.push_back("EndorsementPolicy");
  if (init_required != other.init_required) fields.push_back("InitRequired");
  return fields;
}

absl::Status ValidateChaincodeName(std::string_view name) {
  // ^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$: alphanumeric runs joined by single '-' or '_'.
  bool valid = !name.empty() && name.size() <= kMaxNameBytes && IsAlnum(name.front()) && IsAlnum(name.back());
  for (size_t i = 0; valid && i < name.size(); ++i) {
    const char c = name[i];
    if (c == '-' || c == '_') {
      valid = IsAlnum(name[i + 1]);  // never the last character, checked above
    } else {
      valid = IsAlnum(c);
    }
  }
  if (!valid) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid chaincode name '", AsAbsl(name),
                     "': names are letters and digits, optionally joined by single '-' or '_', at most ",
                     kMaxNameBytes, " bytes"));
  }
  return absl::OkStatus();
}

absl::Status ValidateChaincodeVersion(std::string_view version) {
  bool valid = !version.empty() && version.size() <= kMaxNameBytes;
  for (char c : version) {
    valid = valid && (IsAlnum(c) || c == '_' || c == '.' || c == '+' || c == '-');
  }
  if (!valid) {
    return absl::InvalidArgumentError(absl::StrCat("invalid chaincode version '", AsAbsl(version),
                                                   "': versions are letters, digits and '_.+-', at most ",
                                                   kMaxNameBytes, " bytes"));
  }
  return absl::OkStatus();
}

std::optional<std::string> BuiltinChaincodeName(std::string_view package_id) {
  if (!absl::StartsWith(AsAbsl(package_id), kBuiltinPrefix)) return std::nullopt;
  return std::string(package_id.substr(sizeof(kBuiltinPrefix) - 1));
}

std::optional<std::string> PackageHash(std::string_view package_id) {
  const size_t colon = package_id.rfind(':');
  if (colon == std::string_view::npos || BuiltinChaincodeName(package_id)) return std::nullopt;
  return std::string(package_id.substr(colon + 1));
}

absl::Status ValidatePackageId(std::string_view package_id) {
  if (std::optional<std::string> builtin = BuiltinChaincodeName(package_id)) {
    absl::Status name = ValidateChaincodeName(*builtin);
    if (!name.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("package ID '", AsAbsl(package_id), "' names no valid built-in chaincode: ", name.message()));
    }
    return absl::OkStatus();
  }
  const size_t colon = package_id.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return absl::InvalidArgumentError(absl::StrCat("package ID '", AsAbsl(package_id),
                                                   "' is neither 'builtin:<name>' nor '<label>:<sha256 hex>'"));
  }
  const std::string_view hash = package_id.substr(colon + 1);
  bool hex = hash.size() == kSha256HexChars;
  for (char c : hash) hex = hex && (absl::ascii_isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'));
  if (!hex) {
    return absl::InvalidArgumentError(absl::StrCat("package ID '", AsAbsl(package_id),
                                                   "': the part after the last ':' must be the package's SHA-256 "
                                                   "in 64 lowercase hex digits"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ChaincodeDefinition> DefinitionFromArgs(std::string_view name, int64_t sequence,
                                                       std::string_view version, std::string_view endorsement_plugin,
                                                       std::string_view validation_plugin,
                                                       std::string_view validation_parameter,
                                                       const ::protos::CollectionConfigPackage& collections,
                                                       bool init_required) {
  if (absl::Status status = ValidateChaincodeName(name); !status.ok()) return status;
  if (absl::Status status = ValidateChaincodeVersion(version); !status.ok()) return status;
  if (sequence < 1) {
    return absl::InvalidArgumentError(absl::StrCat("chaincode '", AsAbsl(name), "': sequence must be at least 1, got ",
                                                   sequence));
  }
  if (!endorsement_plugin.empty() && endorsement_plugin != "escc") {
    return absl::InvalidArgumentError(absl::StrCat("chaincode '", AsAbsl(name), "': endorsement plugin '",
                                                   AsAbsl(endorsement_plugin),
                                                   "' is not supported (CareLedger has only the default, escc)"));
  }
  if (!validation_plugin.empty() && validation_plugin != "vscc") {
    return absl::InvalidArgumentError(absl::StrCat("chaincode '", AsAbsl(name), "': validation plugin '",
                                                   AsAbsl(validation_plugin),
                                                   "' is not supported (CareLedger has only the default, vscc)"));
  }
  if (collections.config_size() > 0) {
    return absl::InvalidArgumentError(absl::StrCat("chaincode '", AsAbsl(name),
                                                   "': private data collections are not supported"));
  }
  ChaincodeDefinition definition;
  definition.name = std::string(name);
  definition.sequence = sequence;
  definition.version = std::string(version);
  definition.init_required = init_required;
  if (validation_parameter.empty()) {
    definition.endorsement_policy.set_channel_config_policy_reference(kDefaultEndorsementPolicyReference);
  } else if (!definition.endorsement_policy.ParseFromString(std::string(validation_parameter)) ||
             definition.endorsement_policy.Type_case() == ::protos::ApplicationPolicy::TYPE_NOT_SET) {
    return absl::InvalidArgumentError(absl::StrCat(
        "chaincode '", AsAbsl(name), "': validation parameter is not a serialized ApplicationPolicy with a policy"));
  }
  return definition;
}

::lifecycle::QueryApprovedChaincodeDefinitionResult ToApprovedResult(const ChaincodeDefinition& definition) {
  ::lifecycle::QueryApprovedChaincodeDefinitionResult result;
  result.set_sequence(definition.sequence);
  result.set_version(definition.version);
  result.set_endorsement_plugin("escc");
  result.set_validation_plugin("vscc");
  result.set_validation_parameter(definition.endorsement_policy.SerializeAsString());
  result.set_init_required(definition.init_required);
  if (definition.package_id.empty()) {
    result.mutable_source()->mutable_unavailable();
  } else {
    result.mutable_source()->mutable_local_package()->set_package_id(definition.package_id);
  }
  return result;
}

std::string EncodeDefinition(const ChaincodeDefinition& definition) {
  return ToApprovedResult(definition).SerializeAsString();
}

absl::StatusOr<ChaincodeDefinition> DecodeDefinition(std::string_view name, std::string_view bytes) {
  ::lifecycle::QueryApprovedChaincodeDefinitionResult stored;
  ChaincodeDefinition definition;
  if (!stored.ParseFromString(std::string(bytes)) ||
      !definition.endorsement_policy.ParseFromString(stored.validation_parameter())) {
    return absl::DataLossError(
        absl::StrCat("the stored definition of chaincode '", AsAbsl(name), "' in ", kLifecycleNamespace,
                     " does not parse"));
  }
  definition.name = std::string(name);
  definition.sequence = stored.sequence();
  definition.version = stored.version();
  definition.init_required = stored.init_required();
  definition.package_id = stored.source().local_package().package_id();
  return definition;
}

std::string DefinitionKey(std::string_view name) { return absl::StrCat("definition/", AsAbsl(name)); }

std::string ApprovalKey(std::string_view name, int64_t sequence, std::string_view msp_id) {
  return absl::StrCat("approval/", AsAbsl(name), "/", sequence, "/", AsAbsl(msp_id));
}

}  // namespace careledger::lifecycle
