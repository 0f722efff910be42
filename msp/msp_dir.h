// Fabric-style msp/ folders: how an organisation's MSP definition and a node's or user's own identity are
// kept on disk, so that operators can bring material made by Fabric's tools and the other way round.
//
//   <dir>/cacerts/*.pem               root CA certificates                 (required)
//   <dir>/intermediatecerts/*.pem     intermediate CA certificates
//   <dir>/admincerts/*.pem            explicit admins (legacy; NodeOUs make them unnecessary)
//   <dir>/crls/*.pem                  revocation lists of the CAs above
//   <dir>/tlscacerts/*.pem            TLS root CA certificates
//   <dir>/tlsintermediatecerts/*.pem  TLS intermediate CA certificates
//   <dir>/signcerts/*.pem             the identity's own certificate        (signing identities only)
//   <dir>/keystore/*                  the identity's private key, PKCS#8    (signing identities only)
//   <dir>/config.yaml                 NodeOUs, Fabric's format:
//       NodeOUs:
//         Enable: true
//         ClientOUIdentifier: {Certificate: cacerts/ca.pem, OrganizationalUnitIdentifier: client}
//         PeerOUIdentifier / AdminOUIdentifier / OrdererOUIdentifier: likewise
// Files in a folder are read in name order; every file there must parse.
#ifndef CARELEDGER_MSP_MSP_DIR_H_
#define CARELEDGER_MSP_MSP_DIR_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/crypto/ecdsa.h"
#include "common/crypto/x509.h"
#include "msp/msp_config.pb.h"
#include "msp/signing_identity.h"

namespace careledger::msp {

// Reads the MSP definition (everything but signcerts and keystore) of the folder. NotFound if `dir` or its
// cacerts/ is missing; InvalidArgument naming the file for anything malformed (config.yaml errors carry
// file:line:column). The result is not validated: pass it to Msp::Create.
absl::StatusOr<::msp::FabricMSPConfig> LoadMspConfig(const std::string& dir, const std::string& msp_id);

// Reads the identity in signcerts/ and its key in keystore/. InvalidArgument if there is not exactly one
// certificate, no key in keystore/ matches it, or a file is malformed; NotFound if a folder is missing.
absl::StatusOr<SigningIdentity> LoadSigningIdentity(const std::string& dir, const std::string& msp_id);

// The contents of an msp/ folder to write.
struct MspFolder {
  std::vector<crypto::Certificate> ca_certs;
  std::vector<crypto::Certificate> intermediate_certs;
  std::vector<crypto::Certificate> tls_ca_certs;
  std::vector<crypto::Certificate> tls_intermediate_certs;
  std::vector<std::string> crls;  // PEM
  bool node_ous = true;           // OUs "client", "peer", "admin", "orderer"
  std::optional<crypto::Certificate> sign_cert;
  std::optional<crypto::PrivateKey> private_key;  // written mode 0600
};

// Writes `folder` under `dir`, creating folders. FailedPrecondition if a private key file already exists
// there: keys are never overwritten silently. Internal for I/O failures, naming the path.
absl::Status WriteMspFolder(const std::string& dir, const MspFolder& folder);

// Replaces the CRLs of an existing folder's crls/ with `crls` (what `careledger identity revoke` does).
absl::Status ReplaceCrls(const std::string& dir, const std::vector<std::string>& crls);

}  // namespace careledger::msp

#endif  // CARELEDGER_MSP_MSP_DIR_H_
