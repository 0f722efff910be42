#include "chaincode/builtin/asset/asset_chaincode.h"

#include <string>
#include <vector>

#include "chaincode/runtime/registry.h"
#include "chaincode/runtime/testing/chaincode_harness.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace careledger::chaincode::builtin {
namespace {

using ::std::string_literals::operator""s;
using Json = nlohmann::json;
using testing::ChaincodeHarness;

class AssetChaincodeTest : public ::testing::Test {
 protected:
  AssetChaincodeTest()
      : harness_(registry_.AddBuiltin(kAssetChaincodeName, AssetChaincodeDescriptor()).value(), "asset") {}

  ::protos::Response Submit(std::vector<std::string> args) {
    absl::StatusOr<InvocationResult> result = harness_.Submit(std::move(args));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->response : ::protos::Response();
  }

  // Submits and expects success; returns the payload.
  std::string Ok(std::vector<std::string> args) {
    const ::protos::Response response = Submit(args);
    EXPECT_EQ(response.status(), 200) << args[0] << ": " << response.message();
    return response.payload();
  }

  // Submits and expects an error; returns its message.
  std::string Fails(std::vector<std::string> args) {
    const ::protos::Response response = Submit(args);
    EXPECT_EQ(response.status(), 500) << args[0];
    return response.message();
  }

  ChaincodeRegistry registry_;
  ChaincodeHarness harness_;
};

TEST_F(AssetChaincodeTest, CreatesAndReadsCanonicalJson) {
  const std::string created = Ok({"CreateAsset", "asset1", "blue", "5", "Tomoko", "300"});
  EXPECT_EQ(created, R"({"ID":"asset1","appraisedValue":300,"color":"blue","owner":"Tomoko","size":5})");
  EXPECT_EQ(harness_.ledger().Get("asset1"), created);
  EXPECT_EQ(harness_.ledger().Get("\x00owner~id\x00Tomoko\x00"
                                  "asset1\x00"s),
            "\x00"s);
  EXPECT_EQ(Ok({"ReadAsset", "asset1"}), created);
  EXPECT_EQ(Ok({"AssetExists", "asset1"}), "true");
  EXPECT_EQ(Ok({"AssetExists", "asset2"}), "false");
}

TEST_F(AssetChaincodeTest, RefusesWithPreciseMessages) {
  Ok({"CreateAsset", "asset1", "blue", "5", "Tomoko", "300"});
  EXPECT_EQ(Fails({"CreateAsset", "asset1", "red", "1", "Max", "1"}), "the asset asset1 already exists");
  EXPECT_EQ(Fails({"ReadAsset", "asset9"}), "the asset asset9 does not exist");
  EXPECT_EQ(Fails({"UpdateAsset", "asset9", "red", "1", "Max", "1"}), "the asset asset9 does not exist");
  EXPECT_EQ(Fails({"DeleteAsset", "asset9"}), "the asset asset9 does not exist");
  EXPECT_EQ(Fails({"CreateAsset", "asset2", "red", "big", "Max", "1"}),
            "size must be a non-negative integer, got 'big'");
  EXPECT_EQ(Fails({"CreateAsset", "asset2", "red", "1", "Max", "-4"}),
            "appraisedValue must be a non-negative integer, got '-4'");
  EXPECT_EQ(Fails({"CreateAsset", "", "red", "1", "Max", "1"}), "an asset ID must not be empty");
  EXPECT_EQ(Fails({"CreateAsset", "\x00x"s, "red", "1", "Max", "1"}),
            "an asset ID must not start with 0x00 (the composite-key namespace)");
  EXPECT_EQ(Fails({"ReadAsset"}), "incorrect number of arguments: ReadAsset takes 1 (id), got 0");
  EXPECT_EQ(Fails({"CreateAsset", "a"}),
            "incorrect number of arguments: CreateAsset takes 5 (id, color, size, owner, appraisedValue), got 1");
  EXPECT_EQ(Fails({"Burn", "asset1"}), "unknown function: Burn");
  EXPECT_EQ(Fails({"CreateAsset", "asset3", "red", "1", "bad\xFF", "1"}), "not a valid utf8 string: [626164ff]");
  EXPECT_EQ(harness_.ledger().size(), 2u);  // asset1 and its index entry, nothing else
}

TEST_F(AssetChaincodeTest, UpdatesTransfersAndKeepsTheOwnerIndex) {
  Ok({"CreateAsset", "asset1", "blue", "5", "Tomoko", "300"});
  Ok({"CreateAsset", "asset2", "red", "3", "Tomoko", "100"});
  Ok({"CreateAsset", "asset3", "green", "1", "Max", "50"});
  EXPECT_EQ(Json::parse(Ok({"GetAssetsByOwner", "Tomoko"})).size(), 2u);

  EXPECT_EQ(Ok({"TransferAsset", "asset1", "Max"}), "Tomoko");
  Ok({"UpdateAsset", "asset2", "pink", "4", "Tomoko", "120"});
  const Json tomoko = Json::parse(Ok({"GetAssetsByOwner", "Tomoko"}));
  ASSERT_EQ(tomoko.size(), 1u);
  EXPECT_EQ(tomoko[0]["ID"], "asset2");
  EXPECT_EQ(tomoko[0]["color"], "pink");
  const Json max = Json::parse(Ok({"GetAssetsByOwner", "Max"}));
  ASSERT_EQ(max.size(), 2u);
  EXPECT_EQ(max[0]["ID"], "asset1");
  EXPECT_EQ(max[1]["ID"], "asset3");
  EXPECT_EQ(Json::parse(Ok({"GetAssetsByOwner", "Nobody"})), Json::array());

  Ok({"DeleteAsset", "asset3"});
  EXPECT_EQ(Json::parse(Ok({"GetAssetsByOwner", "Max"})).size(), 1u);
  EXPECT_EQ(harness_.ledger().Get("\x00owner~id\x00Max\x00"
                                  "asset3\x00"s),
            std::nullopt);
}

TEST_F(AssetChaincodeTest, ListsEveryAssetInIdOrderWithoutIndexEntries) {
  Ok({"CreateAsset", "b", "blue", "5", "Tomoko", "300"});
  Ok({"CreateAsset", "a", "red", "3", "Max", "100"});
  const Json all = Json::parse(Ok({"GetAllAssets"}));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["ID"], "a");
  EXPECT_EQ(all[1]["ID"], "b");
}

TEST_F(AssetChaincodeTest, HistoryListsEveryCommittedVersionNewestFirst) {
  Ok({"CreateAsset", "asset1", "blue", "5", "Tomoko", "300"});
  Ok({"TransferAsset", "asset1", "Max"});
  Ok({"DeleteAsset", "asset1"});
  const Json history = Json::parse(Ok({"GetAssetHistory", "asset1"}));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0]["txId"], "tx3");
  EXPECT_EQ(history[0]["isDelete"], true);
  EXPECT_TRUE(history[0]["asset"].is_null());
  EXPECT_EQ(history[1]["txId"], "tx2");
  EXPECT_EQ(history[1]["asset"]["owner"], "Max");
  EXPECT_EQ(history[2]["txId"], "tx1");
  EXPECT_EQ(history[2]["asset"]["owner"], "Tomoko");
  EXPECT_EQ(history[2]["timestamp"]["seconds"], 1700000001);
}

TEST_F(AssetChaincodeTest, DoesNotReadItsOwnWrites) {
  // Fabric semantics: CreateAsset's write is not visible to a read in the same transaction, so creating the
  // same ID twice before a commit is not caught by the chaincode (MVCC would catch it at commit).
  auto simulation = harness_.ledger().NewSimulation();
  InvocationContext context;
  context.args = {"CreateAsset", "asset1", "blue", "5", "Tomoko", "300"};
  const Executable* asset = registry_.FindBuiltin(kAssetChaincodeName).value();
  ASSERT_EQ(harness_.runtime().Invoke(*asset, "asset", context, *simulation, {}).value().response.status(), 200);
  ASSERT_EQ(harness_.runtime().Invoke(*asset, "asset", context, *simulation, {}).value().response.status(), 200);
  context.args = {"ReadAsset", "asset1"};
  EXPECT_EQ(harness_.runtime().Invoke(*asset, "asset", context, *simulation, {}).value().response.message(),
            "the asset asset1 does not exist");
}

}  // namespace
}  // namespace careledger::chaincode::builtin
