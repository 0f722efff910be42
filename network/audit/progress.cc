#include "network/audit/progress.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_format.h"

namespace careledger::audit {
namespace {

constexpr int kBarWidth = 30;
constexpr absl::Duration kRedraw = absl::Milliseconds(100);

}  // namespace

Progress::Progress(std::ostream& out, uint64_t total, ProgressOptions options)
    : out_(out), total_(total), options_(std::move(options)), start_(options_.clock()) {
  options_.line_every = std::max<uint64_t>(options_.line_every, 1);
}

void Progress::Update(uint64_t done) {
  done_ = done;
  if (finished_) return;
  if (options_.terminal) {
    const absl::Time now = options_.clock();
    if (now - last_draw_ < kRedraw && done != total_) return;
    last_draw_ = now;
    Draw(done);
  } else if (done % options_.line_every == 0) {
    Draw(done);
  }
}

void Progress::Finish() {
  if (finished_) return;
  if (options_.terminal || drawn_ != done_) Draw(done_);
  if (options_.terminal) out_ << "\n";
  out_.flush();
  finished_ = true;
}

void Progress::Draw(uint64_t done) {
  drawn_ = done;
  const double seconds = absl::ToDoubleSeconds(options_.clock() - start_);
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::string line;
  if (total_ > 0) {
    const uint64_t shown = std::min(done, total_);
    const int filled = static_cast<int>(shown * kBarWidth / total_);
    if (options_.terminal) {
      line = absl::StrFormat("[%s%s] ", std::string(static_cast<size_t>(filled), '#'),
                             std::string(static_cast<size_t>(kBarWidth - filled), '.'));
    }
    absl::StrAppendFormat(&line, "%d/%d blocks (%d%%), %.1f blocks/s", done, total_, shown * 100 / total_, rate);
  } else {
    line = absl::StrFormat("%d blocks, %.1f blocks/s", done, rate);
  }
  if (options_.terminal) {
    out_ << "\r" << line << "\x1b[K";  // clear what a longer previous line left
  } else {
    out_ << "verified " << line << "\n";
  }
  out_.flush();
}

}  // namespace careledger::audit
