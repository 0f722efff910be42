#include "common/encoding/utf8.h"

namespace careledger {

size_t DecodeUtf8Sequence(std::string_view text, size_t i, uint32_t* code_point) {
  const auto lead = static_cast<unsigned char>(text[i]);
  size_t length;
  uint32_t cp;
  uint32_t smallest;  // anything below is an overlong encoding
  if ((lead & 0xe0) == 0xc0) {
    length = 2, cp = lead & 0x1f, smallest = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3, cp = lead & 0x0f, smallest = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4, cp = lead & 0x07, smallest = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (next & 0x3f);
  }
  if (cp < smallest || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  *code_point = cp;
  return length;
}

}  // namespace careledger
