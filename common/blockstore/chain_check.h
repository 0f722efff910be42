// The one check every block passes before it is stored, and again when recovery reads an unindexed block
// back: does it extend the chain? Internal to the block store.
#ifndef CARELEDGER_COMMON_BLOCKSTORE_CHAIN_CHECK_H_
#define CARELEDGER_COMMON_BLOCKSTORE_CHAIN_CHECK_H_

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "common/common.pb.h"

namespace careledger::blockstore {

// OK if `block` has a header with number `expected_number`, previous_hash `previous_header_hash` (not
// checked for block 0) and data_hash == protoutil::BlockDataHash(block.data()). InvalidArgument if the header
// is missing or the data hash does not match the data; FailedPrecondition if the number or previous hash do
// not continue the chain. Messages give the block number and the hashes in hex. Pure and thread-safe.
absl::Status CheckExtendsChain(const ::common::Block& block, uint64_t expected_number,
                               std::string_view previous_header_hash);

}  // namespace careledger::blockstore

#endif  // CARELEDGER_COMMON_BLOCKSTORE_CHAIN_CHECK_H_
