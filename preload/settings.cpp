#include "settings.hpp"

#include <stdlib.h>

#include "core/text_buffer.hpp"
#include "warning.hpp"

namespace prof::preload::settings {

long whole_number(const char* name, long max, long fallback, const char* fallback_words) noexcept {
  const char* text = ::secure_getenv(name);
  if (!text || !*text) return fallback;
  char expected[96];
  core::TextBuffer words(expected, sizeof expected);
  words.text("a whole number from 1 to ").number(max);
  words.finish();
  long value = 0;
  bool too_big = false;
  for (const char* c = text; *c; ++c) {
    if (*c < '0' || *c > '9') {
      warning::bad_setting(name, text, expected, fallback_words);
      return fallback;
    }
    if (!too_big) value = value * 10 + (*c - '0');
    too_big = too_big || value > max;
  }
  if (too_big) {
    char used[32];
    core::TextBuffer max_words(used, sizeof used);
    max_words.number(max);
    max_words.finish();
    warning::bad_setting(name, text, expected, used);
    return max;
  }
  if (value == 0) {
    warning::bad_setting(name, text, expected, fallback_words);
    return fallback;
  }
  return value;
}

}  // namespace prof::preload::settings
