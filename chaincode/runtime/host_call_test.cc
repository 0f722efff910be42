// HostCall through its C callbacks, as a chaincode of any language reaches it, over the in-memory ledger.
#include "chaincode/runtime/host_call.h"

#include <string>
#include <vector>

#include "chaincode/runtime/testing/in_memory_ledger.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::chaincode {
namespace {

using ::std::string_literals::operator""s;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::InMemoryLedger;
using testing::InMemoryLedgerAccess;

careledger_bytes B(std::string_view text) { return careledger_bytes{text.data(), text.size()}; }
std::string S(careledger_bytes bytes) { return bytes.len == 0 ? "" : std::string(bytes.data, bytes.len); }

class HostCallTest : public ::testing::Test {
 protected:
  HostCallTest() {
    ledger_.Commit("tx0", absl::FromUnixSeconds(10),
                   {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"}, {"\x00idx\x00x\x00"s, "i"}});
    context_.channel_id = "ch";
    context_.tx_id = "tx1";
    context_.timestamp = absl::FromUnixNanos(1'700'000'000'123'456'789);
    context_.args = {"fn", "arg"};
    context_.transient = {{"secret", "s"}};
    context_.creator.msp_id = "Org1MSP";
    context_.creator.attributes = {{"role", "doctor"}};
    access_ = ledger_.NewSimulation();
    call_ = std::make_unique<HostCall>(context_, /*copy_context=*/true, /*is_init=*/false, access_.get());
  }

  const careledger_host_v1& host() { return HostCall::Callbacks(); }
  careledger_call* call() { return call_->handle(); }

  careledger_status Put(std::string_view key, std::string_view value) {
    return host().put_state(call(), B(key), B(value), &error_);
  }

  // Opens a range and returns "key=value" of everything in it; fetched/bookmark of a page in *metadata.
  std::vector<std::string> Range(careledger_range_kind kind, std::string_view start, std::string_view end,
                                 int32_t page_size = 0, std::string_view bookmark = "",
                                 std::string* metadata = nullptr) {
    careledger_iterator iterator = 0;
    int32_t fetched = -1;
    careledger_bytes next_bookmark{};
    const careledger_status status = host().open_range(call(), kind, B(start), B(end), page_size, B(bookmark),
                                                       &iterator, &fetched, &next_bookmark, &error_);
    if (status != CARELEDGER_STATUS_OK) return {"error " + std::to_string(status) + ": " + S(error_)};
    if (metadata != nullptr) *metadata = std::to_string(fetched) + " " + S(next_bookmark);
    std::vector<std::string> out;
    while (true) {
      int32_t has = 0;
      careledger_entry entry{};
      EXPECT_EQ(host().next_entry(call(), iterator, &has, &entry, &error_), CARELEDGER_STATUS_OK) << S(error_);
      if (has == 0) break;
      out.push_back(S(entry.key) + "=" + S(entry.value));
    }
    host().close_iterator(call(), iterator);
    return out;
  }

  InMemoryLedger ledger_;
  InvocationContext context_;
  std::unique_ptr<InMemoryLedgerAccess> access_;
  std::unique_ptr<HostCall> call_;
  careledger_bytes error_{};
};

TEST_F(HostCallTest, LendsTheInvocation) {
  const careledger_invocation_v1& invocation = call_->invocation();
  EXPECT_EQ(invocation.struct_size, sizeof(careledger_invocation_v1));
  EXPECT_EQ(invocation.is_init, 0);
  EXPECT_EQ(S(invocation.channel_id), "ch");
  EXPECT_EQ(S(invocation.tx_id), "tx1");
  EXPECT_EQ(invocation.timestamp.seconds, 1'700'000'000);
  EXPECT_EQ(invocation.timestamp.nanos, 123'456'789);
  ASSERT_EQ(invocation.arg_count, 2u);
  EXPECT_EQ(S(invocation.args[1]), "arg");
  ASSERT_EQ(invocation.transient_count, 1u);
  EXPECT_EQ(S(invocation.transient[0].value), "s");
  EXPECT_EQ(S(invocation.creator_msp_id), "Org1MSP");
  ASSERT_EQ(invocation.creator_attribute_count, 1u);
  EXPECT_EQ(S(invocation.creator_attributes[0].key), "role");
}

TEST_F(HostCallTest, ReadsCommittedStateAndRecordsWrites) {
  int32_t found = 0;
  careledger_bytes value{};
  ASSERT_EQ(host().get_state(call(), B("a"), &found, &value, &error_), CARELEDGER_STATUS_OK);
  EXPECT_EQ(found, 1);
  EXPECT_EQ(S(value), "1");
  ASSERT_EQ(host().get_state(call(), B("zz"), &found, &value, &error_), CARELEDGER_STATUS_OK);
  EXPECT_EQ(found, 0);
  ASSERT_EQ(Put("a", "new"), CARELEDGER_STATUS_OK);
  ASSERT_EQ(host().del_state(call(), B("b"), &error_), CARELEDGER_STATUS_OK);
  EXPECT_EQ(access_->writes().at("a"), "new");
  EXPECT_EQ(access_->writes().at("b"), std::nullopt);
}

TEST_F(HostCallTest, RefusesEmptyKeysWithoutAskingTheLedger) {
  const size_t calls = access_->calls();
  EXPECT_EQ(Put("", "v"), CARELEDGER_STATUS_INVALID);
  EXPECT_EQ(S(error_), "key must not be an empty string");
  EXPECT_EQ(host().del_state(call(), B(""), &error_), CARELEDGER_STATUS_INVALID);
  EXPECT_EQ(access_->calls(), calls);
  EXPECT_TRUE(call_->TakeAnswer().ledger_error.ok());  // a refused call is not a ledger failure
}

TEST_F(HostCallTest, SimpleRangesFollowFabricsKeyRules) {
  EXPECT_THAT(Range(CARELEDGER_RANGE_SIMPLE, "b", "d"), ElementsAre("b=2", "c=3"));
  // An empty start is "\x01": composite keys ("\x00...") stay out.
  EXPECT_THAT(Range(CARELEDGER_RANGE_SIMPLE, "", "c"), ElementsAre("a=1", "b=2"));
  EXPECT_THAT(Range(CARELEDGER_RANGE_SIMPLE, "\x00idx"s, ""),
              ElementsAre("error 1: first character of the key [\\x00idx] contains a null character which is not "
                          "allowed"));
  EXPECT_THAT(Range(CARELEDGER_RANGE_SIMPLE, "a", "\x00"s), ElementsAre(HasSubstr("contains a null character")));
}

TEST_F(HostCallTest, CompositeRangesMustStartWithTheCompositeNamespace) {
  EXPECT_THAT(Range(CARELEDGER_RANGE_COMPOSITE, "\x00idx\x00"s, "\x00idx\x00\xF4\x8F\xBF\xBF"s),
              ElementsAre("\x00idx\x00x\x00=i"s));
  EXPECT_THAT(Range(CARELEDGER_RANGE_COMPOSITE, "idx", ""),
              ElementsAre("error 1: a composite-key range starts with a partial composite key (0x00 ...), not [idx]"));
  EXPECT_THAT(Range(7, "a", ""), ElementsAre("error 1: unknown range kind 7"));
}

TEST_F(HostCallTest, PagesCarryFetchedCountAndTheNextKeyAsBookmark) {
  std::string metadata;
  EXPECT_THAT(Range(CARELEDGER_RANGE_SIMPLE, "", "", 2, "", &metadata), ElementsAre("a=1", "b=2"));
  EXPECT_EQ(metadata, "2 c");
  EXPECT_THAT(Range(CARELEDGER_RANGE_SIMPLE, "", "", 2, "c", &metadata), ElementsAre("c=3", "d=4"));
  EXPECT_EQ(metadata, "2 e");
  EXPECT_THAT(Range(CARELEDGER_RANGE_SIMPLE, "", "", 2, "e", &metadata), ElementsAre("e=5"));
  EXPECT_EQ(metadata, "1 ");  // no more pages
  EXPECT_THAT(Range(CARELEDGER_RANGE_SIMPLE, "b", "d", 5, "", &metadata), ElementsAre("b=2", "c=3"));
  EXPECT_EQ(metadata, "2 ");
  EXPECT_THAT(Range(CARELEDGER_RANGE_SIMPLE, "b", "d", 5, "d"),
              ElementsAre("error 1: bookmark [d] is outside the range [b, d)"));
  EXPECT_THAT(Range(CARELEDGER_RANGE_SIMPLE, "b", "d", -1),
              ElementsAre("error 1: page size must not be negative, got -1"));
}

TEST_F(HostCallTest, PaginatedQueriesOnlyInReadOnlyTransactions) {
  ASSERT_EQ(Range(CARELEDGER_RANGE_SIMPLE, "", "", 1).size(), 1u);
  EXPECT_EQ(Put("a", "v"), CARELEDGER_STATUS_INVALID);
  EXPECT_THAT(S(error_), HasSubstr("paginated queries are supported only in read-only transactions"));

  HostCall writer(context_, /*copy_context=*/false, /*is_init=*/false, access_.get());
  ASSERT_EQ(host().put_state(writer.handle(), B("a"), B("v"), &error_), CARELEDGER_STATUS_OK);
  careledger_iterator iterator = 0;
  int32_t fetched = 0;
  careledger_bytes bookmark{};
  EXPECT_EQ(host().open_range(writer.handle(), CARELEDGER_RANGE_SIMPLE, B(""), B(""), 1, B(""), &iterator, &fetched,
                              &bookmark, &error_),
            CARELEDGER_STATUS_INVALID);
  EXPECT_EQ(S(error_),
            "paginated queries are supported only in read-only transactions, and this transaction has written");
}

TEST_F(HostCallTest, HistoryIsNewestFirst) {
  ledger_.Commit("tx2", absl::FromUnixSeconds(20), {{"a", std::nullopt}});
  careledger_iterator iterator = 0;
  ASSERT_EQ(host().open_history(call(), B("a"), &iterator, &error_), CARELEDGER_STATUS_OK);
  std::vector<std::string> seen;
  while (true) {
    int32_t has = 0;
    careledger_key_modification modification{};
    ASSERT_EQ(host().next_modification(call(), iterator, &has, &modification, &error_), CARELEDGER_STATUS_OK);
    if (has == 0) break;
    seen.push_back(S(modification.tx_id) + (modification.is_delete ? " deleted" : " " + S(modification.value)) + " @" +
                   std::to_string(modification.timestamp.seconds));
  }
  EXPECT_THAT(seen, ElementsAre("tx2 deleted @20", "tx0 1 @10"));
  int32_t has = 0;
  careledger_entry entry{};
  EXPECT_EQ(host().next_entry(call(), iterator, &has, &entry, &error_), CARELEDGER_STATUS_INVALID);
  EXPECT_EQ(S(error_), "no open range query has iterator " + std::to_string(iterator));
}

TEST_F(HostCallTest, ALedgerFailureIsStickyAndNamed) {
  access_->FailWith(absl::DataLossError("block file truncated"));
  int32_t found = 0;
  careledger_bytes value{};
  EXPECT_EQ(host().get_state(call(), B("a"), &found, &value, &error_), CARELEDGER_STATUS_FAILED);
  EXPECT_EQ(S(error_), "the peer's ledger failed: DATA_LOSS: block file truncated");
  access_->FailWith(absl::OkStatus());
  EXPECT_EQ(Put("a", "v"), CARELEDGER_STATUS_OK);  // the ledger works again, but the invocation is spoiled
  const HostCall::Answer answer = call_->TakeAnswer();
  EXPECT_EQ(answer.ledger_error.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(answer.ledger_error.message(), "GetState: block file truncated");
}

TEST_F(HostCallTest, AfterTheFenceNothingReachesTheLedger) {
  careledger_iterator iterator = 0;
  int32_t fetched = 0;
  careledger_bytes bookmark{};
  ASSERT_EQ(host().open_range(call(), CARELEDGER_RANGE_SIMPLE, B(""), B(""), 0, B(""), &iterator, &fetched, &bookmark,
                              &error_),
            CARELEDGER_STATUS_OK);
  call_->Fence("it ran past its time limit of 1s");
  const size_t calls = access_->calls();
  EXPECT_EQ(Put("a", "v"), CARELEDGER_STATUS_FAILED);
  EXPECT_EQ(S(error_),
            "the peer no longer runs this invocation (it ran past its time limit of 1s); the ledger cannot be reached");
  int32_t has = 0;
  careledger_entry entry{};
  EXPECT_EQ(host().next_entry(call(), iterator, &has, &entry, &error_), CARELEDGER_STATUS_FAILED);
  EXPECT_EQ(access_->calls(), calls);
  EXPECT_TRUE(access_->writes().empty());
}

TEST_F(HostCallTest, EventsAndResponses) {
  EXPECT_EQ(host().set_event(call(), B(""), B("p"), &error_), CARELEDGER_STATUS_INVALID);
  EXPECT_EQ(S(error_), "event name can not be empty string");
  EXPECT_EQ(host().set_event(call(), B("bad\xFF"), B("p"), &error_), CARELEDGER_STATUS_INVALID);
  EXPECT_EQ(S(error_), "event name [bad\\xff] is not valid UTF-8");
  ASSERT_EQ(host().set_event(call(), B("first"), B("1"), &error_), CARELEDGER_STATUS_OK);
  ASSERT_EQ(host().set_event(call(), B("second"), B("2"), &error_), CARELEDGER_STATUS_OK);
  host().set_response(call(), 200, B(""), B("payload"));
  const HostCall::Answer answer = call_->TakeAnswer();
  EXPECT_TRUE(answer.has_response);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.payload, "payload");
  EXPECT_TRUE(answer.has_event);
  EXPECT_EQ(answer.event_name, "second");
  EXPECT_EQ(answer.event_payload, "2");
}

}  // namespace
}  // namespace careledger::chaincode
