// The `asset` chaincode: a sample key-value contract for tests and examples, modelled on Fabric's
// asset-transfer sample. An asset is stored under its ID as canonical JSON (keys sorted, no spaces):
//
//   {"ID":"asset1","appraisedValue":300,"color":"blue","owner":"Tomoko","size":5}
//
// and indexed by owner under the composite key ("owner~id", [owner, ID]) with the value "\x00".
//
//   CreateAsset ID COLOR SIZE OWNER APPRAISED_VALUE   → the asset's JSON; error if ID exists
//   ReadAsset ID                                      → the asset's JSON
//   UpdateAsset ID COLOR SIZE OWNER APPRAISED_VALUE   → the asset's new JSON; error if ID does not exist
//   TransferAsset ID NEW_OWNER                        → the previous owner
//   DeleteAsset ID                                    → empty success
//   AssetExists ID                                    → "true" or "false"
//   GetAllAssets                                      → a JSON array of every asset, by ID
//   GetAssetsByOwner OWNER                            → a JSON array of OWNER's assets, by ID
//   GetAssetHistory ID                                → a JSON array, newest first, of
//                                                       {"txId","timestamp":{"seconds","nanos"},"isDelete","asset"}
//
// SIZE and APPRAISED_VALUE are non-negative decimal integers. IDs are non-empty and do not start with 0x00;
// owners are valid composite-key attributes (UTF-8 without U+0000). Errors say which asset and why ("the
// asset asset1 does not exist"). Like every Fabric chaincode it does not read its own writes, so one
// transaction cannot create and then read an asset.
#ifndef CARELEDGER_CHAINCODE_BUILTIN_ASSET_ASSET_CHAINCODE_H_
#define CARELEDGER_CHAINCODE_BUILTIN_ASSET_ASSET_CHAINCODE_H_

#include "careledger/chaincode_abi.h"
#include "careledger/shim/chaincode.h"

namespace careledger::chaincode::builtin {

inline constexpr char kAssetChaincodeName[] = "asset";

class AssetChaincode : public shim::Chaincode {
 public:
  shim::Response Invoke(shim::ChaincodeStub& stub) override;
};

// The descriptor to register (ChaincodeRegistry::AddBuiltin(kAssetChaincodeName, ...)). Static.
const careledger_chaincode_descriptor* AssetChaincodeDescriptor();

}  // namespace careledger::chaincode::builtin

#endif  // CARELEDGER_CHAINCODE_BUILTIN_ASSET_ASSET_CHAINCODE_H_
