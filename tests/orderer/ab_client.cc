#include "tests/orderer/ab_client.h"

#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/pem_file.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/timestamp.h"
#include "common/status_macros.h"
#include "peer/transaction.pb.h"

namespace careledger::testing {

AbClient::AbClient(std::string address, std::shared_ptr<grpc::Channel> channel)
    : address_(std::move(address)),
      channel_(std::move(channel)),
      stub_(::orderer::AtomicBroadcast::NewStub(channel_)) {}

absl::StatusOr<std::unique_ptr<AbClient>> AbClient::Connect(const std::string& address,
                                                           const std::string& tls_ca_file) {
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, DialTestNode(address, tls_ca_file));
  return std::unique_ptr<AbClient>(new AbClient(address, std::move(channel)));
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> DialTestNode(const std::string& address,
                                                            const std::string& tls_ca_file) {
  grpc::SslCredentialsOptions ssl;
  ASSIGN_OR_RETURN(ssl.pem_root_certs, crypto::ReadCertificatePem(tls_ca_file));
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own, as a separate client has
  args.SetMaxReceiveMessageSize(-1);                   // blocks may exceed gRPC's 4 MiB default
  args.SetMaxSendMessageSize(-1);                      // oversized envelopes are sent on purpose
  // Nodes are killed and restarted: reconnect soon after one is back, not after gRPC's long backoff.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  return grpc::CreateCustomChannel(address, grpc::SslCredentials(ssl), args);
}

absl::StatusOr<std::vector<::orderer::BroadcastResponse>> AbClient::Broadcast(
    const std::vector<::common::Envelope>& envelopes, absl::Duration timeout) const {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  context.set_wait_for_ready(true);  // an orderer just restarted may not listen yet
  auto stream = stub_->Broadcast(&context);
  std::vector<::orderer::BroadcastResponse> responses;
  // Answers are read while envelopes are still written: a server that stops reading when too many answers
  // are unread must not deadlock the client.
  std::thread reader([&] {
    ::orderer::BroadcastResponse response;
    while (responses.size() < envelopes.size() && stream->Read(&response)) responses.push_back(response);
  });
  size_t written = 0;
  for (const ::common::Envelope& envelope : envelopes) {
    if (!stream->Write(envelope)) break;
    ++written;
  }
  stream->WritesDone();
  reader.join();
  const grpc::Status finished = stream->Finish();
  if (responses.size() != envelopes.size()) {
    return absl::UnavailableError(absl::StrCat("Broadcast to ", address_, ": ", responses.size(), " answers for ",
                                               envelopes.size(), " envelopes (", written,
                                               " written); the stream ended with ", finished.error_code(), " ",
                                               finished.error_message()));
  }
  return responses;
}

absl::StatusOr<::orderer::BroadcastResponse> AbClient::BroadcastOne(const ::common::Envelope& envelope,
                                                                    absl::Duration timeout) const {
  ASSIGN_OR_RETURN(std::vector<::orderer::BroadcastResponse> responses, Broadcast({envelope}, timeout));
  return responses.front();
}

absl::StatusOr<Delivered> AbClient::Deliver(const ::common::Envelope& seek_request, absl::Duration timeout) const {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  context.set_wait_for_ready(true);
  auto stream = stub_->Deliver(&context);
  return SeekOnStream<::orderer::DeliverResponse>(*stream, seek_request, address_);
}

absl::StatusOr<::common::Envelope> MakeTransaction(const protoutil::Signer& signer, std::string_view channel,
                                                   std::string_view data, ::common::HeaderType type) {
  ::protos::Transaction transaction;
  transaction.add_actions()->set_payload(std::string(data));
  return protoutil::CreateSignedEnvelope(type, channel, signer, transaction, /*epoch=*/0,
                                         protoutil::ToTimestamp(absl::Now()));
}

std::string TxIdOf(const ::common::Envelope& envelope) {
  absl::StatusOr<protoutil::ParsedEnvelope> parsed = protoutil::ParseEnvelope(envelope);
  return parsed.ok() ? parsed->channel_header.tx_id() : std::string();
}

::orderer::SeekInfo SeekRange(uint64_t first, uint64_t last) {
  ::orderer::SeekInfo seek;
  seek.mutable_start()->mutable_specified()->set_number(first);
  seek.mutable_stop()->mutable_specified()->set_number(last);
  seek.set_behavior(::orderer::SeekInfo::BLOCK_UNTIL_READY);
  return seek;
}

::orderer::SeekInfo SeekOldestTo(uint64_t last) {
  ::orderer::SeekInfo seek;
  seek.mutable_start()->mutable_oldest();
  seek.mutable_stop()->mutable_specified()->set_number(last);
  seek.set_behavior(::orderer::SeekInfo::BLOCK_UNTIL_READY);
  return seek;
}

absl::StatusOr<::common::Envelope> MakeSeek(const protoutil::Signer& signer, std::string_view channel,
                                            const ::orderer::SeekInfo& seek) {
  return protoutil::CreateSignedEnvelope(::common::DELIVER_SEEK_INFO, channel, signer, seek, /*epoch=*/0,
                                         protoutil::ToTimestamp(absl::Now()));
}

}  // namespace careledger::testing
