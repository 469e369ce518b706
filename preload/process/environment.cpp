#include "process/environment.hpp"

#include <cstring>

extern char** environ;

namespace prof::preload::environment {

namespace {

constexpr char kPrefix[] = "LD_PRELOAD=";
constexpr std::size_t kPrefixLength = sizeof kPrefix - 1;
// The shim, and the MPI layer `prof run` preloads beside it: a process that is not followed loads neither
// (the layer would bring libprof, which writes a snapshot of its own at exit).
constexpr char kShimName[] = "libprof_preload.so";
constexpr char kMpiLayerName[] = "libprof_mpi.so";

bool named(const char* base, std::size_t length, const char* name, std::size_t name_length) noexcept {
  return length == name_length && std::memcmp(base, name, length) == 0;
}

bool is_separator(char c) noexcept {
  return c == ':' || c == ' ';
}

bool is_shim(const char* entry, std::size_t length) noexcept {
  const char* base = entry;
  for (std::size_t i = 0; i < length; ++i) {
    if (entry[i] == '/') base = entry + i + 1;
  }
  std::size_t base_length = length - static_cast<std::size_t>(base - entry);
  return named(base, base_length, kShimName, sizeof kShimName - 1) ||
         named(base, base_length, kMpiLayerName, sizeof kMpiLayerName - 1);
}

bool is_preload(const char* entry) noexcept {
  return entry && std::strncmp(entry, kPrefix, kPrefixLength) == 0;
}

bool mentions_shim(const char* value) noexcept {
  return std::strstr(value, kShimName) != nullptr || std::strstr(value, kMpiLayerName) != nullptr;
}

}  // namespace

bool remove_shim(char* value) noexcept {
  char* out = value;
  bool removed = false;
  const char* in = value;
  while (*in) {
    while (is_separator(*in))
      ++in;
    const char* begin = in;
    while (*in && !is_separator(*in))
      ++in;
    std::size_t length = static_cast<std::size_t>(in - begin);
    if (length == 0) break;
    if (is_shim(begin, length)) {
      removed = true;
      continue;
    }
    if (out != value) *out++ = ':';
    std::memmove(out, begin, length);
    out += length;
  }
  if (removed) *out = '\0';
  return removed;
}

void remove_shim_from_environ() noexcept {
  for (char** e = environ; e && *e; ++e) {
    if (is_preload(*e) && mentions_shim(*e)) remove_shim(*e + kPrefixLength);
  }
}

char* const* without_shim(char* const* envp, char** slots, std::size_t slot_count, char* text,
                          std::size_t text_size) noexcept {
  if (!envp) return envp;
  std::size_t count = 0;
  std::size_t found = slot_count;
  for (; envp[count]; ++count) {
    if (found == slot_count && is_preload(envp[count]) && mentions_shim(envp[count])) found = count;
  }
  if (found == slot_count || count + 1 > slot_count) return envp;
  std::size_t length = std::strlen(envp[found]);
  if (length + 1 > text_size) return envp;
  std::memcpy(text, envp[found], length + 1);
  remove_shim(text + kPrefixLength);
  for (std::size_t i = 0; i < count; ++i)
    slots[i] = envp[i];
  slots[found] = text;
  slots[count] = nullptr;
  return slots;
}

}  // namespace prof::preload::environment
