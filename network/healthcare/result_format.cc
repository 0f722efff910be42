#include "network/healthcare/result_format.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/strings.h"
#include "nlohmann/json.hpp"

namespace careledger::healthcare {
namespace {

using Json = nlohmann::json;

constexpr char kAbsent[] = "-";
// Hashes in tables: enough digits to tell documents apart at a glance; `record show` prints the whole hash.
constexpr size_t kShortHash = 12;

// The payload parsed, if it is of the kind asked for. Never throws: nlohmann's non-throwing parse, and every
// access below checks types first.
absl::StatusOr<Json> Parse(std::string_view text, std::string_view what, bool array) {
  Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded())
    return absl::InvalidArgumentError(absl::StrCat("the chaincode's ", AsAbsl(what), " is not JSON"));
  if (array) {
    if (!json.is_array() || !std::all_of(json.begin(), json.end(), [](const Json& e) { return e.is_object(); })) {
      return absl::InvalidArgumentError(
          absl::StrCat("the chaincode's ", AsAbsl(what), " is not a JSON array of objects"));
    }
  } else if (!json.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat("the chaincode's ", AsAbsl(what), " is not a JSON object"));
  }
  return json;
}

const Json* Field(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

// A field as text: strings as they are, other values as JSON, "-" if absent or null.
std::string Text(const Json& object, const char* key) {
  const Json* value = Field(object, key);
  if (value == nullptr) return kAbsent;
  if (value->is_string()) return value->get<std::string>();
  return value->dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ShortHash(const Json& object, const char* key) {
  std::string hash = Text(object, key);
  if (hash.size() > kShortHash) hash = hash.substr(0, kShortHash) + "...";
  return hash;
}

// An identity object: "doctor D-1001 (Hospital1MSP)", "admin of Hospital1MSP".
std::string Who(const Json* identity) {
  if (identity == nullptr || !identity->is_object()) return kAbsent;
  const Json* admin = Field(*identity, "admin");
  if (admin != nullptr && admin->is_boolean() && admin->get<bool>()) return "admin of " + Text(*identity, "msp");
  std::string role = Text(*identity, "role");
  if (role == kAbsent || role.empty()) role = "no role";
  return absl::StrCat(role, " ", Text(*identity, "personId"), " (", Text(*identity, "msp"), ")");
}
std::string Who(const Json& object, const char* key) { return Who(Field(object, key)); }

// A person as {"msp","personId"}: "D-2001 (Hospital2MSP)".
std::string PersonText(const Json* person) {
  if (person == nullptr || !person->is_object()) return kAbsent;
  return absl::StrCat(Text(*person, "personId"), " (", Text(*person, "msp"), ")");
}

// A consent's grantee: a doctor, or every doctor of a hospital.
std::string Grantee(const Json* grantee) {
  if (grantee == nullptr || !grantee->is_object()) return kAbsent;
  if (Text(*grantee, "kind") == "hospital" || Field(*grantee, "personId") == nullptr) {
    return "every doctor of " + Text(*grantee, "msp");
  }
  return "doctor " + PersonText(grantee);
}

std::string Categories(const Json& consent) {
  const Json* categories = Field(consent, "categories");
  if (categories == nullptr || !categories->is_array() || categories->empty()) return "all";
  std::vector<std::string> names;
  for (const Json& c : *categories) names.push_back(c.is_string() ? c.get<std::string>() : c.dump());
  return absl::StrJoin(names, ",");
}

// Why a doctor was allowed: "consent <tx> (until T)" or "emergency <tx> (until T): reason".
std::string Basis(const Json* basis) {
  if (basis == nullptr || !basis->is_object()) return kAbsent;
  if (Text(*basis, "type") == "emergency") {
    return absl::StrCat("emergency access ", Text(*basis, "emergencyTxId"), " until ", Text(*basis, "expiresAt"));
  }
  return absl::StrCat("consent ", Text(*basis, "grantTxId"), " until ", Text(*basis, "expiresAt"));
}

std::string Lines(const std::vector<std::pair<std::string, std::string>>& lines) {
  size_t width = 0;
  for (const auto& [label, value] : lines) width = std::max(width, label.size());
  std::string out;
  for (const auto& [label, value] : lines) {
    absl::StrAppend(&out, label, ":", std::string(width - label.size() + 1, ' '), value, "\n");
  }
  return out;
}

std::vector<std::string> EmergencyRow(const Json& e) {
  return {Text(e, "patientId"), Who(e, "doctor"),  Text(e, "openedAt"),
          Text(e, "expiresAt"), Text(e, "reason"), Text(e, "txId")};
}
std::vector<std::string> EmergencyHeader() {
  return {"PATIENT", "DOCTOR", "OPENED AT", "EXPIRES AT", "REASON", "TX ID"};
}

}  // namespace

absl::StatusOr<OutputFormat> ParseOutputFormat(std::string_view text) {
  if (text == "table") return OutputFormat::kTable;
  if (text == "json") return OutputFormat::kJson;
  return absl::InvalidArgumentError(absl::StrCat("--output '", AsAbsl(text), "': expected table or json"));
}

std::string FormatTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  auto widen = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i >= widths.size()) widths.push_back(0);
      widths[i] = std::max(widths[i], row[i].size());
    }
  };
  widen(header);
  for (const auto& row : rows) widen(row);
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : "";
      absl::StrAppend(&out, cell);
      if (i + 1 < widths.size()) out.append(widths[i] - cell.size() + 2, ' ');
    }
    out.erase(out.find_last_not_of(' ') + 1);
    return out + "\n";
  };
  std::string out = line(header);
  for (const auto& row : rows) out += line(row);
  return out;
}

std::string DescribeCommit(std::string_view tx_id, uint64_t block_number) {
  return absl::StrCat("transaction ", AsAbsl(tx_id), " committed in block ", block_number);
}

absl::StatusOr<std::string> FormatPatient(std::string_view json) {
  absl::StatusOr<Json> p = Parse(json, "patient", false);
  if (!p.ok()) return p.status();
  std::vector<std::pair<std::string, std::string>> lines = {
      {"patient", Text(*p, "patientId")},         {"hospital", Text(*p, "hospital")},
      {"profile", Text(*p, "profileRef")},        {"registered at", Text(*p, "registeredAt")},
      {"registered by", Who(*p, "registeredBy")}, {"registered in", Text(*p, "txId")}};
  if (const Json* guardians = Field(*p, "guardians"); guardians != nullptr && guardians->is_array()) {
    std::vector<std::string> names;
    for (const Json& g : *guardians) names.push_back(PersonText(&g));
    lines.emplace_back("guardians", names.empty() ? "none" : absl::StrJoin(names, ", "));
  }
  return Lines(lines);
}

absl::StatusOr<std::string> FormatConsent(std::string_view json) {
  absl::StatusOr<Json> c = Parse(json, "consent", false);
  if (!c.ok()) return c.status();
  std::vector<std::pair<std::string, std::string>> lines = {
      {"patient", Text(*c, "patientId")},
      {"grantee", Grantee(Field(*c, "grantee"))},
      {"scope", Text(*c, "scope")},
      {"categories", Categories(*c)},
      {"expires at", absl::StrCat(Text(*c, "expiresAt"), " (unix ", Text(*c, "expiresAtUnix"), ")")},
      {"granted by", Who(*c, "grantedBy")}};
  if (Field(*c, "replacesTxId") != nullptr) lines.emplace_back("replaces", Text(*c, "replacesTxId"));
  return Lines(lines);
}

absl::StatusOr<std::string> FormatRevocation(std::string_view json) {
  absl::StatusOr<Json> r = Parse(json, "revocation", false);
  if (!r.ok()) return r.status();
  const Json* consent = Field(*r, "consent");
  return Lines({{"patient", Text(*r, "patientId")},
                {"grantee", Grantee(Field(*r, "grantee"))},
                {"revoked at", Text(*r, "revokedAt")},
                {"revoked by", Who(*r, "revokedBy")},
                {"consent revoked", consent == nullptr ? kAbsent : Text(*consent, "txId")}});
}

absl::StatusOr<std::string> FormatGuardianEntry(std::string_view json) {
  absl::StatusOr<Json> g = Parse(json, "guardian entry", false);
  if (!g.ok()) return g.status();
  const bool removed = Field(*g, "removedAt") != nullptr;
  return Lines({{"patient", Text(*g, "patientId")},
                {"guardian", PersonText(Field(*g, "guardian"))},
                {removed ? "removed at" : "added at", Text(*g, removed ? "removedAt" : "addedAt")},
                {removed ? "removed by" : "added by", Who(*g, removed ? "removedBy" : "addedBy")}});
}

absl::StatusOr<std::string> FormatRecordVersion(std::string_view json) {
  absl::StatusOr<Json> v = Parse(json, "record version", false);
  if (!v.ok()) return v.status();
  std::vector<std::pair<std::string, std::string>> lines = {
      {"record", Text(*v, "recordId")},        {"version", Text(*v, "version")},
      {"patient", Text(*v, "patientId")},      {"category", Text(*v, "category")},
      {"media type", Text(*v, "mediaType")},   {"size", absl::StrCat(Text(*v, "size"), " bytes")},
      {"sha256", Text(*v, "sha256")},          {"location", Text(*v, "location")},
      {"author", Who(*v, "author")},           {"authorised by", Basis(Field(*v, "authorisedBy"))},
      {"recorded at", Text(*v, "recordedAt")}, {"recorded in", Text(*v, "txId")}};
  if (Field(*v, "previousVersion") != nullptr) {
    lines.emplace_back("previous",
                       absl::StrCat("version ", Text(*v, "previousVersion"), ", sha256 ", Text(*v, "previousSha256")));
  }
  return Lines(lines);
}

absl::StatusOr<std::string> FormatEmergencyAccess(std::string_view json) {
  absl::StatusOr<Json> e = Parse(json, "emergency access", false);
  if (!e.ok()) return e.status();
  return Lines({{"patient", Text(*e, "patientId")},
                {"doctor", Who(*e, "doctor")},
                {"reason", Text(*e, "reason")},
                {"opened at", Text(*e, "openedAt")},
                {"expires at", absl::StrCat(Text(*e, "expiresAt"), " (", Text(*e, "durationSeconds"), " s)")},
                {"flagged for review", Text(*e, "flaggedForReview")}});
}

absl::StatusOr<std::string> FormatConsents(std::string_view json) {
  absl::StatusOr<Json> list = Parse(json, "consent list", true);
  if (!list.ok()) return list.status();
  std::vector<std::vector<std::string>> rows;
  for (const Json& c : *list) {
    rows.push_back({Grantee(Field(c, "grantee")), Text(c, "scope"), Categories(c), Text(c, "expiresAt"),
                    Who(c, "grantedBy"), Text(c, "txId")});
  }
  return FormatTable({"GRANTEE", "SCOPE", "CATEGORIES", "EXPIRES AT", "GRANTED BY", "TX ID"}, rows);
}

absl::StatusOr<std::string> FormatRecordHistory(std::string_view json) {
  absl::StatusOr<Json> list = Parse(json, "record history", true);
  if (!list.ok()) return list.status();
  std::vector<std::vector<std::string>> rows;
  for (const Json& entry : *list) {
    const Json* record = Field(entry, "record");
    const Json& v = record != nullptr ? *record : entry;
    rows.push_back({Text(v, "version"), Text(v, "recordedAt"), Who(v, "author"), Text(v, "mediaType"), Text(v, "size"),
                    ShortHash(v, "sha256"), Text(entry, "txId")});
  }
  return FormatTable({"VERSION", "RECORDED AT", "AUTHOR", "MEDIA TYPE", "SIZE", "SHA256", "TX ID"}, rows);
}

absl::StatusOr<std::string> FormatRecordList(std::string_view json) {
  absl::StatusOr<Json> list = Parse(json, "record list", true);
  if (!list.ok()) return list.status();
  std::vector<std::vector<std::string>> rows;
  for (const Json& v : *list) {
    rows.push_back({Text(v, "recordId"), Text(v, "version"), Text(v, "category"), Text(v, "mediaType"), Text(v, "size"),
                    ShortHash(v, "sha256"), Text(v, "recordedAt"), Who(v, "author")});
  }
  return FormatTable({"RECORD", "VERSION", "CATEGORY", "MEDIA TYPE", "SIZE", "SHA256", "RECORDED AT", "AUTHOR"}, rows);
}

absl::StatusOr<std::string> FormatEmergencyAccesses(std::string_view json) {
  absl::StatusOr<Json> list = Parse(json, "emergency access list", true);
  if (!list.ok()) return list.status();
  std::vector<std::vector<std::string>> rows;
  for (const Json& e : *list) rows.push_back(EmergencyRow(e));
  return FormatTable(EmergencyHeader(), rows);
}

absl::StatusOr<std::string> FormatAccessLog(std::string_view json) {
  absl::StatusOr<Json> log = Parse(json, "access log", false);
  if (!log.ok()) return log.status();
  const Json* accesses = Field(*log, "accesses");
  const Json* emergencies = Field(*log, "emergencies");
  auto objects = [](const Json* list) {
    return list != nullptr && list->is_array() &&
           std::all_of(list->begin(), list->end(), [](const Json& e) { return e.is_object(); });
  };
  if (!objects(accesses) || !objects(emergencies)) {
    return absl::InvalidArgumentError("the chaincode's access log is not a JSON object with accesses and emergencies");
  }
  std::string out;
  if (Field(*log, "patientId") != nullptr) {
    absl::StrAppend(&out, "access log of patient ", Text(*log, "patientId"), "\n");
  } else {
    absl::StrAppend(&out, "access log of doctor ", PersonText(Field(*log, "doctor")), "\n");
  }
  std::vector<std::vector<std::string>> rows;
  for (const Json& a : *accesses) {
    rows.push_back({Text(a, "accessedAt"), Who(a, "accessor"), Text(a, "patientId"), Text(a, "recordId"),
                    Text(a, "version"), Text(a, "category"), Basis(Field(a, "basis")), Text(a, "txId")});
  }
  absl::StrAppend(&out, "\naccesses: ", rows.size(), "\n");
  if (!rows.empty()) {
    out += FormatTable({"ACCESSED AT", "ACCESSOR", "PATIENT", "RECORD", "VERSION", "CATEGORY", "BASIS", "TX ID"}, rows);
  }
  rows.clear();
  for (const Json& e : *emergencies) rows.push_back(EmergencyRow(e));
  absl::StrAppend(&out, "\nemergency accesses: ", rows.size(), "\n");
  if (!rows.empty()) out += FormatTable(EmergencyHeader(), rows);
  return out;
}

}  // namespace careledger::healthcare
