#include "network/audit/audit_report.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "network/audit/audit_events.h"
#include "network/audit/testing/healthcare_chain.h"
#include "nlohmann/json.hpp"

namespace careledger::audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::json;

const testing::HealthcareChain& Chain() {
  static const testing::HealthcareChain* chain = new testing::HealthcareChain(testing::BuildHealthcareChain());
  return *chain;
}

std::vector<AuditEntry> AllEntries() {
  InMemoryBlockSource source(Chain().blocks);
  absl::StatusOr<std::vector<ChainEvent>> events = CollectEvents(source, kHealthcareChaincode);
  EXPECT_TRUE(events.ok()) << events.status();
  if (!events.ok()) return {};
  absl::StatusOr<std::vector<AuditEntry>> entries = ReadAuditEntries(*events);
  EXPECT_TRUE(entries.ok()) << entries.status();
  return entries.ok() ? *std::move(entries) : std::vector<AuditEntry>();
}

std::vector<std::string> Names(const std::vector<AuditEntry>& entries) {
  std::vector<std::string> names;
  for (const AuditEntry& entry : entries) names.emplace_back(EntryKindName(entry.kind));
  return names;
}

TEST(AuditEventsTest, ReadsTheEventsOfValidHealthcareTransactionsInChainOrder) {
  InMemoryBlockSource source(Chain().blocks);
  absl::StatusOr<std::vector<ChainEvent>> events = CollectEvents(source, kHealthcareChaincode);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 11u);  // not the asset transaction, not the one marked MVCC_READ_CONFLICT
  for (size_t i = 0; i < events->size(); ++i) {
    EXPECT_EQ((*events)[i].tx_id, Chain().tx_ids[i]) << i;
    EXPECT_EQ((*events)[i].timestamp, absl::FromUnixSeconds(testing::kHealthcareEpoch + static_cast<int64_t>(i) + 1));
  }
  EXPECT_EQ((*events)[0].name, "PatientRegistered");
  EXPECT_EQ((*events)[0].block_number, 1u);
  EXPECT_EQ((*events)[8].name, "ConsentRevoked");
  EXPECT_EQ((*events)[8].block_number, 4u);
  EXPECT_EQ((*events)[8].tx_index, 0u);
  EXPECT_EQ(Json::parse((*events)[3].payload)["recordId"], "R-1");
}

TEST(AuditEventsTest, AnOrderersChainHasNoValidationCodesToReportFrom) {
  ::common::Block block = Chain().blocks[1];
  block.mutable_metadata()->mutable_metadata(::common::TRANSACTIONS_FILTER)->clear();
  absl::StatusOr<std::vector<ChainEvent>> events = EventsOfBlock(block, kHealthcareChaincode);
  EXPECT_EQ(events.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(events.status().message(), HasSubstr("block 1 carries no usable validation codes"));
}

TEST(AuditReportTest, ReadsWhoDidWhatToWhichPatient) {
  const std::vector<AuditEntry> entries = AllEntries();
  ASSERT_EQ(entries.size(), 11u);
  EXPECT_THAT(Names(entries),
              ElementsAre("PatientRegistered", "ConsentGranted", "ConsentGranted", "RecordVersionAdded",
                          "RecordVersionAdded", "RecordAccessed", "EmergencyAccessOpened", "RecordAccessed",
                          "ConsentRevoked", "PatientRegistered", "ConsentGranted"));
  EXPECT_EQ(entries[1].patient_id, "P-1001");
  EXPECT_EQ(entries[1].actor, (Person{"Hospital1MSP", "P-1001"}));
  EXPECT_EQ(entries[1].doctor, (Person{"Hospital1MSP", "D-1001"}));
  EXPECT_EQ(entries[2].doctor, (Person{"Hospital2MSP", ""}));
  EXPECT_EQ(entries[2].summary, "granted read consent to every doctor of Hospital2MSP, categories imaging, until "
                                "2023-11-16T02:00:00Z");
  EXPECT_THAT(entries[4].summary, HasSubstr("record R-1 v2 (lab, sha256 bbbbbbbbbbbb…) under consent "));
  EXPECT_EQ(entries[6].actor, (Person{"Hospital2MSP", "D-2001"}));
  EXPECT_THAT(entries[6].summary,
              HasSubstr("BREAK-GLASS until 2023-11-14T23:13:27Z: unconscious in the emergency room"));
  EXPECT_THAT(entries[7].summary, HasSubstr("under emergency access: unconscious in the emergency room"));
  EXPECT_THAT(entries[8].summary, HasSubstr("revoked readwrite consent to D-1001 (Hospital1MSP), categories lab"));
  EXPECT_EQ(entries[9].actor, (Person{"Hospital1MSP", ""}));  // an admin has no person ID
}

TEST(AuditReportTest, RefusesAPayloadThatIsNotTheChaincodes) {
  ChainEvent event;
  event.block_number = 7;
  event.tx_index = 2;
  event.tx_id = "abc";
  event.name = "ConsentGranted";
  event.payload = R"({"patientId":"P-1"})";
  absl::StatusOr<std::vector<AuditEntry>> entries = ReadAuditEntries({event});
  EXPECT_EQ(entries.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(entries.status().message(), HasSubstr("block 7 tx 2 (txid abc) event ConsentGranted"));
  EXPECT_THAT(entries.status().message(), HasSubstr("field 'grantedBy' is missing"));
  event.payload = "not json";
  EXPECT_THAT(ReadAuditEntries({event}).status().message(), HasSubstr("not a JSON object"));
  event.name = "Prescribed";
  EXPECT_THAT(ReadAuditEntries({event}).status().message(), HasSubstr("not an event of the healthcare chaincode"));
}

TEST(AuditReportTest, FiltersByPatient) {
  ReportFilter filter;
  filter.patient_id = "P-1002";
  EXPECT_THAT(Names(FilterEntries(AllEntries(), filter)), ElementsAre("PatientRegistered", "ConsentGranted"));
}

TEST(AuditReportTest, FiltersByDoctorIncludingConsentsToTheirWholeHospital) {
  ReportFilter filter;
  filter.doctor = Person{"Hospital2MSP", "D-2001"};
  EXPECT_THAT(Names(FilterEntries(AllEntries(), filter)),
              ElementsAre("ConsentGranted", "EmergencyAccessOpened", "RecordAccessed"));
  filter.doctor = Person{"Hospital1MSP", "D-1001"};
  filter.patient_id = "P-1001";
  EXPECT_THAT(Names(FilterEntries(AllEntries(), filter)),
              ElementsAre("ConsentGranted", "RecordVersionAdded", "RecordVersionAdded", "RecordAccessed",
                          "ConsentRevoked"));
}

TEST(AuditReportTest, FiltersByTimeWithAnInclusiveTo) {
  ReportFilter filter;
  filter.from = *ParseFromTime("--from", "2023-11-14T22:13:24Z");  // call 4
  filter.until = *ParseUntilTime("--to", "2023-11-14T22:13:26Z");  // call 6, inclusive
  EXPECT_THAT(Names(FilterEntries(AllEntries(), filter)),
              ElementsAre("RecordVersionAdded", "RecordVersionAdded", "RecordAccessed"));
  filter.from = *ParseFromTime("--from", "2023-11-14");
  filter.until = *ParseUntilTime("--to", "2023-11-14");
  EXPECT_EQ(FilterEntries(AllEntries(), filter).size(), 11u);
  filter.from = *ParseFromTime("--from", "2023-11-15");
  filter.until.reset();
  EXPECT_TRUE(FilterEntries(AllEntries(), filter).empty());
  // Offsets other than Z.
  EXPECT_EQ(*ParseFromTime("--from", "2023-11-14T23:13:24+01:00"), absl::FromUnixSeconds(1700000004));
}

TEST(AuditReportTest, RefusesMalformedFilterValues) {
  EXPECT_THAT(ParseFromTime("--from", "yesterday").status().message(),
              HasSubstr("--from 'yesterday' is neither an RFC 3339 time"));
  EXPECT_EQ(ParseUntilTime("--to", "2023-13-40").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*ParsePerson("Hospital1MSP:D-1001"), (Person{"Hospital1MSP", "D-1001"}));
  for (const char* bad : {"D-1001", ":D-1", "H1:", "a:b:c"}) {
    EXPECT_EQ(ParsePerson(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(AuditReportTest, PrintsATable) {
  ReportFilter filter;
  filter.patient_id = "P-1002";
  const std::string table = FormatTable(FilterEntries(AllEntries(), filter));
  EXPECT_THAT(table, HasSubstr("TIME"));
  EXPECT_THAT(table, HasSubstr("DETAILS\n"));
  EXPECT_THAT(table, HasSubstr("2023-11-14T22:13:30Z  4      " + Chain().tx_ids[9].substr(0, 12) +
                                   "  PatientRegistered  P-1002   admin of Hospital1MSP"));
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 3);
  EXPECT_EQ(FormatTable({}), "no entries\n");
}

TEST(AuditReportTest, PrintsJsonWithThePayloadsAsWritten) {
  ReportFilter filter;
  filter.patient_id = "P-1001";
  filter.from = absl::FromUnixSeconds(testing::kHealthcareEpoch + 7);
  const std::vector<AuditEntry> entries = FilterEntries(AllEntries(), filter);
  const Json report = Json::parse(FormatJson(entries, filter));
  EXPECT_EQ(report["filter"]["patientId"], "P-1001");
  EXPECT_EQ(report["filter"]["from"], "2023-11-14T22:13:27Z");
  ASSERT_EQ(report["entries"].size(), 3u);
  const Json& emergency = report["entries"][0];
  EXPECT_EQ(emergency["event"], "EmergencyAccessOpened");
  EXPECT_EQ(emergency["block"], 3);
  EXPECT_EQ(emergency["txIndex"], 0);
  EXPECT_EQ(emergency["txId"], Chain().tx_ids[6]);
  EXPECT_EQ(emergency["timestamp"], "2023-11-14T22:13:27Z");
  EXPECT_EQ(emergency["by"], (Json{{"msp", "Hospital2MSP"}, {"personId", "D-2001"}}));
  EXPECT_EQ(emergency["payload"]["reason"], "unconscious in the emergency room");
  EXPECT_EQ(emergency["payload"]["flaggedForReview"], true);
}

}  // namespace
}  // namespace careledger::audit
