#include "network/healthcare/person.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "msp/attributes.h"

namespace careledger::healthcare {

absl::StatusOr<Person> PersonOfCertificate(const crypto::Certificate& certificate, std::string_view msp_id) {
  msp::Attributes attributes;
  if (std::optional<std::string> extension = certificate.ExtensionValue(msp::kAttributesOid); extension.has_value()) {
    absl::StatusOr<msp::Attributes> parsed = msp::ParseAttributes(*extension);
    if (!parsed.ok()) {
      return Annotate(parsed.status(), absl::StrCat("the attributes of certificate ", certificate.subject().one_line));
    }
    attributes = *std::move(parsed);
  }
  auto person_id = attributes.find("person_id");
  if (person_id == attributes.end() || person_id->second.empty()) {
    return absl::NotFoundError(absl::StrCat("certificate ", certificate.subject().one_line,
                                            " carries no person_id attribute: it is not a person's"));
  }
  Person person{std::string(msp_id), person_id->second, ""};
  if (auto role = attributes.find("role"); role != attributes.end()) person.role = role->second;
  return person;
}

absl::Status RequireRole(const Person& person, std::string_view role, std::string_view who) {
  if (person.role == role) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(AsAbsl(who), " has ",
                                                 person.role.empty() ? std::string("no role") : "role " + person.role,
                                                 ", not ", AsAbsl(role)));
}

bool IsPersonRef(std::string_view text) { return text.find(':') != std::string_view::npos; }

absl::StatusOr<Person> ParsePersonRef(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", AsAbsl(text), "' is not a person written MSP:ID, such as Hospital2MSP:D-2001"));
  }
  return Person{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1)), ""};
}

std::string DescribePerson(const Person& person) { return absl::StrCat(person.person_id, " (", person.msp_id, ")"); }

}  // namespace careledger::healthcare
