#include "core/snapshot_name.hpp"

#include <cstring>

#include "core/text_buffer.hpp"

namespace prof::core {

namespace {

bool allowed_in_name(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '+' || c == '-';
}

}  // namespace

void sanitize_program_name(const char* argv0, char* out) noexcept {
  const char* base = argv0 ? argv0 : "";
  if (const char* slash = std::strrchr(base, '/')) base = slash + 1;
  if (*base == '\0') base = "unknown";
  std::size_t n = 0;
  for (; base[n] != '\0' && n < kMaxProgramName; ++n)
    out[n] = allowed_in_name(base[n]) ? base[n] : '_';
  out[n] = '\0';
}

std::size_t format_snapshot_stem(char* out, std::size_t capacity, const char* program, long pid, long rank,
                                 int sequence) noexcept {
  TextBuffer a(out, capacity);
  a.text(program);
  if (rank >= 0) {
    a.text(".r");
    a.number(rank, 4);
  }
  a.text(".");
  a.number(pid);
  if (sequence > 0) {
    a.text(".");
    a.number(sequence);
  }
  return a.finish();
}

std::size_t format_snapshot_file_name(char* out, std::size_t capacity, const char* stem,
                                      int attempt) noexcept {
  TextBuffer a(out, capacity);
  a.text(stem);
  if (attempt > 1) {
    a.text("-");
    a.number(attempt);
  }
  a.text(kSnapshotSuffix);
  return a.finish();
}

}  // namespace prof::core
