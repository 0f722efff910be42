// People as the healthcare chaincode names them: the pair (MSP ID, person ID) (docs/healthcare-chaincode.md,
// "Identities"). The role commands take a grantee, a guardian or a doctor either as a network user, whose
// certificate carries the person ID, or spelled out.
//
// Pure functions; thread-safe.
#ifndef CARELEDGER_NETWORK_HEALTHCARE_PERSON_H_
#define CARELEDGER_NETWORK_HEALTHCARE_PERSON_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/crypto/x509.h"

namespace careledger::healthcare {

struct Person {
  std::string msp_id;     // "Hospital2MSP"
  std::string person_id;  // "D-2001"
  std::string role;       // the certificate's role attribute ("doctor"); empty when spelled out or absent
};

// The person whose certificate `certificate` is, issued by the MSP `msp_id`: the certificate's Fabric CA
// attributes `person_id` and `role` (msp/attributes.h). InvalidArgument if the attributes extension does not
// parse; NotFound, naming the certificate's subject, if it carries no person_id (an admin, a node).
absl::StatusOr<Person> PersonOfCertificate(const crypto::Certificate& certificate, std::string_view msp_id);

// OK if `person` has role `role`; otherwise InvalidArgument "<who> has role <theirs>, not <role>" ("no role" when
// the certificate carries none). The role commands check a user named as a grantee, guardian or doctor with it,
// so that a consent is not granted to, say, a nurse, where the chaincode would only ever ignore it.
absl::Status RequireRole(const Person& person, std::string_view role, std::string_view who);

// A person written "MSP:ID" ("Hospital2MSP:D-2001"), split at the first ':'. InvalidArgument naming `text` if
// either side is empty.
absl::StatusOr<Person> ParsePersonRef(std::string_view text);

// Whether `text` looks like a person written "MSP:ID" rather than a user's name (user names have no ':').
bool IsPersonRef(std::string_view text);

// "D-2001 (Hospital2MSP)", as the chaincode's texts write a person.
std::string DescribePerson(const Person& person);

}  // namespace careledger::healthcare

#endif  // CARELEDGER_NETWORK_HEALTHCARE_PERSON_H_
