// Block hashes, computed exactly as Fabric 2.x computes them, so that CareLedger and Fabric agree on every
// block's identity and on the hash chain.
//
// Header hash. Fabric does not hash the protobuf encoding of a BlockHeader (protobuf encodings are not
// canonical); it hashes this ASN.1 DER structure (X.690):
//
//   BlockHeader ::= SEQUENCE {
//     number        INTEGER,       -- BlockHeader.number, 0 .. 2^64-1
//     previous_hash OCTET STRING,  -- BlockHeader.previous_hash, possibly empty
//     data_hash     OCTET STRING   -- BlockHeader.data_hash, possibly empty
//   }
//
// INTEGER content is the minimal big-endian two's-complement form of the non-negative number: one byte for
// 0..127, and a leading 0x00 whenever the top bit of the first byte would otherwise be set (128 is 02 02 00 80,
// 2^64-1 is 02 09 00 ff ff ff ff ff ff ff ff). Lengths use the short form below 128 and the minimal long form
// above. The block hash is SHA-256 of these bytes.
//
// Data hash. SHA-256 over the concatenation of BlockData.data entries in order, with nothing between them
// (Fabric's BlockDataHashingStructure width 2^32-1). Note that this does not commit to the entry boundaries;
// the envelopes inside are self-delimiting protobuf messages, so that is what Fabric does.
//
// All functions are pure and thread-safe. They do not validate the header (e.g. the hash lengths): a block's
// contents are judged elsewhere; here only its bytes are summarized.
#ifndef CARELEDGER_COMMON_PROTOUTIL_BLOCK_HASH_H_
#define CARELEDGER_COMMON_PROTOUTIL_BLOCK_HASH_H_

#include <string>

#include "common/common.pb.h"

namespace careledger::protoutil {

// Returns the DER encoding of `header` described above.
std::string BlockHeaderBytes(const ::common::BlockHeader& header);

// Returns SHA-256(BlockHeaderBytes(header)), 32 bytes: the value the next block's previous_hash must hold.
std::string BlockHeaderHash(const ::common::BlockHeader& header);

// Returns SHA-256 of the concatenated data entries, 32 bytes: the value BlockHeader.data_hash must hold.
// Hashes entry by entry; no concatenated copy is made.
std::string BlockDataHash(const ::common::BlockData& data);

}  // namespace careledger::protoutil

#endif  // CARELEDGER_COMMON_PROTOUTIL_BLOCK_HASH_H_
