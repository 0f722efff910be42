// Malformed and hostile documents: each must end in an InvalidArgument naming file, line and column, or in a
// document that is safe to read; never in a crash, a hang or runaway memory.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/config/config_document.h"
#include "common/config/yaml_tree.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::config {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

std::string ParseError(const std::string& text) {
  const absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse(text, "bad.yaml");
  EXPECT_FALSE(doc.ok()) << "accepted: " << text.substr(0, 80);
  if (doc.ok()) return "";
  EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(doc.status().message());
}

TEST(SyntaxErrorTest, YamlErrorsCarryFileLineColumn) {
  EXPECT_EQ(ParseError("a: b: c\n"), "bad.yaml:1:5: invalid YAML: illegal map value");
  EXPECT_EQ(ParseError("a: 1\nb: *nope\n"), "bad.yaml:2:4: invalid YAML: the referenced anchor is not defined");
  EXPECT_THAT(ParseError("a: [1, 2\n"), MatchesRegex("bad\\.yaml:[0-9]+:[0-9]+: invalid YAML: .*"));
  EXPECT_THAT(ParseError("a: {b: 1\n"), MatchesRegex("bad\\.yaml:[0-9]+:[0-9]+: invalid YAML: .*"));
  EXPECT_EQ(ParseError("a: \"bad \\q escape\"\n"), "bad.yaml:1:11: invalid YAML: unknown escape character: q");
}

TEST(SyntaxErrorTest, TabsInIndentation) {
  EXPECT_EQ(ParseError("a: 1\n\tb: 2\n"), "bad.yaml:2:1: invalid YAML: illegal tab when looking for indentation");
  EXPECT_THAT(ParseError("a:\n\tb: 1\n"), StartsWith("bad.yaml:2:"));
}

TEST(StructureTest, DuplicateKeysAreRefused) {
  EXPECT_EQ(ParseError("a: 1\nb: 2\na: 3\n"), "bad.yaml:3:1: duplicate key \"a\" (first at line 1, column 1)");
  EXPECT_EQ(ParseError("x:\n  a: 1\n  a: 1\n"), "bad.yaml:3:3: duplicate key \"a\" (first at line 2, column 3)");
  EXPECT_EQ(ParseError("a: &m {b: 1}\nc:\n  <<: *m\n  <<: *m\n"),
            "bad.yaml:4:3: duplicate merge key <<; list the sources as <<: [*a, *b]");
}

TEST(StructureTest, KeysMustBeSingleValues) {
  EXPECT_THAT(ParseError("~: 1\n"), StartsWith("bad.yaml:1:1: a mapping key is empty or null"));
  EXPECT_THAT(ParseError("Null: 1\n"), StartsWith("bad.yaml:1:1: a mapping key is empty or null"));
  EXPECT_EQ(ParseError("? [a, b]\n: c\n"), "bad.yaml:1:3: a mapping key must be a single value, not a list");
  EXPECT_TRUE(ConfigDocument::Parse("\"Null\": 1\n", "ok.yaml").ok());
}

TEST(StructureTest, TopLevelMustBeAMapping) {
  EXPECT_EQ(ParseError("- a\n- b\n"), "bad.yaml:1:1: the top level must be a mapping of keys to values, not a list");
  EXPECT_EQ(ParseError("just text\n"),
            "bad.yaml:1:1: the top level must be a mapping of keys to values, not a single value");
}

TEST(StructureTest, EmptyDocumentsAreEmptyMappings) {
  for (const char* text : {"", "\n", "# only a comment\n", "---\n", "~\n", "---\n...\n"}) {
    absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse(text, "empty.yaml");
    ASSERT_TRUE(doc.ok()) << text << ": " << doc.status();
    EXPECT_TRUE(doc->Root().KeysInFile().empty());
    EXPECT_EQ(*doc->Root().GetIntOr("x", 4), 4);
  }
}

TEST(StructureTest, OneDocumentOnly) {
  EXPECT_EQ(ParseError("a: 1\n---\nb: 2\n"),
            "bad.yaml:2:1: a second YAML document starts here; a configuration file holds exactly one");
  // yaml-cpp reads this as two documents; so do we, and refuse it.
  EXPECT_THAT(ParseError("- a\nb: 1\n"), StartsWith("bad.yaml:2:1: a second YAML document"));
  // A stray comma makes yaml-cpp produce empty documents forever; we must still return.
  EXPECT_THAT(ParseError(","), StartsWith("bad.yaml:"));
  EXPECT_THAT(ParseError("a: 1\n,\n"), StartsWith("bad.yaml:"));
}

TEST(StructureTest, OnlyStandardTags) {
  EXPECT_EQ(ParseError("a: !vault secret\n"),
            "bad.yaml:1:4: unsupported tag \"!vault\" (only YAML's standard !! tags are allowed)");
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse("a: !!str 12\n", "ok.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(*doc->Root().GetString("a"), "12");
}

TEST(EncodingTest, ControlCharactersAndInvalidUtf8) {
  EXPECT_EQ(ParseError(std::string("a: 1\nb: x\0y\n", 11)), "bad.yaml:2:5: control character 0x00 is not allowed");
  EXPECT_EQ(ParseError("a: \x1b[31mred\n"), "bad.yaml:1:4: control character 0x1b is not allowed");
  EXPECT_EQ(ParseError("a: 1\nb: \xff\xfe\n"), "bad.yaml:2:4: the file is not valid UTF-8 text");
  EXPECT_EQ(ParseError("a: \xc0\xaf\n"), "bad.yaml:1:4: the file is not valid UTF-8 text");      // overlong '/'
  EXPECT_EQ(ParseError("a: \xed\xa0\x80\n"), "bad.yaml:1:4: the file is not valid UTF-8 text");  // surrogate
  EXPECT_EQ(ParseError("a: \xe2\x82\n"), "bad.yaml:1:4: the file is not valid UTF-8 text");      // truncated
}

TEST(EncodingTest, Utf8TextCrlfAndBomAreFine) {
  absl::StatusOr<ConfigDocument> doc =
      ConfigDocument::Parse("\xef\xbb\xbfname: Hôpital Saint-Éloi\r\nport: x\r\n", "ok.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(*doc->Root().GetString("name"), "Hôpital Saint-Éloi");
  EXPECT_THAT(std::string(doc->Root().GetInt("port").status().message()), StartsWith("ok.yaml:2:7: port:"));
}

TEST(LimitTest, DeepFlowNestingIsRefusedEarly) {
  // yaml-cpp opens more than one collection per "[" here, so the limit hits before column 65.
  EXPECT_THAT(ParseError(std::string(100000, '[')),
              MatchesRegex("bad\\.yaml:1:[0-9]+: nesting is deeper than 64 levels"));
  std::string maps;
  for (int i = 0; i < 5000; ++i) maps += "{a: ";
  EXPECT_THAT(ParseError(maps), HasSubstr("nesting is deeper than 64 levels"));
}

TEST(LimitTest, DeepBlockNestingIsRefused) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += std::string(static_cast<size_t>(i), ' ') + "a:\n";
  EXPECT_EQ(ParseError(text), "bad.yaml:65:65: nesting is deeper than 64 levels");
}

TEST(LimitTest, RecursiveAliasIsRefused) {
  EXPECT_EQ(ParseError("a: &x [1, *x]\n"),
            "bad.yaml:1:11: alias *x is used inside the node it refers to (a recursive alias)");
  EXPECT_EQ(ParseError("a: &x {b: *x}\n"),
            "bad.yaml:1:11: alias *x is used inside the node it refers to (a recursive alias)");
}

TEST(LimitTest, BillionLaughsSharesInsteadOfExpanding) {
  std::string text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 30; ++i) {
    text += absl::StrCat("l", i, ": &l", i, " [");
    for (int j = 0; j < 10; ++j) text += absl::StrCat(j ? ", " : "", "*l", i - 1);
    text += "]\n";
  }
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse(text, "lol.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status();  // 10^30 leaves if expanded; here 30 small lists
  // Item 0 of l29 is *l28, which points at l28's definition.
  EXPECT_EQ(std::string(doc->Root().GetStringList("l29").status().message()),
            "lol.yaml:29:6: l29[0]: expected a single value, got a list");
  EXPECT_FALSE(doc->CheckNoUnknownKeys().ok());
}

TEST(LimitTest, MergeBombIsRefused) {
  std::string text = "base: &b {";
  for (int i = 0; i < 2000; ++i) text += absl::StrCat(i ? ", " : "", "k", i, ": 1");
  text += "}\n";
  for (int i = 0; i < 100; ++i) text += absl::StrCat("m", i, ": {<<: *b}\n");
  EXPECT_THAT(ParseError(text), HasSubstr("merge keys (<<) copy more than 100000 entries"));
}

TEST(LimitTest, MergeValueMustBeMappings) {
  EXPECT_EQ(ParseError("a:\n  <<: 5\n"),
            "bad.yaml:2:7: a merge key (<<) takes a mapping or a list of mappings, not a single value");
  EXPECT_EQ(ParseError("a: &x {b: 1}\nc:\n  <<: [*x, 2]\n"),
            "bad.yaml:3:12: a merge key (<<) list may hold only mappings, not a single value");
  // A quoted "<<" is an ordinary key.
  absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse("\"<<\": 5\n", "ok.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(*doc->Root().GetInt("<<"), 5);
}

TEST(LimitTest, OversizedDocumentsAndNodeCounts) {
  EXPECT_THAT(ParseError(std::string(internal::kMaxDocumentBytes + 1, '#')),
              StartsWith("bad.yaml:1:1: document is 4194305 bytes, more than the 4194304"));
  std::string many = "a: [";
  for (size_t i = 0; i < internal::kMaxNodes; ++i) many += "1,";
  many += "1]\n";
  EXPECT_THAT(ParseError(many), HasSubstr("the document has more than 200000 values"));
}

// Token soup from a fixed seed: whatever yaml-cpp makes of it, Parse returns, and a document it accepts can
// be walked and checked.
TEST(FuzzTest, TokenSoupNeverCrashes) {
  const std::vector<std::string> tokens = {"[",        "]",           "{",
                                           "}",        ":",           ": ",
                                           "- ",       "? ",          "&a ",
                                           "*a",       "&b ",         "*b",
                                           "!!str ",   "!x ",         "'",
                                           "\"",       "\n",          " ",
                                           "  ",       "\t",          "#",
                                           "|",        ">",           "a",
                                           "1",        ",",           "---\n",
                                           "...\n",    "%YAML 1.2\n", "<<: ",
                                           "\\",       "~",           "null",
                                           "\r",       "key",         "\xc3\xa9",
                                           "\x01",     "\xff",        "%TAG ! tag:x,2000:\n",
                                           "!<tag:x>", "*",           "&"};
  std::mt19937 random(20261124);
  int accepted = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int length = std::uniform_int_distribution<int>(1, 60)(random);
    for (int i = 0; i < length; ++i) {
      text += tokens[std::uniform_int_distribution<size_t>(0, tokens.size() - 1)(random)];
    }
    absl::StatusOr<ConfigDocument> doc = ConfigDocument::Parse(text, "fuzz.yaml");
    if (!doc.ok()) {
      EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument) << text;
      EXPECT_THAT(std::string(doc.status().message()), MatchesRegex("fuzz\\.yaml:[0-9]+:[0-9]+: (.|\n)*")) << text;
      continue;
    }
    ++accepted;
    ConfigNode root = doc->Root();
    for (const std::string& key : root.KeysInFile()) {
      (void)root.GetString(key);
      (void)root.GetMappingOrEmpty(key);
      (void)root.GetMappingListOrEmpty(key);
      (void)root.GetStringListOr(key, {});
    }
    (void)doc->CheckNoUnknownKeys();
    (void)doc->FormatEffectiveValues();
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace careledger::config
