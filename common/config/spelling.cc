#include "common/config/spelling.h"

#include <algorithm>
#include <cstddef>
#include <vector>

#include "absl/strings/ascii.h"

namespace careledger::config::internal {
namespace {

size_t AllowedEdits(size_t candidate_length) {
  if (candidate_length < 6) return 1;
  if (candidate_length < 12) return 2;
  return 3;
}

bool SameLetter(char a, char b) {
  return absl::ascii_tolower(static_cast<unsigned char>(a)) == absl::ascii_tolower(static_cast<unsigned char>(b));
}

// Edit distance counting an insertion, a deletion, a substitution or a swap of two neighbouring letters as
// one edit ("optimal string alignment"), ignoring ASCII case. Swaps count once because "Prot" for "Port"
// is one slip of the fingers, not two.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> before_previous(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = SameLetter(a[i - 1], b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && SameLetter(a[i - 1], b[j - 2]) && SameLetter(a[i - 2], b[j - 1])) {
        current[j] = std::min(current[j], before_previous[j - 2] + 1);
      }
    }
    before_previous.swap(previous);
    previous.swap(current);
  }
  return previous[b.size()];
}

}  // namespace

std::optional<std::string> ClosestSpelling(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const size_t allowed = AllowedEdits(candidate.size());
    const size_t length_gap =
        word.size() > candidate.size() ? word.size() - candidate.size() : candidate.size() - word.size();
    if (length_gap > allowed) continue;
    const size_t distance = EditDistance(word, candidate);
    if (distance > allowed) continue;
    if (best == nullptr || distance < best_distance) {
      best = &candidate;
      best_distance = distance;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

}  // namespace careledger::config::internal
