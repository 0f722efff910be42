#include "common/logging/field.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "common/logging/text_escaping.h"

namespace careledger::logging {
namespace {

// Renders each kind of value; strings go through AppendValue for quoting and escaping.
struct ValueAppender {
  std::string& out;

  void operator()(std::string_view value) const { internal::AppendValue(value, out); }
  void operator()(int64_t value) const { absl::StrAppend(&out, value); }
  void operator()(uint64_t value) const { absl::StrAppend(&out, value); }
  void operator()(bool value) const { out += value ? "true" : "false"; }
  void operator()(double value) const {
    // %.17g round-trips; most values print short ("0.5", "1e-06"). inf and nan print as such.
    char text[32];
    std::snprintf(text, sizeof(text), "%.17g", value);
    out += text;
  }
  void operator()(const absl::Status* value) const {
    const std::string text = value->ToString();
    internal::AppendValue(text, out);
  }
  void operator()(absl::Duration value) const { out += absl::FormatDuration(value); }
};

}  // namespace

void Field::AppendTo(std::string& out) const {
  out += ' ';
  internal::AppendName(key_, out);
  out += '=';
  std::visit(ValueAppender{out}, value_);
}

}  // namespace careledger::logging
