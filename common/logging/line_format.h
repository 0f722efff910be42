// The text of one log line. Pure: no clock, no I/O; Logger supplies the time.
//
//   2026-11-24T13:45:00.123456Z INFO  orderer.raft leader elected channel=healthchannel term=4 node=orderer1
//
// Fields, separated by single spaces:
//   time     UTC, RFC 3339 with microseconds and a 'Z'
//   level    DEBUG, INFO, WARN or ERROR, padded to 5 characters
//   module   the logger's module name, bytes outside [A-Za-z0-9_.-] replaced by '_'
//   message  escaped (backslash escapes for control characters, '\\' and line separators) but not quoted;
//            write a constant message and put what varies in fields, so lines can be searched
//   fields   key=value, in the order given; see text_escaping.h for when values are quoted
// and a final '\n'. Nothing else in the line is ever a newline, whatever the inputs hold.
#ifndef CARELEDGER_COMMON_LOGGING_LINE_FORMAT_H_
#define CARELEDGER_COMMON_LOGGING_LINE_FORMAT_H_

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/logging/field.h"
#include "common/logging/level.h"

namespace careledger::logging {

// `context` is text that FormatFields produced earlier (a Logger's With() fields), inserted before `fields`.
std::string FormatLine(absl::Time time, Level level, std::string_view module, std::string_view message,
                       std::string_view context, absl::Span<const Field> fields);

// " k1=v1 k2=v2": the fields part of a line, each with its leading space.
std::string FormatFields(absl::Span<const Field> fields);

}  // namespace careledger::logging

#endif  // CARELEDGER_COMMON_LOGGING_LINE_FORMAT_H_
