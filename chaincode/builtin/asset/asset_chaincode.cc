#include "chaincode/builtin/asset/asset_chaincode.h"

#include <charconv>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "careledger/shim/chaincode_export.h"
#include "nlohmann/json.hpp"

namespace careledger::chaincode::builtin {
namespace {

using Json = nlohmann::json;
using shim::ChaincodeStub;
using shim::Error;
using shim::Response;
using shim::Success;

constexpr char kOwnerIndex[] = "owner~id";

struct Asset {
  std::string id;
  std::string color;
  uint64_t size = 0;
  std::string owner;
  uint64_t appraised_value = 0;
};

// Canonical JSON: nlohmann's objects keep keys sorted and dump() adds no spaces, so every peer writes the
// same bytes for the same asset.
Json ToJsonObject(const Asset& asset) {
  return Json{{"ID", asset.id},
              {"color", asset.color},
              {"size", asset.size},
              {"owner", asset.owner},
              {"appraisedValue", asset.appraised_value}};
}

std::string ToJson(const Asset& asset) { return ToJsonObject(asset).dump(); }

// Parses a stored asset; nullopt if the stored bytes are not an asset (written by something else).
std::optional<Asset> FromJson(std::string_view text) {
  const Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return std::nullopt;
  const auto string_field = [&](const char* name) -> const Json* {
    const auto it = json.find(name);
    return it != json.end() && it->is_string() ? &*it : nullptr;
  };
  const auto number_field = [&](const char* name) -> const Json* {
    const auto it = json.find(name);
    return it != json.end() && it->is_number_unsigned() ? &*it : nullptr;
  };
  const Json* id = string_field("ID");
  const Json* color = string_field("color");
  const Json* owner = string_field("owner");
  const Json* size = number_field("size");
  const Json* value = number_field("appraisedValue");
  if (!id || !color || !owner || !size || !value) return std::nullopt;
  return Asset{id->get<std::string>(), color->get<std::string>(), size->get<uint64_t>(), owner->get<std::string>(),
               value->get<uint64_t>()};
}

// Refuses the proposal: the runtime answers a ShimError with status 500 and exactly this message.
void Require(bool condition, const std::string& message) {
  if (!condition) throw shim::ShimError(message);
}

void CheckArgumentCount(const std::string& function, const std::vector<std::string>& args, size_t expected,
                        const char* names) {
  Require(args.size() == expected, "incorrect number of arguments: " + function + " takes " + std::to_string(expected) +
                                       " (" + names + "), got " + std::to_string(args.size()));
}

void CheckId(const std::string& id) {
  Require(!id.empty(), "an asset ID must not be empty");
  Require(id.front() != '\x00', "an asset ID must not start with 0x00 (the composite-key namespace)");
}

uint64_t ParseCount(const std::string& name, const std::string& text) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  Require(!text.empty() && error == std::errc() && end == text.data() + text.size(),
          name + " must be a non-negative integer, got '" + text + "'");
  return value;
}

Asset ParseAsset(const std::vector<std::string>& args) {
  CheckId(args[0]);
  return Asset{args[0], args[1], ParseCount("size", args[2]), args[3], ParseCount("appraisedValue", args[4])};
}

std::optional<Asset> LoadAsset(ChaincodeStub& stub, const std::string& id) {
  std::optional<std::string> stored = stub.GetState(id);
  if (!stored.has_value()) return std::nullopt;
  std::optional<Asset> asset = FromJson(*stored);
  Require(asset.has_value(), "the value stored under " + id + " is not an asset");
  return asset;
}

Asset MustLoadAsset(ChaincodeStub& stub, const std::string& id) {
  CheckId(id);
  std::optional<Asset> asset = LoadAsset(stub, id);
  Require(asset.has_value(), "the asset " + id + " does not exist");
  return std::move(*asset);
}

std::string OwnerIndexKey(ChaincodeStub& stub, const Asset& asset) {
  return stub.CreateCompositeKey(kOwnerIndex, {asset.owner, asset.id});
}

void StoreAsset(ChaincodeStub& stub, const Asset& asset, const std::optional<Asset>& previous) {
  if (previous.has_value() && previous->owner != asset.owner) stub.DelState(OwnerIndexKey(stub, *previous));
  if (!previous.has_value() || previous->owner != asset.owner) {
    stub.PutState(OwnerIndexKey(stub, asset), std::string_view("\x00", 1));
  }
  stub.PutState(asset.id, ToJson(asset));
}

Response CreateAsset(ChaincodeStub& stub, const std::string& function, const std::vector<std::string>& args) {
  CheckArgumentCount(function, args, 5, "id, color, size, owner, appraisedValue");
  const Asset asset = ParseAsset(args);
  Require(!stub.GetState(asset.id).has_value(), "the asset " + asset.id + " already exists");
  StoreAsset(stub, asset, std::nullopt);
  return Success(ToJson(asset));
}

Response UpdateAsset(ChaincodeStub& stub, const std::string& function, const std::vector<std::string>& args) {
  CheckArgumentCount(function, args, 5, "id, color, size, owner, appraisedValue");
  const Asset asset = ParseAsset(args);
  const Asset previous = MustLoadAsset(stub, asset.id);
  StoreAsset(stub, asset, previous);
  return Success(ToJson(asset));
}

Response TransferAsset(ChaincodeStub& stub, const std::string& function, const std::vector<std::string>& args) {
  CheckArgumentCount(function, args, 2, "id, newOwner");
  const Asset previous = MustLoadAsset(stub, args[0]);
  Asset asset = previous;
  asset.owner = args[1];
  StoreAsset(stub, asset, previous);
  return Success(previous.owner);
}

Response DeleteAsset(ChaincodeStub& stub, const std::string& function, const std::vector<std::string>& args) {
  CheckArgumentCount(function, args, 1, "id");
  const Asset asset = MustLoadAsset(stub, args[0]);
  stub.DelState(OwnerIndexKey(stub, asset));
  stub.DelState(asset.id);
  return Success();
}

Response AssetExists(ChaincodeStub& stub, const std::string& function, const std::vector<std::string>& args) {
  CheckArgumentCount(function, args, 1, "id");
  CheckId(args[0]);
  return Success(stub.GetState(args[0]).has_value() ? "true" : "false");
}

Response ReadAsset(ChaincodeStub& stub, const std::string& function, const std::vector<std::string>& args) {
  CheckArgumentCount(function, args, 1, "id");
  return Success(ToJson(MustLoadAsset(stub, args[0])));
}

Response GetAllAssets(ChaincodeStub& stub, const std::string& function, const std::vector<std::string>& args) {
  CheckArgumentCount(function, args, 0, "none");
  Json assets = Json::array();
  auto it = stub.GetStateByRange("", "");
  while (it->HasNext()) {
    const shim::KV kv = it->Next();
    std::optional<Asset> asset = FromJson(kv.value);
    Require(asset.has_value(), "the value stored under " + kv.key + " is not an asset");
    assets.push_back(ToJsonObject(*asset));
  }
  return Success(assets.dump());
}

Response GetAssetsByOwner(ChaincodeStub& stub, const std::string& function, const std::vector<std::string>& args) {
  CheckArgumentCount(function, args, 1, "owner");
  Json assets = Json::array();
  auto it = stub.GetStateByPartialCompositeKey(kOwnerIndex, {args[0]});
  while (it->HasNext()) {
    const shim::CompositeKeyParts parts = stub.SplitCompositeKey(it->Next().key);
    Require(parts.attributes.size() == 2, "a malformed owner index key for owner " + args[0]);
    // The index and the asset are written together, so an index entry without its asset is corruption.
    const Asset asset = MustLoadAsset(stub, parts.attributes[1]);
    assets.push_back(ToJsonObject(asset));
  }
  return Success(assets.dump());
}

Response GetAssetHistory(ChaincodeStub& stub, const std::string& function, const std::vector<std::string>& args) {
  CheckArgumentCount(function, args, 1, "id");
  CheckId(args[0]);
  Json history = Json::array();
  auto it = stub.GetHistoryForKey(args[0]);
  while (it->HasNext()) {
    const shim::KeyModification modification = it->Next();
    Json entry{{"txId", modification.tx_id},
               {"timestamp", {{"seconds", modification.timestamp.seconds}, {"nanos", modification.timestamp.nanos}}},
               {"isDelete", modification.is_delete},
               {"asset", nullptr}};
    if (!modification.is_delete) {
      std::optional<Asset> asset = FromJson(modification.value);
      Require(asset.has_value(), "a value in the history of " + args[0] + " is not an asset");
      entry["asset"] = ToJsonObject(*asset);
    }
    history.push_back(std::move(entry));
  }
  return Success(history.dump());
}

using Function = Response (*)(ChaincodeStub&, const std::string&, const std::vector<std::string>&);

const std::map<std::string, Function, std::less<>>& Functions() {
  static const auto* functions = new std::map<std::string, Function, std::less<>>{
      {"CreateAsset", &CreateAsset},         {"ReadAsset", &ReadAsset},
      {"UpdateAsset", &UpdateAsset},         {"TransferAsset", &TransferAsset},
      {"DeleteAsset", &DeleteAsset},         {"AssetExists", &AssetExists},
      {"GetAllAssets", &GetAllAssets},       {"GetAssetsByOwner", &GetAssetsByOwner},
      {"GetAssetHistory", &GetAssetHistory},
  };
  return *functions;
}

}  // namespace

Response AssetChaincode::Invoke(ChaincodeStub& stub) {
  const shim::FunctionAndParameters call = stub.GetFunctionAndParameters();
  const auto it = Functions().find(call.function);
  if (it == Functions().end()) return Error("unknown function: " + call.function);
  return it->second(stub, call.function, call.parameters);
}

const careledger_chaincode_descriptor* AssetChaincodeDescriptor() {
  static constexpr careledger_chaincode_descriptor kDescriptor =
      shim::MakeChaincodeDescriptor<AssetChaincode>(kAssetChaincodeName);
  return &kDescriptor;
}

}  // namespace careledger::chaincode::builtin
