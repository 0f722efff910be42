// Progress of a long audit, on stderr: a bar redrawn in place when the stream is a terminal (blocks done and
// total, rate), otherwise a plain line every `line_every` blocks so that logs stay readable. Time is only used
// for the rate and to redraw the bar at most ten times a second; it is injected for tests.
//
// Not thread-safe: one caller (the verifier's callback).
#ifndef CARELEDGER_NETWORK_AUDIT_PROGRESS_H_
#define CARELEDGER_NETWORK_AUDIT_PROGRESS_H_

#include <cstdint>
#include <functional>
#include <ostream>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace careledger::audit {

struct ProgressOptions {
  bool terminal = false;      // redraw a bar in place
  uint64_t line_every = 1000;  // otherwise, a line every this many blocks (and at the end); >= 1
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

class Progress {
 public:
  // `out` must outlive the object. `total` may be 0 (unknown): the bar then shows blocks and rate only.
  Progress(std::ostream& out, uint64_t total, ProgressOptions options);

  // `done` blocks are checked.
  void Update(uint64_t done);
  // Draws the final state (and ends the bar's line). Idempotent.
  void Finish();

 private:
  void Draw(uint64_t done);

  std::ostream& out_;
  uint64_t total_;
  ProgressOptions options_;
  absl::Time start_;
  absl::Time last_draw_ = absl::InfinitePast();
  uint64_t done_ = 0;
  uint64_t drawn_ = 0;
  bool finished_ = false;
};

}  // namespace careledger::audit

#endif  // CARELEDGER_NETWORK_AUDIT_PROGRESS_H_
