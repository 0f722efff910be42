#include "chaincode/builtin/healthcare/caller.h"

namespace careledger::chaincode::builtin::healthcare {

std::string Caller::Describe() const {
  if (role.empty()) return admin ? "admin of " + msp_id : "caller without a role (" + msp_id + ")";
  return role + " " + (person_id.empty() ? std::string("without a person_id") : person_id) + " (" + msp_id + ")";
}

bool SubjectHasAdminOu(std::string_view client_id) {
  constexpr std::string_view kPrefix = "x509::";
  if (client_id.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view subject = client_id.substr(kPrefix.size());
  subject = subject.substr(0, subject.find("::"));
  size_t start = 0;
  for (size_t i = 0; i <= subject.size(); ++i) {
    if (i < subject.size() && subject[i] == '\\') {
      ++i;  // an escaped character never ends a component
      continue;
    }
    if (i == subject.size() || subject[i] == ',' || subject[i] == '+') {
      if (subject.substr(start, i - start) == "OU=admin") return true;
      start = i + 1;
    }
  }
  return false;
}

Caller ReadCaller(const shim::ClientIdentity& identity) {
  Caller caller;
  caller.msp_id = identity.GetMSPID();
  caller.role = identity.GetAttributeValue("role").value_or("");
  caller.person_id = identity.GetAttributeValue("person_id").value_or("");
  caller.client_id = identity.GetID();
  caller.admin = SubjectHasAdminOu(caller.client_id);
  return caller;
}

}  // namespace careledger::chaincode::builtin::healthcare
