#include "core/process_meta.hpp"

#include "core/proc_file.hpp"

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <string_view>

#include <prof/version.hpp>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/snapshot_name.hpp"
#include "core/text_buffer.hpp"

extern char** environ;

namespace prof::core::meta {

namespace {

constexpr int kMaxEnv = 32;

struct StartState {
  int argc = 0;
  char** argv = nullptr;
  char exe[PATH_MAX] = {};
  char program[kMaxProgramName + 1] = "unknown";
  long pid = 0;
  long ppid = 0;
  timespec start_real{};
  timespec start_mono{};
  long cpus_allowed = 0;
  char cpu_list[256] = {};  // the affinity mask as Linux prints CPU lists: "0-3,8"
  RankInfo rank;
  const char* env[kMaxEnv] = {};  // "NAME=value" entries of the start environment
  int env_count = 0;
};

StartState g_start;
std::atomic<long> g_threads_created{0};
std::atomic<long> g_runtime_threads_created{0};

const char* find_env(char** envp, std::string_view name) noexcept {
  if (!envp) return nullptr;
  for (char** e = envp; *e; ++e) {
    std::string_view entry(*e);
    if (entry.size() > name.size() && entry[name.size()] == '=' && entry.substr(0, name.size()) == name)
      return *e + name.size() + 1;
  }
  return nullptr;
}

// A non-negative decimal integer, or -1.
long parse_count(const char* text) noexcept {
  if (!text || !*text) return -1;
  long value = 0;
  for (const char* p = text; *p; ++p) {
    if (*p < '0' || *p > '9' || value > (LONG_MAX - 9) / 10) return -1;
    value = value * 10 + (*p - '0');
  }
  return value;
}

bool is_recorded_env(std::string_view entry) noexcept {
  std::size_t eq = entry.find('=');
  if (eq == std::string_view::npos) return false;
  std::string_view name = entry.substr(0, eq);
  return name == "OMP_NUM_THREADS" || name == "OPENBLAS_NUM_THREADS" || name == "MKL_NUM_THREADS" ||
         name.substr(0, 5) == "PROF_";
}

// The affinity mask: its size, and the list ("0-3,8") that tells processes bound to the same CPUs (an MPI
// launcher's binding, inherited by the workers a rank forks) from processes bound apart.
long read_allowed_cpus(char (&list)[sizeof StartState::cpu_list]) noexcept {
  list[0] = '\0';
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  TextBuffer out(list, sizeof list);
  bool first = true;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &set) || (cpu > 0 && CPU_ISSET(cpu - 1, &set))) continue;
    int last = cpu;
    while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &set))
      ++last;
    out.text(first ? "" : ",").number(cpu);
    if (last > cpu) out.text("-").number(last);
    first = false;
  }
  // A list too long to keep is left out rather than cut.
  if (out.finish() == 0) list[0] = '\0';
  return CPU_COUNT(&set);
}

void capture_times() noexcept {
  clock_gettime(CLOCK_REALTIME, &g_start.start_real);
  clock_gettime(CLOCK_MONOTONIC, &g_start.start_mono);
}

double seconds_of(const timeval& tv) noexcept {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
}

long long read_vm_hwm() noexcept {
  char text[8192];
  long used = read_file_into("/proc/self/status", text, sizeof text);
  if (used < 0) return -1;
  return parse_vm_hwm(text, static_cast<unsigned long>(used));
}

// VmHWM read ahead by read_proc_figures for the next write_json (the snapshot writer's lock orders them).
constexpr long long kNotRead = -2;
long long g_read_vm_hwm = kNotRead;

void write_signal_name(JsonWriter& out, int signal) noexcept {
  char name[32];
  TextBuffer text(name, sizeof name);
  if (const char* abbrev = sigabbrev_np(signal)) {
    text.text("SIG").text(abbrev);
  } else {
    text.text("signal ").number(signal);
  }
  out.value(text.finish() ? name : "unknown");
}

void write_exit(JsonWriter& out, const ExitStatus& exit) noexcept {
  out.begin_object();
  switch (exit.kind) {
    case ExitStatus::Kind::exited:
      out.field("status", "exited");
      out.field("code", exit.code & 0xFF);
      break;
    case ExitStatus::Kind::signaled:
      out.field("status", "signaled");
      out.field("signal", exit.signal);
      out.key("signal_name");
      write_signal_name(out, exit.signal);
      break;
    case ExitStatus::Kind::running:
      out.field("status", "running");
      break;
    case ExitStatus::Kind::unknown:  // libprof::prof at exit without the shim: the exit code is out of sight
      out.field("status", "unknown");
      break;
  }
  out.end_object();
}

}  // namespace

RankInfo detect_rank(char** envp) noexcept {
  struct Source {
    const char* rank;
    const char* size;
    const char* fallback_sizes[2];
  };
  // Open MPI's mpirun/mpiexec: OMPI_COMM_WORLD_*; PMIx (Open MPI 5's prterun, srun --mpi=pmix): PMIX_RANK,
  // whose size srun gives as SLURM_NTASKS; MPICH's Hydra (mpiexec.hydra, mpirun.mpich) and srun --mpi=pmi2:
  // PMI_RANK/PMI_SIZE. SLURM_PROCID alone is no MPI rank (srun sets it for any program): it counts only when
  // srun started the task for an MPI (SLURM_MPI_TYPE other than none), as with Slurm's own PMI-1 library.
  static constexpr Source kSources[] = {
      {"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", {nullptr, nullptr}},
      {"PMIX_RANK", "PMIX_SIZE", {"OMPI_COMM_WORLD_SIZE", "SLURM_NTASKS"}},
      {"PMI_RANK", "PMI_SIZE", {"SLURM_NTASKS", nullptr}},
      {"MV2_COMM_WORLD_RANK", "MV2_COMM_WORLD_SIZE", {nullptr, nullptr}},
      {"ALPS_APP_PE", nullptr, {nullptr, nullptr}},
      {"PALS_RANKID", nullptr, {nullptr, nullptr}},
      {"SLURM_PROCID", "SLURM_NTASKS", {nullptr, nullptr}},
  };
  const char* slurm_mpi = find_env(envp, "SLURM_MPI_TYPE");
  const bool slurm_mpi_task = slurm_mpi && *slurm_mpi && std::string_view(slurm_mpi) != "none";
  RankInfo info;
  for (const Source& s : kSources) {
    if (std::string_view(s.rank) == "SLURM_PROCID" && !slurm_mpi_task) continue;
    long rank = parse_count(find_env(envp, s.rank));
    if (rank < 0) continue;
    info.rank = rank;
    info.source = s.rank;
    long size = s.size ? parse_count(find_env(envp, s.size)) : -1;
    for (const char* fallback : s.fallback_sizes)
      if (size < 1 && fallback) size = parse_count(find_env(envp, fallback));
    info.size = size >= 1 ? size : -1;
    break;
  }
  return info;
}

void capture_start(int argc, char** argv, char** envp) noexcept {
  int saved = errno;
  if (!envp) envp = environ;
  g_start.argc = argv ? argc : 0;
  g_start.argv = argv;
  sanitize_program_name(g_start.argc > 0 ? argv[0] : nullptr, g_start.program);
  ssize_t n = ::readlink("/proc/self/exe", g_start.exe, sizeof g_start.exe - 1);
  g_start.exe[n > 0 ? n : 0] = '\0';
  if (g_start.argc == 0 && n > 0) sanitize_program_name(g_start.exe, g_start.program);
  g_start.pid = ::getpid();
  g_start.ppid = ::getppid();
  capture_times();
  g_start.cpus_allowed = read_allowed_cpus(g_start.cpu_list);
  g_start.rank = detect_rank(envp);
  g_start.env_count = 0;
  for (char** e = envp; e && *e && g_start.env_count < kMaxEnv; ++e) {
    if (is_recorded_env(*e)) g_start.env[g_start.env_count++] = *e;
  }
  g_threads_created.store(0, std::memory_order_relaxed);
  g_runtime_threads_created.store(0, std::memory_order_relaxed);
  errno = saved;
}

void reset_after_fork() noexcept {
  int saved = errno;
  g_start.pid = ::getpid();
  g_start.ppid = ::getppid();
  capture_times();
  g_threads_created.store(0, std::memory_order_relaxed);
  g_runtime_threads_created.store(0, std::memory_order_relaxed);
  errno = saved;
}

void note_thread_created(bool runtime_helper) noexcept {
  g_threads_created.fetch_add(1, std::memory_order_relaxed);
  if (runtime_helper) g_runtime_threads_created.fetch_add(1, std::memory_order_relaxed);
}

void set_rank(long rank, long size, const char* source) noexcept {
  g_start.rank = RankInfo{rank, size, source};
}

long pid() noexcept {
  return g_start.pid;
}
RankInfo rank() noexcept {
  return g_start.rank;
}
const char* program_file_name() noexcept {
  return g_start.program;
}

void format_utc_time(long long seconds, long microseconds, char* out) noexcept {
  long long days = seconds / 86400;
  long long rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days algorithm).
  days += 719468;
  long long era = (days >= 0 ? days : days - 146096) / 146097;
  long long doe = days - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  long long day = doy - (153 * mp + 2) / 5 + 1;
  long long month = mp < 10 ? mp + 3 : mp - 9;
  long long year = yoe + era * 400 + (month <= 2);
  TextBuffer t(out, 32);
  t.number(year, 4).text("-").number(month, 2).text("-").number(day, 2).text("T");
  t.number(rem / 3600, 2).text(":").number(rem / 60 % 60, 2).text(":").number(rem % 60, 2);
  t.text(".").number(microseconds, 6).text("Z");
  t.finish();
}

long long parse_vm_hwm(const char* status, unsigned long length) noexcept {
  std::string_view text(status, length);
  std::size_t at = text.find("VmHWM:");
  if (at == std::string_view::npos || (at > 0 && text[at - 1] != '\n')) return -1;
  at += 6;
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t'))
    ++at;
  long long kib = 0;
  bool any = false;
  for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, any = true)
    kib = kib * 10 + (text[at] - '0');
  return any ? kib * 1024 : -1;
}

void write_json(JsonWriter& out, const MetaRequest& request) noexcept {
  int saved = errno;
  out.begin_object();
  const char* argv0 = g_start.argc > 0 ? g_start.argv[0] : nullptr;
  const char* base = argv0 ? argv0 : g_start.exe;
  if (const char* slash = std::strrchr(base, '/'); slash && slash[1] != '\0') base = slash + 1;
  out.field("program", *base ? base : g_start.program);
  if (g_start.exe[0]) out.field("exe", g_start.exe);
  out.key("argv");
  out.begin_array();
  for (int i = 0; i < g_start.argc && g_start.argv[i]; ++i)
    out.value(g_start.argv[i]);
  out.end_array();
  out.field("pid", g_start.pid);
  out.field("ppid", g_start.ppid);
  utsname host;
  out.field("host", ::uname(&host) == 0 ? host.nodename : "");
  char when[32];
  format_utc_time(g_start.start_real.tv_sec, g_start.start_real.tv_nsec / 1000, when);
  out.field("start_time", when);
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  double wall = static_cast<double>(now.tv_sec - g_start.start_mono.tv_sec) +
                static_cast<double>(now.tv_nsec - g_start.start_mono.tv_nsec) * 1e-9;
  out.field("wall_seconds", wall > 0 ? wall : 0.0);
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  out.field("user_seconds", seconds_of(usage.ru_utime));
  out.field("system_seconds", seconds_of(usage.ru_stime));
  long long rss = g_read_vm_hwm != kNotRead ? g_read_vm_hwm : read_vm_hwm();
  g_read_vm_hwm = kNotRead;
  out.field("max_rss_bytes", rss >= 0 ? rss : static_cast<long long>(usage.ru_maxrss) * 1024);
  out.key("exit");
  write_exit(out, request.exit);
  out.field("libprof_version", PROF_VERSION_STRING);
  out.field("writer", request.writer ? request.writer : "library");
  out.key("clock");
  clock::write_json(out);
  if (g_start.rank.rank >= 0) {
    out.field("rank", g_start.rank.rank);
    if (g_start.rank.size >= 1) out.field("size", g_start.rank.size);
    if (g_start.rank.source) out.field("rank_source", g_start.rank.source);
  }
  out.field("threads_seen", 1 + g_threads_created.load(std::memory_order_relaxed));
  out.field("runtime_threads", g_runtime_threads_created.load(std::memory_order_relaxed));
  long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  out.field("cores_online", cores >= 1 ? cores : 1L);
  if (g_start.cpus_allowed >= 1) out.field("cpus_allowed", g_start.cpus_allowed);
  if (g_start.cpu_list[0]) out.field("cpu_list", g_start.cpu_list);
  out.key("env");
  out.begin_object();
  for (int i = 0; i < g_start.env_count; ++i) {
    // Split without substr(pos), whose range check would link libstdc++'s exception machinery into the
    // shim, and with it an emergency pool allocated on the program's heap at load (it shifted every later
    // block by 16 bytes: std::map walks 25 % slower). Recorded entries hold an '='.
    std::string_view value(g_start.env[i]);
    std::size_t eq = value.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = value.substr(0, eq);
    value.remove_prefix(eq + 1);
    out.field(name, value);
  }
  out.end_object();
  if (request.label) out.field("label", request.label);
  if (request.sequence > 0) out.field("sequence", request.sequence);
  out.end_object();
  errno = saved;
}

void read_proc_figures() noexcept {
  g_read_vm_hwm = read_vm_hwm();
}

}  // namespace prof::core::meta
