// Test-only: reading one sample back from a /metrics text (Registry::RenderText's format).
#ifndef CARELEDGER_COMMON_METRICS_TESTING_SAMPLE_VALUE_H_
#define CARELEDGER_COMMON_METRICS_TESTING_SAMPLE_VALUE_H_

#include <string>
#include <string_view>

namespace careledger::metrics::testing {

// The value of the sample `name_and_labels` (`metric{label="v"}`, exactly as rendered) in `text`, or -1 if
// there is none.
inline double SampleValue(const std::string& text, const std::string& name_and_labels) {
  const std::string prefix = name_and_labels + " ";
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + at, end - at);
    if (line.substr(0, prefix.size()) == prefix) return std::stod(std::string(line.substr(prefix.size())));
    at = end + 1;
  }
  return -1;
}

}  // namespace careledger::metrics::testing

#endif  // CARELEDGER_COMMON_METRICS_TESTING_SAMPLE_VALUE_H_
