// The commit hash: one hash per block that summarizes every state change the ledger has committed up to and
// including that block, so that two peers can prove they hold the same world state by comparing 32 bytes.
//
//   commit_hash(n) = SHA-256(commit_hash(n - 1) || W(n))        commit_hash(-1) = "" (block 0 has no previous)
//
// W(n) is the concatenation, over the VALID endorser transactions of block n in transaction order and over each
// transaction's writes in read-write-set order, of one record per write (integers big-endian):
//
//   u64 tx number      position of the transaction in BlockData.data
//   u32 length | namespace
//   u32 length | key
//   u8  is_delete      1 for a delete, 0 for a put
//   u32 length | value (length 0 for a delete)
//
// Every field is length-prefixed or fixed-width, so W(n) decodes in exactly one way and no two different write
// sequences hash alike. Writes of invalid transactions never count. A block without valid writes still gets a
// new hash (SHA-256 of the previous one), so the hash also commits to the block's position in the chain.
// The hash is stored in the block's COMMIT_HASH metadata (block_metadata.h). docs/formats/peer-ledger.md
// repeats this definition with a worked example.
//
// Unlike Fabric (which hashes its internal update-batch encoding and the validation flags), this encoding is
// defined here, independent of how the state database stores anything.
#ifndef CARELEDGER_PEER_LEDGER_COMMIT_HASH_H_
#define CARELEDGER_PEER_LEDGER_COMMIT_HASH_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "peer/ledger/block_update.h"

namespace careledger::ledger {

inline constexpr size_t kCommitHashSize = 32;

// W(n) for `transactions` (the records described above). Exposed for tests and for other implementations to
// check their encoding against.
std::string CommitHashInput(std::span<const TxWriteSet> transactions);

// commit_hash(n), 32 bytes, given commit_hash(n - 1) (empty for block 0) and block n's valid write sets as
// ValidWriteSets returns them. Pure and thread-safe; hashes record by record without building W(n).
std::string CommitHash(std::string_view previous_commit_hash, std::span<const TxWriteSet> transactions);

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_COMMIT_HASH_H_
