#include "common/logging/text_escaping.h"

#include <cstdint>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "common/encoding/utf8.h"

namespace careledger::logging::internal {
namespace {

void AppendHexByte(unsigned char byte, std::string& out) {
  char hex[5];
  std::snprintf(hex, sizeof(hex), "\\x%02x", byte);
  out += hex;
}

bool IsBareValueByte(char c) { return c > ' ' && c < 0x7f && c != '"' && c != '=' && c != '\\'; }

bool IsNameByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

}  // namespace

void AppendEscaped(std::string_view text, bool escape_quotes, std::string& out) {
  const size_t full_size = text.size();
  if (full_size > kMaxTextBytes) text = text.substr(0, kMaxTextBytes);
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      switch (c) {
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '"':
          out += escape_quotes ? "\\\"" : "\"";
          break;
        default:
          if (byte < 0x20 || byte == 0x7f) {
            AppendHexByte(byte, out);
          } else {
            out += c;
          }
      }
      ++i;
      continue;
    }
    uint32_t code_point = 0;
    const size_t length = DecodeUtf8Sequence(text, i, &code_point);
    if (length == 0) {
      // Not UTF-8, or a character cut by the size limit: show the byte, keep the line valid text.
      AppendHexByte(byte, out);
      ++i;
    } else if ((code_point >= 0x80 && code_point <= 0x9f) || code_point == 0x2028 || code_point == 0x2029) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(code_point));
      out += escaped;
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  if (full_size > kMaxTextBytes) absl::StrAppend(&out, "...(", full_size, " bytes)");
}

void AppendValue(std::string_view value, std::string& out) {
  bool bare = !value.empty() && value.size() <= kMaxTextBytes;
  for (size_t i = 0; bare && i < value.size(); ++i) bare = IsBareValueByte(value[i]);
  if (bare) {
    out.append(value);
    return;
  }
  out += '"';
  AppendEscaped(value, /*escape_quotes=*/true, out);
  out += '"';
}

void AppendName(std::string_view name, std::string& out) {
  if (name.empty()) {
    out += '_';
    return;
  }
  for (const char c : name) out += IsNameByte(c) ? c : '_';
}

std::string Quote(std::string_view text) {
  std::string out = "\"";
  AppendEscaped(text.substr(0, 64), /*escape_quotes=*/true, out);
  out += text.size() > 64 ? "...\"" : "\"";
  return out;
}

}  // namespace careledger::logging::internal
