// Checking a block the orderer delivered before any of its transactions is looked at: is it the next block of
// this channel's chain, is its data the data the orderer cut, and did the ordering service sign it?
//
// A block failing these checks is refused as a whole: it is not this channel's next block (or not a block the
// orderer made), so nothing in it may be committed, and the caller should fetch it again, from another
// orderer if need be. That is an error Status, unlike a transaction that breaks a rule inside a genuine block,
// which gets a TxValidationCode while the block goes on (tx_validator.h).
//
// Data entries and the data hash. The data hash is SHA-256 over the concatenated entries
// (protoutil::BlockDataHash), which does not commit to where one entry ends and the next begins: a relay could
// deliver the entries [A, B] of a signed block as the single entry A||B, which protobuf parses as one
// envelope, and peers would disagree about the block's transactions. As Fabric 3's
// VerifyTransactionsAreWellFormed does, every entry must therefore be the canonical encoding of an envelope
// with a non-empty payload and a non-empty signature, that is exactly
//   0x0a <varint length> <payload> 0x12 <varint length> <signature>
// with minimal varints; under that rule the concatenated bytes split into entries in only one way.
//
// All functions are pure (no clock, no I/O) and thread-safe if the deserializer and the policy are.
#ifndef CARELEDGER_PEER_COMMITTER_BLOCK_VERIFIER_H_
#define CARELEDGER_PEER_COMMITTER_BLOCK_VERIFIER_H_

#include "absl/status/status.h"
#include "common/common.pb.h"
#include "common/policies/policy.h"

namespace careledger::committer {

// Checks a channel's first block, which the node received out of band (the block an administrator joins the
// node to the channel with, as in Fabric) and which is therefore trusted without orderer signatures: Fabric's
// configtxgen writes genesis blocks that carry none. InvalidArgument naming the reason if the block has no
// header, its number is not 0, its previous hash is not empty, it has no data entry, or its data hash is not
// the hash of its data.
absl::Status VerifyGenesisBlock(const ::common::Block& block);

// Checks that `block` follows the block whose header is `previous` and that the ordering service signed it:
//  - its number is previous.number + 1 and its previous_hash is protoutil::BlockHeaderHash(previous);
//  - it has at least one data entry, each a well-formed envelope (see above), and data_hash is their hash;
//  - the signatures in its SIGNATURES metadata (protoutil::BlockSignatures: each over metadata value ||
//    signature header || block header bytes) satisfy `block_validation`, the channel's
//    /Channel/Orderer/BlockValidation policy, with the signers deserialized by `deserializer` (the channel's
//    MSP manager). As in Fabric, signatures that do not verify or whose identity is not valid are ignored; only
//    whether the valid ones satisfy the policy matters, each orderer counted once (by MSP and public key,
//    whatever the encoding of its certificate: policies::Identity::signer_key()).
// Errors, each naming the block number and the reason:
//  - InvalidArgument: no header, wrong number, wrong previous hash, no data, a malformed entry, a wrong data
//    hash, or SIGNATURES metadata that is missing or malformed;
//  - PermissionDenied: the valid signatures do not satisfy the policy (none at all included).
// Does not look inside the envelopes' payloads: that is transaction validation.
absl::Status VerifyBlock(const ::common::Block& block, const ::common::BlockHeader& previous,
                         const policies::Policy& block_validation, const policies::IdentityDeserializer& deserializer);

}  // namespace careledger::committer

#endif  // CARELEDGER_PEER_COMMITTER_BLOCK_VERIFIER_H_
