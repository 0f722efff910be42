#include "common/protoutil/envelope.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/protoutil/header_type.h"
#include "common/protoutil/marshal.h"
#include "common/protoutil/txid.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"

namespace careledger::protoutil {

::common::ChannelHeader MakeChannelHeader(::common::HeaderType type, std::string_view channel_id,
                                          std::string_view tx_id, const google::protobuf::Timestamp& timestamp,
                                          uint64_t epoch, std::string_view extension) {
  ::common::ChannelHeader header;
  header.set_type(type);
  header.set_version(0);
  *header.mutable_timestamp() = timestamp;
  header.set_channel_id(std::string(channel_id));
  header.set_tx_id(std::string(tx_id));
  header.set_epoch(epoch);
  header.set_extension(std::string(extension));
  return header;
}

::common::SignatureHeader MakeSignatureHeader(std::string_view creator, std::string_view nonce) {
  ::common::SignatureHeader header;
  header.set_creator(std::string(creator));
  header.set_nonce(std::string(nonce));
  return header;
}

absl::StatusOr<::common::Header> MakePayloadHeader(const ::common::ChannelHeader& channel_header,
                                                   const ::common::SignatureHeader& signature_header) {
  ::common::Header header;
  ASSIGN_OR_RETURN(*header.mutable_channel_header(), Marshal(channel_header, "channel header"));
  ASSIGN_OR_RETURN(*header.mutable_signature_header(), Marshal(signature_header, "signature header"));
  return header;
}

bool ChannelIdRequired(int32_t header_type) {
  switch (header_type) {
    case ::common::ENDORSER_TRANSACTION:
    case ::common::CONFIG:
    case ::common::CONFIG_UPDATE:
    case ::common::DELIVER_SEEK_INFO:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<::common::Envelope> CreateSignedEnvelope(::common::HeaderType type, std::string_view channel_id,
                                                        const Signer& signer, const google::protobuf::Message& data,
                                                        uint64_t epoch, google::protobuf::Timestamp timestamp) {
  if (channel_id.empty() && ChannelIdRequired(type)) {
    return absl::InvalidArgumentError(
        absl::StrCat("an envelope of type ", HeaderTypeLabel(type), " needs a channel ID"));
  }
  const std::string creator = signer.SerializedIdentity();
  if (creator.empty()) return absl::InvalidArgumentError("the signer's serialized identity is empty");
  ASSIGN_OR_RETURN(const std::string nonce, CreateNonce());

  ::common::Payload payload;
  ASSIGN_OR_RETURN(*payload.mutable_header(),
                   MakePayloadHeader(MakeChannelHeader(type, channel_id, ComputeTxId(nonce, creator), timestamp, epoch,
                                                       /*extension=*/""),
                                     MakeSignatureHeader(creator, nonce)));
  ASSIGN_OR_RETURN(*payload.mutable_data(), Marshal(data, "envelope data"));

  ::common::Envelope envelope;
  ASSIGN_OR_RETURN(*envelope.mutable_payload(), Marshal(payload, "envelope payload"));
  absl::StatusOr<std::string> signature = signer.Sign(envelope.payload());
  if (!signature.ok()) return Annotate(signature.status(), "signing the envelope payload");
  *envelope.mutable_signature() = *std::move(signature);
  return envelope;
}

absl::StatusOr<ParsedHeader> ParseHeader(const ::common::Header& header) {
  ParsedHeader parsed;
  if (header.channel_header().empty()) return absl::InvalidArgumentError("header has no channel header");
  ASSIGN_OR_RETURN(parsed.channel_header,
                   Unmarshal<::common::ChannelHeader>(header.channel_header(), "channel header"));
  if (header.signature_header().empty()) return absl::InvalidArgumentError("header has no signature header");
  ASSIGN_OR_RETURN(parsed.signature_header,
                   Unmarshal<::common::SignatureHeader>(header.signature_header(), "signature header"));
  if (parsed.signature_header.creator().empty()) {
    return absl::InvalidArgumentError("signature header has no creator");
  }
  if (parsed.signature_header.nonce().empty()) return absl::InvalidArgumentError("signature header has no nonce");
  return parsed;
}

absl::StatusOr<ParsedEnvelope> ParseEnvelope(const ::common::Envelope& envelope) {
  if (envelope.payload().empty()) return absl::InvalidArgumentError("envelope has no payload");
  ParsedEnvelope parsed;
  ASSIGN_OR_RETURN(parsed.payload, Unmarshal<::common::Payload>(envelope.payload(), "envelope payload"));
  if (!parsed.payload.has_header()) return absl::InvalidArgumentError("envelope payload has no header");
  absl::StatusOr<ParsedHeader> header = ParseHeader(parsed.payload.header());
  if (!header.ok()) return Annotate(header.status(), "envelope payload");
  parsed.channel_header = std::move(header->channel_header);
  parsed.signature_header = std::move(header->signature_header);
  if (parsed.channel_header.channel_id().empty() && ChannelIdRequired(parsed.channel_header.type())) {
    return absl::InvalidArgumentError(
        absl::StrCat("channel header of type ", HeaderTypeLabel(parsed.channel_header.type()), " has no channel ID"));
  }
  return parsed;
}

}  // namespace careledger::protoutil
