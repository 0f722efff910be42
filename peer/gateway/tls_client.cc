#include "peer/gateway/tls_client.h"

#include "grpcpp/grpcpp.h"

namespace careledger::gateway {

std::string TlsRootsOf(const ::msp::FabricMSPConfig& msp) {
  std::string roots;
  // Certificates are concatenated; each must start on a line of its own for the PEM reader.
  auto append = [&roots](const std::string& pem) {
    roots += pem;
    if (!roots.empty() && roots.back() != '\n') roots += '\n';
  };
  for (const std::string& pem : msp.tls_root_certs()) append(pem);
  for (const std::string& pem : msp.tls_intermediate_certs()) append(pem);
  return roots;
}

std::shared_ptr<grpc::Channel> NewTlsChannel(std::string_view address, std::string_view roots_pem,
                                             const TlsClientIdentity& client) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = std::string(roots_pem);
  ssl.pem_cert_chain = client.certificate_pem;
  ssl.pem_private_key = client.private_key_pem;
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  return grpc::CreateCustomChannel(std::string(address), grpc::SslCredentials(ssl), args);
}

}  // namespace careledger::gateway
