#include "common/config/message_text.h"

#include <cstdio>

namespace careledger::config::internal {
namespace {

void AppendEscaped(std::string_view text, bool escape_quotes, std::string& out) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '"':
      case '\\':
        if (escape_quotes) out += '\\';
        out += c;
        continue;
      default:
        break;
    }
    if (byte < 0x20 || byte == 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof(hex), "\\x%02x", byte);
      out += hex;
    } else {
      out += c;
    }
  }
}

}  // namespace

std::string QuoteForMessage(std::string_view text, size_t max_bytes) {
  const bool cut = text.size() > max_bytes;
  if (cut) {
    // Back off to a character boundary so the message stays valid UTF-8.
    size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;
    text = text.substr(0, end);
  }
  std::string out = "\"";
  AppendEscaped(text, /*escape_quotes=*/true, out);
  out += cut ? "...\"" : "\"";
  return out;
}

std::string EscapeControlBytes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendEscaped(text, /*escape_quotes=*/false, out);
  return out;
}

}  // namespace careledger::config::internal
