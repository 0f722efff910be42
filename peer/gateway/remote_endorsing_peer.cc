#include "peer/gateway/remote_endorsing_peer.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "peer/gateway/status_mapping.h"
#include "peer/peer.grpc.pb.h"

namespace careledger::gateway {
namespace {

class RemoteEndorsingPeer final : public EndorsingPeer {
 public:
  RemoteEndorsingPeer(PeerEndpoint endpoint, const TlsClientIdentity& client)
      : endpoint_(std::move(endpoint)),
        stub_(::protos::Endorser::NewStub(NewTlsChannel(endpoint_.address, endpoint_.tls_roots_pem, client))) {}

  const std::string& msp_id() const override { return endpoint_.msp_id; }
  const std::string& address() const override { return endpoint_.address; }

  absl::StatusOr<::protos::ProposalResponse> ProcessProposal(const ::protos::SignedProposal& proposal,
                                                             absl::Time deadline) override {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(deadline));
    ::protos::ProposalResponse response;
    const grpc::Status status = stub_->ProcessProposal(&context, proposal, &response);
    return Outcome(status, std::move(response));
  }

  void StartProcessProposal(const ::protos::SignedProposal& proposal, absl::Time deadline,
                            ProposalCallback done) override {
    // The call's context and response live until gRPC completes it.
    struct Call {
      grpc::ClientContext context;
      ::protos::ProposalResponse response;
      ProposalCallback done;
    };
    auto* call = new Call;
    call->context.set_deadline(absl::ToChronoTime(deadline));
    call->done = std::move(done);
    stub_->async()->ProcessProposal(&call->context, &proposal, &call->response, [this, call](grpc::Status status) {
      std::unique_ptr<Call> owned(call);
      owned->done(Outcome(status, std::move(owned->response)));
    });
  }

 private:
  // What ProcessProposal returns for a call that ended with `status` and `response`.
  absl::StatusOr<::protos::ProposalResponse> Outcome(const grpc::Status& status,
                                                     ::protos::ProposalResponse response) const {
    if (!status.ok()) {
      return TransportError(status, absl::StrCat("peer ", endpoint_.address, " (", endpoint_.msp_id, ")"));
    }
    const ::protos::Response& answer = response.response();
    if (IsSuccessStatus(answer.status())) return response;
    // Fabric's endorser attaches the proposal response payload only to what the chaincode answered.
    if (!response.payload().empty()) return ChaincodeRefusal(answer);
    return absl::AbortedError(answer.message().empty() ? absl::StrCat("the peer refused with status ", answer.status())
                                                       : answer.message());
  }

  const PeerEndpoint endpoint_;
  const std::unique_ptr<::protos::Endorser::Stub> stub_;
};

}  // namespace

std::shared_ptr<EndorsingPeer> NewRemoteEndorsingPeer(PeerEndpoint endpoint, const TlsClientIdentity& client) {
  return std::make_shared<RemoteEndorsingPeer>(std::move(endpoint), client);
}

}  // namespace careledger::gateway
