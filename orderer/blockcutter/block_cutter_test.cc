#include "orderer/blockcutter/block_cutter.h"

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::orderer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Envelope number `index` of `size` bytes. Envelopes of one test differ in their fill byte, so that a batch
// holding the wrong envelope of the right size fails the comparison.
std::string Envelope(size_t index, size_t size) { return std::string(size, static_cast<char>('a' + index % 26)); }

// ---------------------------------------------------------------------------------------------------------
// The rules of block_cutter.h, one table row each: a sequence of envelopes, the batches each Ordered call must
// return (as indices of the envelopes), and what a final Cut() must return.

struct Step {
  size_t size;
  std::vector<std::vector<size_t>> batches;  // expected batches, by envelope index
  bool pending;
};

struct RuleCase {
  std::string rule;  // the test's name: the rule it checks
  BatchSizeLimits limits;
  std::vector<Step> steps;
  std::vector<size_t> left_pending;  // what Cut() returns at the end
};

// Test names say which case this is; the default printer would dump the bytes.
void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.rule; }

const RuleCase kRuleCases[] = {
    {"EnvelopesWithinLimitsStayPending", {10, 100, 50}, {{10, {}, true}, {10, {}, true}}, {0, 1}},
    {"ReachingMaxMessageCountCutsTheBatch",
     {3, 100, 50},
     {{1, {}, true}, {1, {}, true}, {1, {{0, 1, 2}}, false}, {1, {}, true}},
     {3}},
    {"MaxMessageCountOfOneCutsEveryEnvelopeAlone",
     {1, 100, 50},
     {{5, {{0}}, false}, {5, {{1}}, false}, {50, {{2}}, false}},
     {}},
    {"OverflowingPreferredMaxBytesCutsThePendingBatchFirst",
     {10, 100, 50},
     {{20, {}, true}, {20, {}, true}, {20, {{0, 1}}, true}},
     {2}},
    {"FillingPreferredMaxBytesExactlyDoesNotCut",
     {10, 100, 50},
     {{25, {}, true}, {25, {}, true}, {1, {{0, 1}}, true}},
     {2}},
    {"EnvelopeLargerThanPreferredMaxBytesGoesAlone", {10, 100, 50}, {{51, {{0}}, false}}, {}},
    {"EnvelopeLargerThanPreferredMaxBytesCutsThePendingBatchThenGoesAlone",
     {10, 100, 50},
     {{10, {}, true}, {10, {}, true}, {60, {{0, 1}, {2}}, false}, {10, {}, true}},
     {3}},
    {"EnvelopeOfExactlyPreferredMaxBytesIsNotOversized",
     {10, 100, 50},
     {{10, {}, true}, {50, {{0}}, true}, {1, {{1}}, true}},
     {2}},
    {"EnvelopeOfExactlyAbsoluteMaxBytesIsAccepted", {10, 100, 50}, {{100, {{0}}, false}}, {}},
    {"OverflowCutLeavesTheEnvelopeToStartTheNextBatchCountedFromOne",
     {2, 100, 50},
     {{30, {}, true}, {30, {{0}}, true}, {10, {{1, 2}}, false}},
     {}},
    {"EmptyEnvelopesCountTowardsMaxMessageCount",
     {2, 100, 50},
     {{0, {}, true}, {0, {{0, 1}}, false}},
     {}},
};

class BlockCutterRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(BlockCutterRuleTest, CutsExactlyTheExpectedBatches) {
  const RuleCase& c = GetParam();
  absl::StatusOr<BlockCutter> cutter = BlockCutter::Create(c.limits);
  ASSERT_TRUE(cutter.ok()) << cutter.status();

  auto expected_batch = [](const std::vector<size_t>& indices, const std::vector<Step>& steps) {
    Batch batch;
    for (size_t i : indices) batch.push_back(Envelope(i, steps[i].size));
    return batch;
  };
  for (size_t i = 0; i < c.steps.size(); ++i) {
    SCOPED_TRACE("envelope " + std::to_string(i));
    absl::StatusOr<OrderedResult> result = cutter->Ordered(Envelope(i, c.steps[i].size));
    ASSERT_TRUE(result.ok()) << result.status();
    std::vector<Batch> expected;
    for (const auto& indices : c.steps[i].batches) expected.push_back(expected_batch(indices, c.steps));
    EXPECT_EQ(result->batches, expected);
    EXPECT_EQ(result->pending, c.steps[i].pending);
    EXPECT_EQ(cutter->pending_count() > 0, c.steps[i].pending);
  }
  EXPECT_EQ(cutter->Cut(), expected_batch(c.left_pending, c.steps));
}

INSTANTIATE_TEST_SUITE_P(Rules, BlockCutterRuleTest, ::testing::ValuesIn(kRuleCases),
                         [](const ::testing::TestParamInfo<RuleCase>& info) { return info.param.rule; });

// ---------------------------------------------------------------------------------------------------------
// Limits.

struct InvalidLimitsCase {
  std::string rule;
  BatchSizeLimits limits;
  std::string message;
};

void PrintTo(const InvalidLimitsCase& c, std::ostream* os) { *os << c.rule; }

const InvalidLimitsCase kInvalidLimits[] = {
    {"ZeroMaxMessageCountIsRejected", {0, 100, 50}, "max_message_count must be at least 1"},
    {"ZeroAbsoluteMaxBytesIsRejected", {10, 0, 0}, "absolute_max_bytes must be at least 1"},
    {"ZeroPreferredMaxBytesIsRejected", {10, 100, 0}, "preferred_max_bytes must be at least 1"},
    {"PreferredAboveAbsoluteMaxBytesIsRejected", {10, 100, 101},
     "preferred_max_bytes (101) is greater than absolute_max_bytes (100)"},
};

class BlockCutterLimitsTest : public ::testing::TestWithParam<InvalidLimitsCase> {};

TEST_P(BlockCutterLimitsTest, CreateAndSetLimitsRefuse) {
  const InvalidLimitsCase& c = GetParam();
  absl::Status status = ValidateBatchSizeLimits(c.limits);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr(c.message));
  EXPECT_EQ(BlockCutter::Create(c.limits).status(), status);

  absl::StatusOr<BlockCutter> cutter = BlockCutter::Create({10, 100, 50});
  ASSERT_TRUE(cutter.ok());
  EXPECT_EQ(cutter->SetLimits(c.limits), status);
  EXPECT_EQ(cutter->limits(), (BatchSizeLimits{10, 100, 50}));
}

INSTANTIATE_TEST_SUITE_P(Limits, BlockCutterLimitsTest, ::testing::ValuesIn(kInvalidLimits),
                         [](const ::testing::TestParamInfo<InvalidLimitsCase>& info) { return info.param.rule; });

TEST(BlockCutterTest, PreferredEqualToAbsoluteMaxBytesIsAllowed) {
  EXPECT_TRUE(ValidateBatchSizeLimits({1, 1, 1}).ok());
}

BlockCutter MakeCutter(const BatchSizeLimits& limits) {
  absl::StatusOr<BlockCutter> cutter = BlockCutter::Create(limits);
  EXPECT_TRUE(cutter.ok()) << cutter.status();
  return std::move(cutter).value();
}

TEST(BlockCutterTest, NewLimitsApplyFromTheNextEnvelopeAndKeepThePendingBatch) {
  BlockCutter cutter = MakeCutter({10, 100, 50});
  ASSERT_TRUE(cutter.Ordered(Envelope(0, 10)).ok());
  ASSERT_TRUE(cutter.Ordered(Envelope(1, 10)).ok());
  ASSERT_TRUE(cutter.SetLimits({2, 100, 50}).ok());
  EXPECT_EQ(cutter.pending_count(), 2u);
  // Three pending now, which reaches the new max_message_count of 2: all three go.
  absl::StatusOr<OrderedResult> result = cutter.Ordered(Envelope(2, 10));
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->batches, ElementsAre(Batch{Envelope(0, 10), Envelope(1, 10), Envelope(2, 10)}));
  EXPECT_FALSE(result->pending);
}

// ---------------------------------------------------------------------------------------------------------
// Envelopes the caller should have rejected.

TEST(BlockCutterTest, EnvelopeLargerThanAbsoluteMaxBytesIsRejectedAndChangesNothing) {
  BlockCutter cutter = MakeCutter({10, 100, 50});
  ASSERT_TRUE(cutter.Ordered(Envelope(0, 10)).ok());

  absl::StatusOr<OrderedResult> result = cutter.Ordered(Envelope(1, 101));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(result.status().message()),
              HasSubstr("envelope of 101 bytes exceeds the channel's absolute_max_bytes (100)"));
  EXPECT_EQ(cutter.pending_count(), 1u);
  EXPECT_EQ(cutter.pending_bytes(), 10u);
  EXPECT_EQ(cutter.Cut(), Batch{Envelope(0, 10)});
}

TEST(BlockCutterTest, ConfigEnvelopeLargerThanAbsoluteMaxBytesIsRejectedAndChangesNothing) {
  BlockCutter cutter = MakeCutter({10, 100, 50});
  ASSERT_TRUE(cutter.Ordered(Envelope(0, 10)).ok());

  EXPECT_EQ(cutter.OrderedConfig(Envelope(1, 101)).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(cutter.pending_count(), 1u);
  EXPECT_EQ(cutter.Cut(), Batch{Envelope(0, 10)});
}

// ---------------------------------------------------------------------------------------------------------
// Config envelopes, Cut and the counters.

TEST(BlockCutterTest, ConfigEnvelopeCutsThePendingBatchThenGoesAlone) {
  BlockCutter cutter = MakeCutter({10, 100, 50});
  ASSERT_TRUE(cutter.Ordered(Envelope(0, 10)).ok());
  ASSERT_TRUE(cutter.Ordered(Envelope(1, 10)).ok());

  absl::StatusOr<std::vector<Batch>> batches = cutter.OrderedConfig(Envelope(2, 5));
  ASSERT_TRUE(batches.ok()) << batches.status();
  EXPECT_THAT(*batches, ElementsAre(Batch{Envelope(0, 10), Envelope(1, 10)}, Batch{Envelope(2, 5)}));
  EXPECT_EQ(cutter.pending_count(), 0u);
  EXPECT_EQ(cutter.pending_bytes(), 0u);
}

TEST(BlockCutterTest, ConfigEnvelopeWithNothingPendingGoesAlone) {
  BlockCutter cutter = MakeCutter({10, 100, 50});
  absl::StatusOr<std::vector<Batch>> batches = cutter.OrderedConfig(Envelope(0, 80));
  ASSERT_TRUE(batches.ok());
  EXPECT_THAT(*batches, ElementsAre(Batch{Envelope(0, 80)}));
}

TEST(BlockCutterTest, CutReturnsThePendingBatchAndLeavesNothingPending) {
  BlockCutter cutter = MakeCutter({10, 100, 50});
  ASSERT_TRUE(cutter.Ordered(Envelope(0, 7)).ok());
  ASSERT_TRUE(cutter.Ordered(Envelope(1, 8)).ok());
  EXPECT_EQ(cutter.pending_count(), 2u);
  EXPECT_EQ(cutter.pending_bytes(), 15u);

  EXPECT_EQ(cutter.Cut(), (Batch{Envelope(0, 7), Envelope(1, 8)}));
  EXPECT_EQ(cutter.pending_count(), 0u);
  EXPECT_EQ(cutter.pending_bytes(), 0u);
  EXPECT_THAT(cutter.Cut(), IsEmpty());
}

TEST(BlockCutterTest, CutWithNothingPendingReturnsAnEmptyBatch) {
  BlockCutter cutter = MakeCutter({10, 100, 50});
  EXPECT_THAT(cutter.Cut(), IsEmpty());
}

TEST(BlockCutterTest, PendingBytesCountOnlyThePendingBatch) {
  BlockCutter cutter = MakeCutter({10, 100, 50});
  ASSERT_TRUE(cutter.Ordered(Envelope(0, 30)).ok());
  ASSERT_TRUE(cutter.Ordered(Envelope(1, 30)).ok());  // cuts envelope 0
  EXPECT_EQ(cutter.pending_bytes(), 30u);
  ASSERT_TRUE(cutter.Ordered(Envelope(2, 90)).ok());  // cuts envelope 1, then goes alone
  EXPECT_EQ(cutter.pending_bytes(), 0u);
}

// The buffer of a heap-allocated string survives every move; a copy would allocate a new one.
TEST(BlockCutterTest, EnvelopesAreMovedNeverCopied) {
  BlockCutter cutter = MakeCutter({2, 1000, 500});
  std::string pending = Envelope(0, 100), oversized = Envelope(1, 600), config = Envelope(2, 100),
              counted = Envelope(3, 100), second = Envelope(4, 100);
  const char* pending_data = pending.data();
  const char* oversized_data = oversized.data();
  const char* config_data = config.data();
  const char* counted_data = counted.data();
  const char* second_data = second.data();

  ASSERT_TRUE(cutter.Ordered(std::move(pending)).ok());
  absl::StatusOr<OrderedResult> result = cutter.Ordered(std::move(oversized));
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->batches.size(), 2u);
  EXPECT_EQ(result->batches[0][0].data(), pending_data);
  EXPECT_EQ(result->batches[1][0].data(), oversized_data);

  absl::StatusOr<std::vector<Batch>> config_batches = cutter.OrderedConfig(std::move(config));
  ASSERT_TRUE(config_batches.ok());
  EXPECT_EQ((*config_batches)[0][0].data(), config_data);

  ASSERT_TRUE(cutter.Ordered(std::move(counted)).ok());
  result = cutter.Ordered(std::move(second));  // reaches max_message_count
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->batches.size(), 1u);
  EXPECT_EQ(result->batches[0][0].data(), counted_data);
  EXPECT_EQ(result->batches[0][1].data(), second_data);
}

// ---------------------------------------------------------------------------------------------------------
// Property: for random limits and envelope sizes (fixed seed), with config envelopes and timeout cuts mixed
// in, batches preserve order, never exceed max_message_count, never exceed preferred_max_bytes unless they
// are a single larger envelope, are never empty, and concatenate back to the input.

uint64_t Bytes(const Batch& batch) {
  uint64_t total = 0;
  for (const std::string& envelope : batch) total += envelope.size();
  return total;
}

TEST(BlockCutterPropertyTest, BatchesPreserveOrderRespectLimitsAndConcatenateBackToTheInput) {
  std::mt19937_64 random(20240607);
  auto uniform = [&random](uint64_t lo, uint64_t hi) {
    return std::uniform_int_distribution<uint64_t>(lo, hi)(random);
  };

  for (int round = 0; round < 300; ++round) {
    BatchSizeLimits limits;
    limits.max_message_count = static_cast<uint32_t>(uniform(1, 20));
    limits.absolute_max_bytes = static_cast<uint32_t>(uniform(1, 4000));
    limits.preferred_max_bytes = static_cast<uint32_t>(uniform(1, limits.absolute_max_bytes));
    SCOPED_TRACE(::testing::Message() << "round " << round << " limits {" << limits.max_message_count << ", "
                                    << limits.absolute_max_bytes << ", " << limits.preferred_max_bytes << "}");
    BlockCutter cutter = MakeCutter(limits);

    std::vector<std::string> input;
    std::vector<bool> is_config;
    std::vector<Batch> output;
    std::vector<bool> output_is_config;
    const int envelopes = static_cast<int>(uniform(0, 200));
    for (int i = 0; i < envelopes; ++i) {
      // Mostly small envelopes, some just around preferred_max_bytes, some oversized up to the absolute limit.
      uint64_t size;
      const uint64_t kind = uniform(0, 9);
      if (kind < 6) {
        size = uniform(0, std::max<uint64_t>(1, limits.preferred_max_bytes / 4));
      } else if (kind < 9) {
        size = uniform(limits.preferred_max_bytes / 2, limits.preferred_max_bytes);
      } else {
        size = uniform(limits.preferred_max_bytes, limits.absolute_max_bytes);
      }
      // Unique content where the size allows: a reordering shows.
      std::string envelope = std::to_string(i) + "/";
      envelope.resize(size, '.');
      input.push_back(envelope);

      const uint64_t action = uniform(0, 39);
      if (action == 0) {  // a config transaction
        is_config.push_back(true);
        absl::StatusOr<std::vector<Batch>> batches = cutter.OrderedConfig(std::move(envelope));
        ASSERT_TRUE(batches.ok()) << batches.status();
        ASSERT_FALSE(batches->empty());
        for (size_t b = 0; b < batches->size(); ++b) {
          output_is_config.push_back(b + 1 == batches->size());
          output.push_back(std::move((*batches)[b]));
        }
        ASSERT_EQ(cutter.pending_count(), 0u);
      } else {
        is_config.push_back(false);
        absl::StatusOr<OrderedResult> result = cutter.Ordered(std::move(envelope));
        ASSERT_TRUE(result.ok()) << result.status();
        ASSERT_LE(result->batches.size(), 2u);
        ASSERT_EQ(result->pending, cutter.pending_count() > 0);
        for (Batch& batch : result->batches) {
          output_is_config.push_back(false);
          output.push_back(std::move(batch));
        }
      }
      ASSERT_LE(cutter.pending_bytes(), limits.preferred_max_bytes);
      ASSERT_LT(cutter.pending_count(), limits.max_message_count);
      if (action == 1) {  // the batch timeout fired
        Batch batch = cutter.Cut();
        if (!batch.empty()) {
          output_is_config.push_back(false);
          output.push_back(std::move(batch));
        }
      }
    }
    Batch rest = cutter.Cut();
    if (!rest.empty()) {
      output_is_config.push_back(false);
      output.push_back(std::move(rest));
    }

    std::vector<std::string> concatenated;
    for (size_t b = 0; b < output.size(); ++b) {
      const Batch& batch = output[b];
      ASSERT_FALSE(batch.empty()) << "batch " << b;
      ASSERT_LE(batch.size(), limits.max_message_count) << "batch " << b;
      if (batch.size() > 1) {
        ASSERT_LE(Bytes(batch), limits.preferred_max_bytes) << "batch " << b;
      }
      if (output_is_config[b]) {
        ASSERT_EQ(batch.size(), 1u) << "config batch " << b;
      }
      for (const std::string& envelope : batch) {
        ASSERT_EQ(is_config[concatenated.size()], output_is_config[b]) << "batch " << b;
        concatenated.push_back(envelope);
      }
    }
    ASSERT_EQ(concatenated, input);
  }
}

}  // namespace
}  // namespace careledger::orderer
