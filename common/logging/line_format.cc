#include "common/logging/line_format.h"

#include <cstdio>

#include "common/logging/text_escaping.h"

namespace careledger::logging {
namespace {

std::string_view PaddedLevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO ";
    case Level::kWarn:
      return "WARN ";
    case Level::kError:
      return "ERROR";
  }
  return "?????";
}

void AppendTime(absl::Time time, std::string& out) {
  // By hand rather than absl::FormatTime: this runs for every line written.
  const absl::TimeZone::CivilInfo civil = absl::UTCTimeZone().At(time);
  char text[40];
  std::snprintf(text, sizeof(text), "%04lld-%02d-%02dT%02d:%02d:%02d.%06lldZ", static_cast<long long>(civil.cs.year()),
                civil.cs.month(), civil.cs.day(), civil.cs.hour(), civil.cs.minute(), civil.cs.second(),
                static_cast<long long>(absl::ToInt64Microseconds(civil.subsecond)));
  out += text;
}

}  // namespace

std::string FormatLine(absl::Time time, Level level, std::string_view module, std::string_view message,
                       std::string_view context, absl::Span<const Field> fields) {
  std::string line;
  line.reserve(128 + message.size() + context.size() + 32 * fields.size());
  AppendTime(time, line);
  line += ' ';
  line += PaddedLevelName(level);
  line += ' ';
  internal::AppendName(module, line);
  line += ' ';
  internal::AppendEscaped(message, /*escape_quotes=*/false, line);
  line += context;
  for (const Field& field : fields) field.AppendTo(line);
  line += '\n';
  return line;
}

std::string FormatFields(absl::Span<const Field> fields) {
  std::string text;
  for (const Field& field : fields) field.AppendTo(text);
  return text;
}

}  // namespace careledger::logging
