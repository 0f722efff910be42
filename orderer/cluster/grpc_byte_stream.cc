#include "orderer/cluster/grpc_byte_stream.h"

namespace careledger::orderer::cluster {

using ::careledger::cluster::RaftChunk;

ClientByteStream::~ClientByteStream() {
  // Finish must be called once the call is over; cancelling first makes it return at once.
  context_->TryCancel();
  call_->Finish().ok();
}

bool ClientByteStream::Read(std::string* chunk) {
  RaftChunk message;
  if (!call_->Read(&message)) return false;
  *chunk = std::move(*message.mutable_data());
  return true;
}

bool ClientByteStream::Write(std::string_view data) {
  RaftChunk message;
  message.set_data(std::string(data));
  return call_->Write(message);
}

void ClientByteStream::CloseWrite() {
  if (!writes_done_.exchange(true)) call_->WritesDone();
}

bool ServerByteStream::Read(std::string* chunk) {
  if (!pending_.empty()) {
    *chunk = std::move(pending_);
    pending_.clear();
    return true;
  }
  RaftChunk message;
  if (!call_->Read(&message)) return false;
  *chunk = std::move(*message.mutable_data());
  return true;
}

bool ServerByteStream::Write(std::string_view data) {
  RaftChunk message;
  message.set_data(std::string(data));
  return call_->Write(message);
}

}  // namespace careledger::orderer::cluster
