#include "core/clock.hpp"

#include "core/proc_file.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <string_view>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <x86intrin.h>
#define PROF_HAVE_TSC 1
#else
#define PROF_HAVE_TSC 0
#endif

#include "core/json_writer.hpp"

namespace prof::core::clock {

namespace {

std::atomic<bool> g_tsc{false};
std::uint64_t g_start_tsc = 0;
std::int64_t g_start_ns = 0;

std::int64_t monotonic_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

std::uint64_t read_tsc() noexcept {
#if PROF_HAVE_TSC
  return __rdtsc();
#else
  return 0;
#endif
}

bool has_word(std::string_view line, std::string_view word) noexcept {
  for (std::size_t at = line.find(word); at != std::string_view::npos; at = line.find(word, at + 1)) {
    bool starts = at == 0 || line[at - 1] == ' ' || line[at - 1] == '\t';
    std::size_t end = at + word.size();
    bool ends = end == line.size() || line[end] == ' ' || line[end] == '\t';
    if (starts && ends) return true;
  }
  return false;
}

bool machine_has_invariant_tsc() noexcept {
  // The first processor's flags line comes within the first few KiB; a stack buffer keeps this malloc-free.
  char text[16384];
  long used = read_file_into("/proc/cpuinfo", text, sizeof text);
  if (used < 0) return false;
  return cpuinfo_has_invariant_tsc(text, static_cast<unsigned long>(used));
}

}  // namespace

bool cpuid_has_invariant_tsc() noexcept {
#if PROF_HAVE_TSC
  // Two cpuid instructions, not the four __get_cpuid makes (it asks for the highest leaf before each one): in
  // a virtual machine each one exits to the hypervisor, about 7 us here, at every process start.
  if (static_cast<unsigned>(__get_cpuid_max(0x80000000u, nullptr)) < 0x80000007u) return false;
  unsigned a = 0, b = 0, c = 0, d = 0;
  __cpuid(0x80000007u, a, b, c, d);
  return (d >> 8) & 1u;
#else
  return false;
#endif
}

bool cpuinfo_has_invariant_tsc(const char* cpuinfo, unsigned long length) noexcept {
  std::string_view rest(cpuinfo, length);
  while (!rest.empty()) {
    std::size_t eol = rest.find('\n');
    // A line cut by the end of the buffer is not trusted.
    if (eol == std::string_view::npos) return false;
    std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol + 1);
    if (line.substr(0, 5) == "flags" &&
        (line.size() == 5 || line[5] == '\t' || line[5] == ' ' || line[5] == ':')) {
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) return false;
      line.remove_prefix(colon + 1);
      return has_word(line, "constant_tsc") && has_word(line, "nonstop_tsc");
    }
  }
  return false;
}

void init() noexcept {
  int saved = errno;
  // The CPU's own answer first: /proc/cpuinfo is formatted by the kernel for each read, CPU by CPU (tens of
  // microseconds here, milliseconds on many-core nodes with older kernels), at the start of every process.
  // The file still decides when the CPU says no: a hypervisor may hide the bit from a guest whose kernel was
  // told the TSC is stable (VMware, Hyper-V).
  bool tsc = PROF_HAVE_TSC && (cpuid_has_invariant_tsc() || machine_has_invariant_tsc());
  g_start_ns = monotonic_ns();
  g_start_tsc = read_tsc();
  g_tsc.store(tsc, std::memory_order_release);
  errno = saved;
}

void reset_baseline() noexcept {
  g_start_ns = monotonic_ns();
  g_start_tsc = read_tsc();
}

bool uses_tsc() noexcept {
  return g_tsc.load(std::memory_order_acquire);
}

std::uint64_t now_ticks() noexcept {
  return uses_tsc() ? read_tsc() : static_cast<std::uint64_t>(monotonic_ns());
}

double ticks_per_second() noexcept {
  if (!uses_tsc()) return 1e9;
  std::int64_t ns = monotonic_ns();
  std::uint64_t tsc = read_tsc();
  // The two clocks are read within ~50 ns of each other, so 200 us bound the frequency's error to ~2.5e-4;
  // only a process shorter than that waits, and every short process of a traced shell script pays it.
  while (ns - g_start_ns < 200000) {
    ns = monotonic_ns();
    tsc = read_tsc();
  }
  return static_cast<double>(tsc - g_start_tsc) * 1e9 / static_cast<double>(ns - g_start_ns);
}

void write_json(JsonWriter& out) noexcept {
  out.begin_object();
  if (uses_tsc()) {
    out.field("source", "tsc");
    out.field("tsc_hz", ticks_per_second());
  } else {
    out.field("source", "clock_gettime");
    out.field("clock", "CLOCK_MONOTONIC");
  }
  out.end_object();
}

}  // namespace prof::core::clock
