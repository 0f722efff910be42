#include "common/participation/participation_api.h"

#include "common/participation/testing/test_registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace careledger::participation {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr uint64_t kMaxBody = 1 << 20;

RequestHead Head(std::string method, std::string path) {
  RequestHead head;
  head.method = std::move(method);
  head.path = std::move(path);
  return head;
}

RequestHead JoinHead(uint64_t length = 1000) {
  RequestHead head = Head("POST", kChannelsPath);
  head.content_type = "multipart/form-data; boundary=xyz";
  head.content_length = length;
  return head;
}

std::string ErrorOf(const Response& response) {
  return nlohmann::json::parse(response.body).at("error").get<std::string>();
}

using testing::GenesisBlock;

class ParticipationApiTest : public ::testing::Test {
 protected:
  Response Handle(const RequestHead& head) {
    std::optional<Response> response = api().HandleHead(head);
    EXPECT_TRUE(response.has_value()) << head.method << " " << head.path << " was let through";
    return response.value_or(Response{});
  }
  Response Join(const std::string& block) { return api().Join({{kConfigBlockField, "config.block", block}}, "test"); }
  ParticipationApi& api() { return api_; }

  testing::TestRegistry registry_;
  ParticipationApi api_{&registry_, kMaxBody, "test.admin"};
};

TEST_F(ParticipationApiTest, ListsNoChannelsAsFabricDoes) {
  Response response = Handle(Head("GET", kChannelsPath));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, "{\"systemChannel\":null,\"channels\":null}\n");
  EXPECT_THAT(response.headers, UnorderedElementsAre(Pair("Cache-Control", "no-store")));
}

TEST_F(ParticipationApiTest, JoinsListsShowsAndRemovesAChannel) {
  ASSERT_FALSE(api().HandleHead(JoinHead()).has_value());
  Response joined = Join(GenesisBlock("healthchannel"));
  EXPECT_EQ(joined.status, 201);
  // Fabric's fields in Fabric's order; no Raft view from a node that reports none (a peer).
  EXPECT_EQ(joined.body,
            "{\"name\":\"healthchannel\",\"url\":\"/participation/v1/channels/healthchannel\","
            "\"consensusRelation\":\"other\",\"status\":\"active\",\"height\":1}\n");
  EXPECT_THAT(joined.headers, UnorderedElementsAre(Pair("Location", "/participation/v1/channels/healthchannel")));

  EXPECT_EQ(Handle(Head("GET", kChannelsPath)).body,
            "{\"systemChannel\":null,\"channels\":[{\"name\":\"healthchannel\","
            "\"url\":\"/participation/v1/channels/healthchannel\"}]}\n");
  Response info = Handle(Head("GET", "/participation/v1/channels/healthchannel"));
  EXPECT_EQ(info.status, 200);
  EXPECT_EQ(info.body, joined.body);
  EXPECT_THAT(info.headers, UnorderedElementsAre(Pair("Cache-Control", "no-store")));

  Response removed = Handle(Head("DELETE", "/participation/v1/channels/healthchannel"));
  EXPECT_EQ(removed.status, 204);
  EXPECT_TRUE(removed.body.empty());
  EXPECT_TRUE(registry_.List().empty());

  Response gone = Handle(Head("GET", "/participation/v1/channels/healthchannel"));
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(ErrorOf(gone), "channel does not exist");
  Response remove_again = Handle(Head("DELETE", "/participation/v1/channels/healthchannel"));
  EXPECT_EQ(remove_again.status, 404);
  EXPECT_EQ(ErrorOf(remove_again), "cannot remove: channel does not exist");
}

TEST(ParticipationApiOrdererTest, ReportsAnOrderersRaftViewAfterFabricsFields) {
  testing::TestRegistry orderer({kRelationConsenter, std::make_pair(uint64_t{2}, uint64_t{3})});
  ParticipationApi api(&orderer, kMaxBody, "test.admin");
  Response joined = api.Join({{kConfigBlockField, "config.block", GenesisBlock("healthchannel")}}, "test");
  EXPECT_EQ(joined.status, 201);
  EXPECT_EQ(joined.body,
            "{\"name\":\"healthchannel\",\"url\":\"/participation/v1/channels/healthchannel\","
            "\"consensusRelation\":\"consenter\",\"status\":\"active\",\"height\":1,\"raftId\":2,"
            "\"leaderId\":3}\n");
  std::optional<Response> info = api.HandleHead(Head("GET", "/participation/v1/channels/healthchannel"));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->body, joined.body);
}

TEST_F(ParticipationApiTest, JoiningTwiceIsMethodNotAllowedAsInFabric) {
  ASSERT_EQ(Join(GenesisBlock("healthchannel")).status, 201);
  Response again = Join(GenesisBlock("healthchannel"));
  EXPECT_EQ(again.status, 405);
  EXPECT_EQ(ErrorOf(again), "cannot join: channel already exists");
  EXPECT_THAT(again.headers, UnorderedElementsAre(Pair("Allow", "GET, DELETE")));
}

TEST_F(ParticipationApiTest, RefusesBadJoinsWithBadRequest) {
  Response garbage = Join("\xff\xff\xff not a block");
  EXPECT_EQ(garbage.status, 400);
  EXPECT_THAT(ErrorOf(garbage), HasSubstr("cannot unmarshal file part config-block into a block"));

  ::common::Block not_genesis;
  ASSERT_TRUE(not_genesis.ParseFromString(GenesisBlock("healthchannel")));
  not_genesis.mutable_header()->set_number(3);
  Response numbered = Join(not_genesis.SerializeAsString());
  EXPECT_EQ(numbered.status, 400);
  EXPECT_EQ(ErrorOf(numbered), "invalid join block: block 3 is not a genesis block");

  ::common::Block no_config;
  no_config.mutable_header()->set_number(0);
  Response empty = Join(no_config.SerializeAsString());
  EXPECT_EQ(empty.status, 400);
  EXPECT_THAT(ErrorOf(empty), HasSubstr("invalid join block: "));

  registry_.FailNextWith(absl::FailedPreconditionError("this orderer is not a consenter of channel otherchannel"));
  Response stranger = Join(GenesisBlock("otherchannel"));
  EXPECT_EQ(stranger.status, 400);
  EXPECT_EQ(ErrorOf(stranger), "cannot join: this orderer is not a consenter of channel otherchannel");
  EXPECT_TRUE(registry_.List().empty());
}

TEST_F(ParticipationApiTest, AnswersLocalFailuresWithInternalServerError) {
  registry_.FailNextWith(absl::InternalError("disk full"));
  Response join = Join(GenesisBlock("healthchannel"));
  EXPECT_EQ(join.status, 500);
  EXPECT_EQ(ErrorOf(join), "cannot join: disk full");
  EXPECT_TRUE(registry_.List().empty());

  ASSERT_EQ(Join(GenesisBlock("healthchannel")).status, 201);
  registry_.FailNextWith(absl::DataLossError("block store corrupt"));
  Response info = Handle(Head("GET", "/participation/v1/channels/healthchannel"));
  EXPECT_EQ(info.status, 500);
  EXPECT_EQ(ErrorOf(info), "block store corrupt");

  registry_.FailNextWith(absl::InternalError("cannot delete the channel's folder"));
  Response remove = Handle(Head("DELETE", "/participation/v1/channels/healthchannel"));
  EXPECT_EQ(remove.status, 500);
  EXPECT_EQ(ErrorOf(remove), "cannot remove: cannot delete the channel's folder");
  EXPECT_EQ(registry_.List().size(), 1u);
}

TEST_F(ParticipationApiTest, RefusesFormsWithoutExactlyOneConfigBlockFile) {
  const std::string block = GenesisBlock("healthchannel");
  Response missing = api().Join({{"other", "x.block", block}}, "test");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(ErrorOf(missing), "form does not contains part key: config-block");
  Response as_value = api().Join({{kConfigBlockField, "", block}}, "test");
  EXPECT_EQ(ErrorOf(as_value), "form does not contains part key: config-block");
  Response two = api().Join({{kConfigBlockField, "a.block", block}, {"comment", "", "hello"}}, "test");
  EXPECT_EQ(two.status, 400);
  EXPECT_EQ(ErrorOf(two), "form contains too many parts");
  EXPECT_TRUE(registry_.List().empty());
}

TEST_F(ParticipationApiTest, JoinHeadsAreCheckedBeforeTheBodyIsRead) {
  RequestHead json = JoinHead();
  json.content_type = "application/json";
  Response wrong_type = Handle(json);
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(ErrorOf(wrong_type), "unsupported Content-Type: [application/json]");

  Response too_large = Handle(JoinHead(kMaxBody + 1));
  EXPECT_EQ(too_large.status, 400);
  EXPECT_THAT(ErrorOf(too_large), HasSubstr("request body too large"));

  RequestHead chunked = JoinHead();
  chunked.content_length.reset();
  chunked.chunked = true;
  EXPECT_EQ(Handle(chunked).status, 411);

  RequestHead gzip = JoinHead();
  gzip.content_encoding = "gzip";
  Response compressed = Handle(gzip);
  EXPECT_EQ(compressed.status, 400);
  EXPECT_THAT(ErrorOf(compressed), HasSubstr("unsupported Content-Encoding: gzip"));

  RequestHead html = JoinHead();
  html.accept = "text/html";
  EXPECT_EQ(Handle(html).status, 406);
  html.accept = "text/html, application/*;q=0.8";
  EXPECT_FALSE(api().HandleHead(html).has_value());
}

TEST_F(ParticipationApiTest, RoutesAsFabricsRouter) {
  Response put = Handle(Head("PUT", kChannelsPath));
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(ErrorOf(put), "invalid request method: PUT");
  EXPECT_THAT(put.headers, UnorderedElementsAre(Pair("Allow", "GET, POST")));

  Response patch = Handle(Head("PATCH", "/participation/v1/channels/healthchannel"));
  EXPECT_EQ(patch.status, 405);
  EXPECT_THAT(patch.headers, UnorderedElementsAre(Pair("Allow", "GET, DELETE")));

  Response bad_id = Handle(Head("GET", "/participation/v1/channels/Health_Channel"));
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_THAT(ErrorOf(bad_id), HasSubstr("invalid channel ID: "));
  EXPECT_EQ(Handle(Head("DELETE", "/participation/v1/channels/..")).status, 400);

  EXPECT_EQ(Handle(Head("GET", "/participation/v1/channels/a/blocks/0")).status, 404);
  EXPECT_EQ(Handle(Head("GET", "/participation/v1/channels/")).status, 404);
  Response unknown = Handle(Head("GET", "/healthz"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.content_type, "application/json");

  Response base = Handle(Head("GET", "/participation/v1/"));
  EXPECT_EQ(base.status, 302);
  EXPECT_THAT(base.headers, UnorderedElementsAre(Pair("Location", "/participation/v1/channels")));

  RequestHead xml = Head("GET", kChannelsPath);
  xml.accept = "application/xml";
  EXPECT_EQ(Handle(xml).status, 406);
}

}  // namespace
}  // namespace careledger::participation
