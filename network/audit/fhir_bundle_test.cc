#include "network/audit/fhir_bundle.h"

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "common/encoding/hex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "network/audit/audit_events.h"
#include "network/audit/testing/healthcare_chain.h"
#include "nlohmann/json.hpp"

namespace careledger::audit {
namespace {

using ::testing::ElementsAre;
using Json = nlohmann::json;

std::vector<AuditEntry> Entries() {
  static const std::vector<AuditEntry>* entries = [] {
    InMemoryBlockSource source(testing::BuildHealthcareChain().blocks);
    absl::StatusOr<std::vector<ChainEvent>> events = CollectEvents(source, kHealthcareChaincode);
    EXPECT_TRUE(events.ok()) << events.status();
    absl::StatusOr<std::vector<AuditEntry>> read = ReadAuditEntries(events.ok() ? *events : std::vector<ChainEvent>());
    EXPECT_TRUE(read.ok()) << read.status();
    return new std::vector<AuditEntry>(read.ok() ? *std::move(read) : std::vector<AuditEntry>());
  }();
  return *entries;
}

Json Bundle(const std::vector<AuditEntry>& entries) {
  FhirBundleOptions options;
  options.channel_id = "healthchannel";
  options.generated = absl::FromUnixSeconds(1800000000);
  absl::StatusOr<std::string> bundle = BuildFhirBundle(entries, options);
  EXPECT_TRUE(bundle.ok()) << bundle.status();
  return Json::parse(bundle.ok() ? *bundle : "{}");
}

std::vector<Json> ResourcesOf(const Json& bundle, const std::string& type) {
  std::vector<Json> found;
  for (const Json& entry : bundle["entry"]) {
    if (entry["resource"]["resourceType"] == type) found.push_back(entry["resource"]);
  }
  return found;
}

std::string FullUrlOf(const Json& bundle, const Json& resource) {
  for (const Json& entry : bundle["entry"]) {
    if (entry["resource"] == resource) return entry["fullUrl"];
  }
  return "";
}

TEST(FhirBundleTest, IsACollectionBundleOfR4ResourcesWithStableIds) {
  const Json bundle = Bundle(Entries());
  EXPECT_EQ(bundle["resourceType"], "Bundle");
  EXPECT_EQ(bundle["type"], "collection");
  EXPECT_EQ(bundle["timestamp"], "2027-01-15T08:00:00Z");
  std::vector<std::string> types;
  const std::regex id_pattern("[A-Za-z0-9\\-\\.]{1,64}");
  const std::regex uuid_pattern("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (const Json& entry : bundle["entry"]) {
    types.push_back(entry["resource"]["resourceType"]);
    EXPECT_TRUE(std::regex_match(entry["resource"]["id"].get<std::string>(), id_pattern)) << entry["resource"]["id"];
    EXPECT_TRUE(std::regex_match(entry["fullUrl"].get<std::string>(), uuid_pattern)) << entry["fullUrl"];
  }
  // Registrations have no resource; each record version is a DocumentReference and its Provenance.
  EXPECT_THAT(types, ElementsAre("Consent", "Consent", "DocumentReference", "Provenance", "DocumentReference",
                                 "Provenance", "AuditEvent", "AuditEvent", "AuditEvent", "Consent", "Consent"));
  EXPECT_EQ(Bundle(Entries()), bundle);  // the same chain exports the same resources
  EXPECT_EQ(Bundle({})["entry"], Json::array());
}

TEST(FhirBundleTest, ConsentsCarryStatusPatientPerformerAndProvision) {
  const std::vector<Json> consents = ResourcesOf(Bundle(Entries()), "Consent");
  ASSERT_EQ(consents.size(), 4u);
  const Json& grant = consents[0];
  EXPECT_EQ(grant["status"], "active");
  EXPECT_EQ(grant["scope"]["coding"][0]["code"], "patient-privacy");
  EXPECT_EQ(grant["category"][0]["coding"][0]["code"], "59284-0");
  EXPECT_TRUE(grant.contains("policyRule"));  // R4 ppc-1: a policy or a policyRule
  EXPECT_EQ(grant["patient"]["identifier"], (Json{{"system", "urn:careledger:patient"}, {"value", "P-1001"}}));
  EXPECT_EQ(grant["performer"][0]["identifier"],
            (Json{{"system", "urn:careledger:person:Hospital1MSP"}, {"value", "P-1001"}}));
  EXPECT_EQ(grant["dateTime"], "2023-11-14T22:13:22Z");
  EXPECT_EQ(grant["provision"]["type"], "permit");
  EXPECT_EQ(grant["provision"]["period"]["end"], "2023-11-16T02:00:00Z");
  EXPECT_EQ(grant["provision"]["actor"][0]["reference"]["identifier"]["value"], "D-1001");
  EXPECT_EQ(grant["provision"]["actor"][0]["role"]["coding"][0]["code"], "PRCP");
  EXPECT_EQ(grant["provision"]["action"].size(), 2u);  // readwrite: access and correct
  EXPECT_EQ(grant["provision"]["code"][0]["coding"][0]["code"], "lab");
  EXPECT_EQ(consents[1]["provision"]["actor"][0]["reference"]["identifier"],
            (Json{{"system", "urn:careledger:msp"}, {"value", "Hospital2MSP"}}));
  const Json& revoked = consents[2];
  EXPECT_EQ(revoked["status"], "inactive");
  EXPECT_EQ(revoked["dateTime"], "2023-11-14T22:13:29Z");
  EXPECT_EQ(revoked["provision"]["actor"][0]["reference"]["identifier"]["value"], "D-1001");
  EXPECT_NE(revoked["id"], grant["id"]);
}

TEST(FhirBundleTest, DocumentReferencesCarryTheAttachmentHashAndReplaceTheirPreviousVersion) {
  const Json bundle = Bundle(Entries());
  const std::vector<Json> documents = ResourcesOf(bundle, "DocumentReference");
  ASSERT_EQ(documents.size(), 2u);
  const Json& v1 = documents[0];
  const Json& v2 = documents[1];
  EXPECT_EQ(v1["status"], "superseded");
  EXPECT_EQ(v2["status"], "current");
  EXPECT_EQ(v1["masterIdentifier"]["value"], "R-1/v1");
  EXPECT_EQ(v2["subject"]["identifier"]["value"], "P-1001");
  EXPECT_EQ(v2["author"][0]["identifier"]["value"], "D-1001");
  EXPECT_EQ(v2["date"], "2023-11-14T22:13:25Z");
  const Json& attachment = v2["content"][0]["attachment"];
  EXPECT_EQ(attachment["hash"], absl::Base64Escape(*HexDecode(testing::kRecordSha2)));
  EXPECT_EQ(attachment["hash"].get<std::string>().size(), 44u);  // base64 of 32 bytes
  EXPECT_EQ(attachment["size"], 2345);
  EXPECT_EQ(attachment["contentType"], "application/pdf");
  EXPECT_EQ(attachment["url"], "vault://hospital1/R-1.v2");
  EXPECT_FALSE(v1.contains("relatesTo"));
  EXPECT_EQ(v2["relatesTo"][0]["code"], "replaces");
  EXPECT_EQ(v2["relatesTo"][0]["target"]["reference"], FullUrlOf(bundle, v1));
}

TEST(FhirBundleTest, ProvenanceNamesTheDocumentAndItsAuthor) {
  const Json bundle = Bundle(Entries());
  const std::vector<Json> documents = ResourcesOf(bundle, "DocumentReference");
  const std::vector<Json> provenances = ResourcesOf(bundle, "Provenance");
  ASSERT_EQ(provenances.size(), 2u);
  const Json& amended = provenances[1];
  EXPECT_EQ(amended["target"][0]["reference"], FullUrlOf(bundle, documents[1]));
  EXPECT_EQ(amended["recorded"], "2023-11-14T22:13:25Z");
  EXPECT_EQ(amended["agent"][0]["type"]["coding"][0]["code"], "author");
  EXPECT_EQ(amended["agent"][0]["who"]["identifier"]["value"], "D-1001");
  EXPECT_EQ(amended["activity"]["coding"][0]["code"], "UPDATE");
  EXPECT_EQ(amended["entity"][0]["role"], "revision");
  EXPECT_EQ(provenances[0]["activity"]["coding"][0]["code"], "CREATE");
}

TEST(FhirBundleTest, AuditEventsRecordAccessesAndBreakGlassWithItsReason) {
  const Json bundle = Bundle(Entries());
  const std::vector<Json> events = ResourcesOf(bundle, "AuditEvent");
  ASSERT_EQ(events.size(), 3u);
  const Json& access = events[0];
  EXPECT_EQ(access["type"]["code"], "rest");
  EXPECT_EQ(access["action"], "R");
  EXPECT_EQ(access["recorded"], "2023-11-14T22:13:26Z");
  EXPECT_EQ(access["agent"][0]["requestor"], true);
  EXPECT_EQ(access["agent"][0]["who"]["identifier"]["value"], "D-1001");
  EXPECT_TRUE(access["source"].contains("observer"));
  EXPECT_EQ(access["entity"][0]["what"]["reference"], FullUrlOf(bundle, ResourcesOf(bundle, "DocumentReference")[1]));
  EXPECT_EQ(access["purposeOfEvent"][0]["coding"][0]["code"], "TREAT");

  const Json& breakglass = events[1];
  EXPECT_EQ(breakglass["subtype"][0]["code"], "110127");
  EXPECT_EQ(breakglass["action"], "R");
  EXPECT_EQ(breakglass["period"]["end"], "2023-11-14T23:13:27Z");
  EXPECT_EQ(breakglass["purposeOfEvent"][0]["coding"][0]["code"], "ETREAT");
  EXPECT_EQ(breakglass["purposeOfEvent"][0]["text"], "unconscious in the emergency room");
  EXPECT_EQ(breakglass["agent"][0]["who"]["identifier"]["value"], "D-2001");

  const Json& emergency_read = events[2];
  EXPECT_EQ(emergency_read["purposeOfEvent"][0]["coding"][0]["code"], "ETREAT");
  EXPECT_EQ(emergency_read["purposeOfEvent"][0]["text"], "unconscious in the emergency room");
}

}  // namespace
}  // namespace careledger::audit
