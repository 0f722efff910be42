// Building and parsing common.Envelope, the signed unit that travels to orderers and sits in blocks.
//
//   Envelope { payload: bytes of Payload, signature: creator's signature over those bytes }
//     Payload { header: Header, data: bytes whose meaning depends on the channel header's type }
//       Header { channel_header: bytes of ChannelHeader, signature_header: bytes of SignatureHeader }
//         ChannelHeader   { type, version, timestamp, channel_id, tx_id, epoch, extension, tls_cert_hash }
//         SignatureHeader { creator: serialized identity, nonce: random bytes }
//
// Builders return messages; nothing here reads a clock or, except CreateSignedEnvelope's nonce, randomness:
// the caller passes the timestamp. Parsers check the structure (every layer present and well-formed) and say
// which layer is wrong; they do not verify signatures, identities, policies or the transaction ID: that is the
// job of the membership service and of the validators, which use the parsed layers.
//
// All functions are thread-safe; results own their data.
#ifndef CARELEDGER_COMMON_PROTOUTIL_ENVELOPE_H_
#define CARELEDGER_COMMON_PROTOUTIL_ENVELOPE_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/common.pb.h"
#include "common/protoutil/signer.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"

namespace careledger::protoutil {

// Returns a ChannelHeader with the given fields and version 0 (the only version Fabric writes and accepts).
// `extension` is a serialized header extension (a ChaincodeHeaderExtension for endorser transactions) or empty.
::common::ChannelHeader MakeChannelHeader(::common::HeaderType type, std::string_view channel_id,
                                          std::string_view tx_id, const google::protobuf::Timestamp& timestamp,
                                          uint64_t epoch, std::string_view extension);

// Returns a SignatureHeader{creator, nonce}.
::common::SignatureHeader MakeSignatureHeader(std::string_view creator, std::string_view nonce);

// Returns a Header holding the serialized channel and signature headers. InvalidArgument only if a header is
// over 2 GiB.
absl::StatusOr<::common::Header> MakePayloadHeader(const ::common::ChannelHeader& channel_header,
                                                   const ::common::SignatureHeader& signature_header);

// True if envelopes of this header type must name a channel: ENDORSER_TRANSACTION, CONFIG, CONFIG_UPDATE and
// DELIVER_SEEK_INFO all act on one channel's ledger. MESSAGE and other types may leave it empty.
bool ChannelIdRequired(int32_t header_type);

// Builds and signs an envelope of `type` on `channel_id` whose payload data is `data` serialized:
// a fresh nonce, creator = signer.SerializedIdentity(), tx_id = ComputeTxId(nonce, creator) (for every type,
// as Fabric's endorser transactions and genesis blocks have it; validators of other types ignore it),
// version 0, the given epoch and timestamp, no extension, and signature = signer.Sign(payload bytes).
//
// Errors: InvalidArgument if the channel ID is empty but ChannelIdRequired(type), if the signer's identity is
// empty, or if a part exceeds 2 GiB; Internal if no nonce can be drawn; the signer's error, annotated, if
// signing fails. The envelope it returns always passes ParseEnvelope.
absl::StatusOr<::common::Envelope> CreateSignedEnvelope(::common::HeaderType type, std::string_view channel_id,
                                                        const Signer& signer, const google::protobuf::Message& data,
                                                        uint64_t epoch, google::protobuf::Timestamp timestamp);

// The layers of a Header, parsed and checked by ParseHeader.
struct ParsedHeader {
  ::common::ChannelHeader channel_header;
  ::common::SignatureHeader signature_header;
};

// Parses both headers of `header`. InvalidArgument, naming the layer, if the channel header or the signature
// header is missing (empty) or malformed, or if the signature header has no creator or no nonce (every signed
// Fabric message has both). Does not check the type, channel ID, tx ID or epoch.
absl::StatusOr<ParsedHeader> ParseHeader(const ::common::Header& header);

// The layers of an envelope, parsed by ParseEnvelope.
struct ParsedEnvelope {
  ::common::Payload payload;  // payload.data is still serialized; its type is channel_header.type
  ::common::ChannelHeader channel_header;
  ::common::SignatureHeader signature_header;
};

// Parses `envelope` down to its headers. InvalidArgument, naming the layer, if: the envelope has no payload or
// it is malformed; the payload has no header; ParseHeader fails; or the channel ID is empty but
// ChannelIdRequired(type). Does not check the signature (envelope.signature may even be empty), the tx ID
// (see CheckTxId), the epoch, or whether the type is one the caller supports.
//
// Note: Fabric's configtxgen writes genesis blocks whose config envelope has no creator and no signature;
// ParseEnvelope rejects those as "no creator". Code reading a Fabric-made block 0 parses its layers with
// Unmarshal directly.
absl::StatusOr<ParsedEnvelope> ParseEnvelope(const ::common::Envelope& envelope);

}  // namespace careledger::protoutil

#endif  // CARELEDGER_COMMON_PROTOUTIL_ENVELOPE_H_
