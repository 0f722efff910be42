#include "network/audit/event_json.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::audit::event_json {

using Json = nlohmann::json;

absl::StatusOr<const Json*> Field(const Json& object, std::string_view key) {
  const auto found = object.find(std::string(key));
  if (found == object.end() || found->is_null()) {
    return absl::InvalidArgumentError(absl::StrCat("field '", AsAbsl(key), "' is missing"));
  }
  return &*found;
}

absl::StatusOr<std::string> String(const Json& object, std::string_view key) {
  ASSIGN_OR_RETURN(const Json* value, Field(object, key));
  if (!value->is_string()) return absl::InvalidArgumentError(absl::StrCat("field '", AsAbsl(key), "' is not a string"));
  return value->get<std::string>();
}

absl::StatusOr<std::optional<std::string>> OptionalString(const Json& object, std::string_view key) {
  const auto found = object.find(std::string(key));
  if (found == object.end() || found->is_null()) return std::optional<std::string>();
  if (!found->is_string()) return absl::InvalidArgumentError(absl::StrCat("field '", AsAbsl(key), "' is not a string"));
  return std::optional<std::string>(found->get<std::string>());
}

absl::StatusOr<int64_t> Integer(const Json& object, std::string_view key) {
  ASSIGN_OR_RETURN(const Json* value, Field(object, key));
  if (!value->is_number_integer()) {
    return absl::InvalidArgumentError(absl::StrCat("field '", AsAbsl(key), "' is not an integer"));
  }
  return value->get<int64_t>();
}

absl::StatusOr<Person> PersonOf(const Json& object, std::string_view key) {
  ASSIGN_OR_RETURN(const Json* value, Field(object, key));
  if (!value->is_object()) {
    return absl::InvalidArgumentError(absl::StrCat("field '", AsAbsl(key), "' is not an object"));
  }
  Person person;
  absl::StatusOr<std::string> msp = String(*value, "msp");
  if (!msp.ok()) return Annotate(msp.status(), absl::StrCat("in '", AsAbsl(key), "'"));
  person.msp = *std::move(msp);
  absl::StatusOr<std::optional<std::string>> person_id = OptionalString(*value, "personId");
  if (!person_id.ok()) return Annotate(person_id.status(), absl::StrCat("in '", AsAbsl(key), "'"));
  person.person_id = person_id->value_or("");
  return person;
}

absl::StatusOr<Person> IdentityOf(const Json& object, std::string_view key) { return PersonOf(object, key); }

absl::StatusOr<std::vector<std::string>> Categories(const Json& consent) {
  ASSIGN_OR_RETURN(const Json* value, Field(consent, "categories"));
  if (!value->is_array()) return absl::InvalidArgumentError("field 'categories' is not an array");
  std::vector<std::string> categories;
  for (const Json& category : *value) {
    if (!category.is_string()) return absl::InvalidArgumentError("field 'categories' holds a non-string");
    categories.push_back(category.get<std::string>());
  }
  return categories;
}

}  // namespace careledger::audit::event_json
