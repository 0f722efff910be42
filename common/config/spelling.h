// Internal to careledger_config: "did you mean ...?" for misspelled keys and environment variables.
#ifndef CARELEDGER_COMMON_CONFIG_SPELLING_H_
#define CARELEDGER_COMMON_CONFIG_SPELLING_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace careledger::config::internal {

// The candidate closest to `word` in edit distance (a swap of neighbouring letters is one edit), ignoring
// ASCII case, if it is close enough to be a
// plausible typo: at most 1 edit for candidates shorter than 6 characters, 2 below 12, else 3. A candidate
// equal to `word` except for case always qualifies. Ties go to the earliest candidate. Cost is bounded by
// skipping candidates whose length alone rules them out, so a megabyte-long hostile key costs nothing.
std::optional<std::string> ClosestSpelling(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace careledger::config::internal

#endif  // CARELEDGER_COMMON_CONFIG_SPELLING_H_
