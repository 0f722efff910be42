#include "network/audit/progress.h"

#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::audit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ProgressTest, WithoutATerminalWritesALineEveryNBlocksAndAtTheEnd) {
  std::ostringstream out;
  absl::Time now = absl::FromUnixSeconds(1000);
  ProgressOptions options;
  options.line_every = 2;
  options.clock = [&now] { return now; };
  Progress progress(out, 5, options);
  for (uint64_t done = 1; done <= 5; ++done) {
    now += absl::Seconds(1);
    progress.Update(done);
  }
  progress.Finish();
  progress.Finish();
  EXPECT_EQ(out.str(),
            "verified 2/5 blocks (40%), 1.0 blocks/s\n"
            "verified 4/5 blocks (80%), 1.0 blocks/s\n"
            "verified 5/5 blocks (100%), 1.0 blocks/s\n");
}

TEST(ProgressTest, OnATerminalRedrawsOneBarAtMostTenTimesASecond) {
  std::ostringstream out;
  absl::Time now = absl::FromUnixSeconds(1000);
  ProgressOptions options;
  options.terminal = true;
  options.clock = [&now] { return now; };
  Progress progress(out, 4, options);
  progress.Update(1);                  // drawn
  progress.Update(2);                  // too soon: skipped
  now += absl::Milliseconds(200);
  progress.Update(3);                  // drawn
  progress.Update(4);                  // the last: always drawn
  progress.Finish();
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 4);  // 1, 3, 4 and the final redraw
  EXPECT_THAT(text, HasSubstr("[##############################] 4/4 blocks (100%)"));
  EXPECT_THAT(text, Not(HasSubstr("2/4")));
  EXPECT_EQ(text.back(), '\n');
}

TEST(ProgressTest, UnknownTotalShowsBlocksAndRate) {
  std::ostringstream out;
  ProgressOptions options;
  options.line_every = 1;
  Progress progress(out, 0, options);
  progress.Update(3);
  EXPECT_THAT(out.str(), HasSubstr("verified 3 blocks, "));
}

}  // namespace
}  // namespace careledger::audit
