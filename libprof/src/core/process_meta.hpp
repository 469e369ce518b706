#pragma once
// What a snapshot says about its process (docs/SNAPSHOT.md, `meta`). The start state is captured once, from
// an ELF constructor; everything else is read when the snapshot is written, without allocating.

#include <atomic>

namespace prof::core {

class JsonWriter;

struct ExitStatus {
  enum class Kind { exited, signaled, running, unknown };
  Kind kind = Kind::running;
  int code = 0;    // exited: 0..255
  int signal = 0;  // signaled
};

struct MetaRequest {
  ExitStatus exit;
  const char* writer = "library";  // "preload", "library" or "prof"
  const char* label = nullptr;     // on-demand snapshots only
  int sequence = 0;                // on-demand snapshots only, from 1

  // A snapshot taken while the process runs on: on demand (label, sequence) or before an exec.
  static MetaRequest running(const char* writer, const char* label, int sequence = 0) noexcept {
    MetaRequest request;
    request.exit.kind = ExitStatus::Kind::running;
    request.writer = writer;
    request.label = label;
    request.sequence = sequence;
    return request;
  }
};

struct RankInfo {
  long rank = -1;  // -1: not an MPI rank as far as the launcher says
  long size = -1;  // -1: unknown
  const char* source = nullptr;
};

namespace meta {

// Records argv, the environment subset, pid/ppid, start times, exe, affinity and the launcher's rank. `envp`
// may be null (then `environ`). The argv and envp arrays must live as long as the process (they do for the
// ones glibc passes to ELF constructors).
void capture_start(int argc, char** argv, char** envp) noexcept;

// In a fork child: the child is a new process with its own pid, parent, start and threads.
void reset_after_fork() noexcept;

// Counts a thread the process created (threads_seen = 1 + created). `runtime_helper`: started by an MPI
// runtime for itself (progress and event threads), which mostly sleep; runtime_threads counts them apart so
// an oversubscription check does not take them for the program's own parallelism.
void note_thread_created(bool runtime_helper) noexcept;

// MPI_Init knows better than the launcher's environment.
void set_rank(long rank, long size, const char* source) noexcept;

// The launcher's rank from an environment block (see docs/SNAPSHOT.md); exposed for tests.
RankInfo detect_rank(char** envp) noexcept;

long pid() noexcept;
RankInfo rank() noexcept;
// Sanitised base name of argv[0], as in the file name.
const char* program_file_name() noexcept;

// Writes the whole "meta" object (value only; the caller writes the key).
void write_json(JsonWriter& out, const MetaRequest& request) noexcept;
// Reads what the next write_json takes from /proc (VmHWM) now, one file opened and closed at once: the
// snapshot writer calls it before it opens the directory and the temporary file, so a program near
// RLIMIT_NOFILE still gets its figures (write_json reads them itself when this was not called).
void read_proc_figures() noexcept;

// "2026-11-24T21:58:06.123456Z" into `out` (at least 28 bytes); exposed for tests.
void format_utc_time(long long seconds, long microseconds, char* out) noexcept;

// Peak RSS in bytes from a /proc/self/status text (VmHWM), or -1; exposed for tests.
long long parse_vm_hwm(const char* status, unsigned long length) noexcept;

}  // namespace meta
}  // namespace prof::core
