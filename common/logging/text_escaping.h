// Internal to careledger_logging: how text is made safe for one log line.
//
// Whatever a message or a field holds (a patient record id, a peer's error string, a hostile chaincode name),
// the line it lands on must stay one line and stay parseable: no raw control characters, no Unicode line
// separators, no stray quotes ending a value early, no megabyte values.
#ifndef CARELEDGER_COMMON_LOGGING_TEXT_ESCAPING_H_
#define CARELEDGER_COMMON_LOGGING_TEXT_ESCAPING_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace careledger::logging::internal {

// Messages and values longer than this are cut and "...(<n> bytes)" appended, so one careless field (a whole
// certificate, a block) cannot flood the log, and ordinary lines stay within PIPE_BUF (4096 bytes), the size
// up to which POSIX makes a write(2) to a pipe atomic (see FileDescriptorSink).
inline constexpr size_t kMaxTextBytes = 4096;

// Appends `text` with backslash escapes for '\\', '\n', '\r', '\t', other control bytes (\xHH), bytes that
// are not UTF-8 (\xHH), and U+0085, U+2028, U+2029 (\uHHHH), which some tools treat as line breaks. With
// `escape_quotes`, '"' becomes \". Other UTF-8 is copied. Cut as described for kMaxTextBytes.
void AppendEscaped(std::string_view text, bool escape_quotes, std::string& out);

// Appends a field value: bare when it is non-empty printable ASCII without ' ', '"', '=' or '\\', else in
// double quotes, escaped as above.
void AppendValue(std::string_view value, std::string& out);

// Appends a field key or module name with every byte outside [A-Za-z0-9_.-] replaced by '_' ("_" if empty):
// they come from code, but a line must not depend on that.
void AppendName(std::string_view name, std::string& out);

// `text` quoted and escaped, for error messages about logging specs.
std::string Quote(std::string_view text);

}  // namespace careledger::logging::internal

#endif  // CARELEDGER_COMMON_LOGGING_TEXT_ESCAPING_H_
