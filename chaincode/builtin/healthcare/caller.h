// Who is calling, as the peer's MSP verified it: the only source of authority in the healthcare chaincode.
// Nothing here comes from a proposal's arguments.
#ifndef CARELEDGER_CHAINCODE_BUILTIN_HEALTHCARE_CALLER_H_
#define CARELEDGER_CHAINCODE_BUILTIN_HEALTHCARE_CALLER_H_

#include <string>
#include <string_view>

#include "careledger/shim/client_identity.h"

namespace careledger::chaincode::builtin::healthcare {

struct Caller {
  std::string msp_id;     // the organisation (a hospital's MSP, or the regulator's)
  std::string role;       // attribute `role` (doctor, nurse, patient, guardian, regulator), "" without one
  std::string person_id;  // attribute `person_id`, "" without one
  std::string client_id;  // Fabric's "x509::<subject>::<issuer>"
  bool admin = false;     // the certificate's subject carries the node OU "admin"

  // "doctor D-1001 (Hospital1MSP)", "admin of Hospital1MSP", "caller without a role (Hospital1MSP)".
  std::string Describe() const;
};

// Reads the verified identity. The admin flag comes from the subject in the client ID: the MSP's NodeOUs put
// exactly one OU naming the node role in every identity certificate (docs/formats/msp-folders.md), and
// RFC 2253 escapes a ',' inside a value, so an "OU=admin" component cannot be forged inside another value. The
// subject ends at the first "::"; a value that contains "::" can only shorten it, never add an OU.
Caller ReadCaller(const shim::ClientIdentity& identity);

// Whether the RFC 2253 subject of `client_id` ("x509::CN=a,OU=admin,O=H1::CN=ca...") has the component OU=admin.
bool SubjectHasAdminOu(std::string_view client_id);

}  // namespace careledger::chaincode::builtin::healthcare

#endif  // CARELEDGER_CHAINCODE_BUILTIN_HEALTHCARE_CALLER_H_
