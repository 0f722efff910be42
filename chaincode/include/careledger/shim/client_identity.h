// The verified identity of the client that submitted the proposal (Fabric's cid package). The peer's MSP
// has already validated the certificate chain and the signature: chaincode trusts these values and never
// parses a certificate itself. Authorisation should rest on them (MSP ID, attributes such as `role`), never
// on an identity passed as an argument.
#ifndef CARELEDGER_SHIM_CLIENT_IDENTITY_H_
#define CARELEDGER_SHIM_CLIENT_IDENTITY_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "careledger/shim/shim_error.h"

namespace careledger::shim {

class ClientIdentity {
 public:
  ClientIdentity(std::string msp_id, std::string id, std::string certificate_pem,
                 std::map<std::string, std::string, std::less<>> attributes)
      : msp_id_(std::move(msp_id)),
        id_(std::move(id)),
        certificate_pem_(std::move(certificate_pem)),
        attributes_(std::move(attributes)) {}

  // Fabric's client identity ID: "x509::<subject DN>::<issuer DN>".
  const std::string& GetID() const { return id_; }
  // The MSP that validated the identity ("Hospital1MSP").
  const std::string& GetMSPID() const { return msp_id_; }
  // The client's certificate, PEM.
  const std::string& GetCertificatePEM() const { return certificate_pem_; }

  // The value of certificate attribute `name`, or nullopt if the certificate has none.
  std::optional<std::string> GetAttributeValue(std::string_view name) const {
    const auto it = attributes_.find(name);
    if (it == attributes_.end()) return std::nullopt;
    return it->second;
  }

  // Returns if attribute `name` equals `value`; otherwise throws ShimError with Fabric's texts ("attribute
  // 'role' was not found", "attribute 'role' equals 'nurse', not 'doctor'").
  void AssertAttributeValue(std::string_view name, std::string_view value) const {
    const auto it = attributes_.find(name);
    if (it == attributes_.end()) throw ShimError("attribute '" + std::string(name) + "' was not found");
    if (it->second != value) {
      throw ShimError("attribute '" + std::string(name) + "' equals '" + it->second + "', not '" + std::string(value) +
                      "'");
    }
  }

  const std::map<std::string, std::string, std::less<>>& attributes() const { return attributes_; }

 private:
  std::string msp_id_;
  std::string id_;
  std::string certificate_pem_;
  std::map<std::string, std::string, std::less<>> attributes_;
};

}  // namespace careledger::shim

#endif  // CARELEDGER_SHIM_CLIENT_IDENTITY_H_
