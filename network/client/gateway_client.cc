#include "network/client/gateway_client.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/protoutil/transaction.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "gateway/gateway.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "network/client/gateway_error.h"
#include "network/client/gateway_messages.h"

namespace careledger::client {
namespace {

// Fabric's default gRPC message limit for clients and peers (100 MiB): prepared transactions and query results
// may exceed gRPC's 4 MiB default.
constexpr int kMaxMessageBytes = 100 << 20;

absl::Status CheckAddress(std::string_view address) {
  const size_t colon = address.rfind(':');
  uint32_t port = 0;
  if (colon == std::string_view::npos || colon == 0 || !absl::SimpleAtoi(AsAbsl(address.substr(colon + 1)), &port) ||
      port == 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("gateway address '", AsAbsl(address),
                                                   "' is not host:port (e.g. peer0.hospital1.example.org:7051)"));
  }
  return absl::OkStatus();
}

// Only a presence check: gRPC parses the PEM itself, and TLS certificates may use keys (RSA) that CareLedger's
// identity code does not accept, so a stricter parse here would refuse valid setups.
absl::Status CheckPem(std::string_view pem, std::string_view block, std::string_view what) {
  if (pem.find(absl::StrCat("-----BEGIN ", AsAbsl(block))) == std::string_view::npos &&
      pem.find(absl::StrCat(" ", AsAbsl(block), "-----")) == std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(what), " holds no PEM ", AsAbsl(block)));
  }
  return absl::OkStatus();
}

absl::Status CheckEndpoint(const GatewayEndpoint& endpoint) {
  RETURN_IF_ERROR(CheckAddress(endpoint.address));
  const bool has_cert = !endpoint.tls_client_cert_pem.empty();
  const bool has_key = !endpoint.tls_client_key_pem.empty();
  if (endpoint.tls_root_certs_pem.empty()) {
    if (!endpoint.server_name_override.empty() || has_cert || has_key) {
      return absl::InvalidArgumentError(
          "a TLS server name or client certificate needs TLS: give the peer's TLS root certificates too");
    }
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(CheckPem(endpoint.tls_root_certs_pem, "CERTIFICATE", "the TLS root certificates"));
  if (has_cert != has_key) {
    return absl::InvalidArgumentError("a TLS client certificate needs its private key, and the key its certificate");
  }
  if (has_cert) {
    RETURN_IF_ERROR(CheckPem(endpoint.tls_client_cert_pem, "CERTIFICATE", "the TLS client certificate"));
    RETURN_IF_ERROR(CheckPem(endpoint.tls_client_key_pem, "PRIVATE KEY", "the TLS client key"));
  }
  return absl::OkStatus();
}

std::shared_ptr<grpc::Channel> NewChannel(const GatewayEndpoint& endpoint) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  if (endpoint.tls_root_certs_pem.empty()) {
    return grpc::CreateCustomChannel(endpoint.address, grpc::InsecureChannelCredentials(), args);
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = endpoint.tls_root_certs_pem;
  ssl.pem_cert_chain = endpoint.tls_client_cert_pem;
  ssl.pem_private_key = endpoint.tls_client_key_pem;
  if (!endpoint.server_name_override.empty()) args.SetSslTargetNameOverride(endpoint.server_name_override);
  return grpc::CreateCustomChannel(endpoint.address, grpc::SslCredentials(ssl), args);
}

void SetDeadline(grpc::ClientContext& context, absl::Time deadline) {
  context.set_deadline(absl::ToChronoTime(deadline));
}

std::string CodeName(::protos::TxValidationCode code) {
  const std::string& name = ::protos::TxValidationCode_Name(code);
  return name.empty() ? absl::StrCat("code ", static_cast<int>(code)) : name;
}

}  // namespace

struct GatewayClient::Impl {
  std::string address;
  std::shared_ptr<const msp::SigningIdentity> signer;
  std::unique_ptr<::gateway::Gateway::Stub> stub;

  // "<rpc> at <address>", how errors name the call.
  std::string Call(std::string_view rpc) const { return absl::StrCat(AsAbsl(rpc), " at ", address); }
};

absl::StatusOr<std::shared_ptr<grpc::Channel>> DialGateway(const GatewayEndpoint& endpoint) {
  RETURN_IF_ERROR(CheckEndpoint(endpoint));
  return NewChannel(endpoint);
}

absl::Status RequireValid(const SubmitResult& result) {
  if (result.code == ::protos::VALID) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat("transaction ", result.tx_id, " committed in block ", result.block_number,
                                         " with code ", CodeName(result.code)));
}

absl::StatusOr<GatewayClient> GatewayClient::Connect(const GatewayEndpoint& endpoint,
                                                     std::shared_ptr<const msp::SigningIdentity> signer) {
  if (signer == nullptr) return absl::InvalidArgumentError("a gateway client needs a signing identity");
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, DialGateway(endpoint));
  auto impl = std::make_unique<Impl>();
  impl->address = endpoint.address;
  impl->signer = std::move(signer);
  impl->stub = ::gateway::Gateway::NewStub(std::move(channel));
  return GatewayClient(std::move(impl));
}

GatewayClient::GatewayClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GatewayClient::GatewayClient(GatewayClient&&) noexcept = default;
GatewayClient& GatewayClient::operator=(GatewayClient&&) noexcept = default;
GatewayClient::~GatewayClient() = default;

const std::string& GatewayClient::address() const { return impl_->address; }
const msp::SigningIdentity& GatewayClient::signer() const { return *impl_->signer; }

absl::StatusOr<Proposal> GatewayClient::NewProposal(std::string_view channel_id, std::string_view chaincode,
                                                    const std::vector<std::string>& args,
                                                    const protoutil::TransientMap& transient) const {
  return NewSignedProposal(*impl_->signer, channel_id, chaincode, args, transient);
}

absl::StatusOr<std::string> GatewayClient::Evaluate(std::string_view channel_id, std::string_view chaincode,
                                                    const std::vector<std::string>& args,
                                                    const EvaluateOptions& options) const {
  ASSIGN_OR_RETURN(Proposal proposal, NewProposal(channel_id, chaincode, args, options.transient));
  ::gateway::EvaluateRequest request;
  request.set_transaction_id(proposal.tx_id);
  request.set_channel_id(proposal.channel_id);
  *request.mutable_proposed_transaction() = std::move(proposal.signed_proposal);
  for (const std::string& org : options.target_organizations) request.add_target_organizations(org);
  grpc::ClientContext context;
  SetDeadline(context, absl::Now() + options.timeout);
  ::gateway::EvaluateResponse response;
  RETURN_IF_ERROR(StatusFromGrpc(impl_->stub->Evaluate(&context, request, &response), impl_->Call("Evaluate")));
  // A gateway reports a chaincode's refusal as an error; a success carrying one would be a gateway's fault,
  // and its payload must not pass for the answer.
  if (response.result().status() >= protoutil::kResponseStatusErrorThreshold) {
    return absl::UnknownError(absl::StrCat(impl_->Call("Evaluate"), ": chaincode response ", response.result().status(),
                                           ", ", response.result().message()));
  }
  return std::move(*response.mutable_result()->mutable_payload());
}

absl::StatusOr<PreparedTransaction> GatewayClient::Endorse(const Proposal& proposal,
                                                           const std::vector<std::string>& endorsing_organizations,
                                                           absl::Time deadline) const {
  grpc::ClientContext context;
  SetDeadline(context, deadline);
  ::gateway::EndorseResponse response;
  RETURN_IF_ERROR(StatusFromGrpc(
      impl_->stub->Endorse(&context, EndorseRequestFor(proposal, endorsing_organizations), &response),
      impl_->Call("Endorse")));
  return PrepareTransaction(proposal, std::move(*response.mutable_prepared_transaction()), *impl_->signer);
}

absl::Status GatewayClient::SubmitPrepared(const PreparedTransaction& transaction, absl::Time deadline) const {
  grpc::ClientContext context;
  SetDeadline(context, deadline);
  ::gateway::SubmitResponse response;
  return StatusFromGrpc(impl_->stub->Submit(&context, SubmitRequestFor(transaction), &response),
                        impl_->Call("Submit"));
}

absl::StatusOr<CommitStatus> GatewayClient::WaitForCommit(std::string_view channel_id, std::string_view tx_id,
                                                          absl::Time deadline) const {
  ASSIGN_OR_RETURN(const ::gateway::SignedCommitStatusRequest request,
                   SignedCommitStatusRequestFor(*impl_->signer, channel_id, tx_id));
  grpc::ClientContext context;
  SetDeadline(context, deadline);
  ::gateway::CommitStatusResponse response;
  RETURN_IF_ERROR(
      StatusFromGrpc(impl_->stub->CommitStatus(&context, request, &response), impl_->Call("CommitStatus")));
  return CommitStatus{std::string(tx_id), response.result(), response.block_number()};
}

absl::StatusOr<SubmitResult> GatewayClient::SubmitAndWait(std::string_view channel_id, std::string_view chaincode,
                                                          const std::vector<std::string>& args,
                                                          const SubmitOptions& options) const {
  const absl::Time deadline = absl::Now() + options.timeout;
  ASSIGN_OR_RETURN(const Proposal proposal, NewProposal(channel_id, chaincode, args, options.transient));
  ASSIGN_OR_RETURN(PreparedTransaction prepared, Endorse(proposal, options.endorsing_organizations, deadline));
  RETURN_IF_ERROR(SubmitPrepared(prepared, deadline));
  absl::StatusOr<CommitStatus> status = WaitForCommit(channel_id, prepared.tx_id, deadline);
  if (!status.ok()) {
    return Annotate(status.status(), absl::StrCat("transaction ", prepared.tx_id,
                                                  " was submitted, but whether it committed is not known"));
  }
  return SubmitResult{prepared.tx_id, status->code, status->block_number, std::move(prepared.payload)};
}

absl::StatusOr<SubmitResult> GatewayClient::Submit(std::string_view channel_id, std::string_view chaincode,
                                                   const std::vector<std::string>& args,
                                                   const SubmitOptions& options) const {
  ASSIGN_OR_RETURN(SubmitResult result, SubmitAndWait(channel_id, chaincode, args, options));
  RETURN_IF_ERROR(RequireValid(result));
  return result;
}

}  // namespace careledger::client
