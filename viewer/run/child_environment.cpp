#include "run/child_environment.hpp"

#include <cstring>
#include <initializer_list>
#include <string_view>

extern char** environ;

namespace prof::viewer::run {

namespace {

constexpr std::string_view kRootPidPrefix = "PROF_ROOT_PID=";

// Variables prof sets itself; a value inherited from an enclosing `prof run` must not leak through.
bool is_replaced(std::string_view entry) {
  for (std::string_view name : {"LD_PRELOAD=", "PROF_OUTPUT=", "PROF_FOLLOW=", "PROF_ROOT_PID="}) {
    if (entry.starts_with(name)) return true;
  }
  return false;
}

}  // namespace

ChildEnvironment::ChildEnvironment(const std::vector<std::filesystem::path>& preloads,
                                   const std::filesystem::path& output_dir, bool follow,
                                   std::optional<unsigned> sample_hz) {
  if (preloads.empty()) {
    // Untraced: the environment prof itself was given, unchanged.
    for (char** entry = environ; *entry != nullptr; ++entry)
      entries_.emplace_back(*entry);
    for (std::string& entry : entries_)
      pointers_.push_back(entry.data());
    pointers_.push_back(nullptr);
    return;
  }
  std::string preload = "LD_PRELOAD=";
  // Appended piece by piece: a literal + std::string makes g++ 12 at -O3 raise a false -Wrestrict.
  for (const std::filesystem::path& library : preloads) {
    if (&library != &preloads.front()) preload += ':';
    preload += library.string();
  }
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (text.starts_with("LD_PRELOAD=") && text.size() > std::strlen("LD_PRELOAD=")) {
      // Ours first, so the shim's interposers win over the other preloads.
      preload += ':';
      preload += text.substr(std::strlen("LD_PRELOAD="));
    }
    if (!is_replaced(text) && !(sample_hz && text.starts_with("PROF_SAMPLE_HZ=")))
      entries_.emplace_back(text);
  }
  entries_.push_back(std::move(preload));
  entries_.push_back("PROF_OUTPUT=" + output_dir.string());
  if (!follow) entries_.emplace_back("PROF_FOLLOW=0");
  if (sample_hz) entries_.push_back("PROF_SAMPLE_HZ=" + std::to_string(*sample_hz));

  for (std::string& entry : entries_)
    pointers_.push_back(entry.data());
  has_root_pid_ = !follow;
  if (has_root_pid_) {
    std::memcpy(root_pid_entry_.data(), kRootPidPrefix.data(), kRootPidPrefix.size());
    pointers_.push_back(root_pid_entry_.data());
  }
  pointers_.push_back(nullptr);
}

void ChildEnvironment::set_root_pid(long pid) noexcept {
  if (!has_root_pid_) return;
  char digits[24];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + pid % 10);
    pid /= 10;
  } while (pid > 0);
  char* out = root_pid_entry_.data() + kRootPidPrefix.size();
  while (count > 0)
    *out++ = digits[--count];
  *out = '\0';
}

}  // namespace prof::viewer::run
