#include "recorder.hpp"

#include <pthread.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <string_view>

#include "core/atomic_file.hpp"
#include "core/json_writer.hpp"
#include "core/output_dir.hpp"
#include "core/snapshot_writer.hpp"
#include "core/text_buffer.hpp"
#include "process/own_stack.hpp"
#include "process/secure_environment.hpp"

namespace prof::preload::recorder {

namespace {

constexpr int kNoCode = -1;

bool g_follow = true;
long g_root_pid = 0;  // with follow off: the only pid that writes
std::atomic<int> g_exit_code{kNoCode};
// The final snapshot of the process: not yet written, being written, written.
enum FinalSnapshot : int { kNotWritten, kWriting, kWritten };
std::atomic<int> g_final{kNotWritten};
// The file written before an exec, until the exec succeeds (then this image is gone) or fails (then the file
// is removed: the process goes on, and its final snapshot is the one file for the pid).
char g_exec_snapshot[core::AtomicFile::kMaxName];

// Every snapshot is written on the shim's own stack: the thread writing it may have a tiny one (a SIGTERM
// landing on it, an allocation's safe point in it, its exec), and the writer needs about 10 KiB.
struct Write {
  const core::MetaRequest* request;
  bool ok;
};

void run_write(void* context) {
  auto* job = static_cast<Write*>(context);
  job->ok = core::write_snapshot(*job->request);
}

// Signals wait while a snapshot is written: a SIGTERM handled on the writing thread would find the writer
// busy (the file half written, the writer's buffer taken), give up, and the process would end without its
// final snapshot; blocked, it is handled right after, and finds the writer free.
class SignalsHeld {
 public:
  SignalsHeld() noexcept {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous_);
  }
  ~SignalsHeld() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t previous_;
};

bool write_on_shim_stack(const core::MetaRequest& request) noexcept {
  SignalsHeld held;
  Write job{&request, false};
  own_stack::run(run_write, &job);
  return job.ok;
}

void finish(const core::ExitStatus& status) noexcept {
  if (!owns_process()) return;
  // Before the claim: a signal handled between the claim and the write would wait for this thread's own
  // write.
  SignalsHeld held;
  int expected = kNotWritten;
  if (!g_final.compare_exchange_strong(expected, kWriting)) {
    // Another thread is writing it: a SIGTERM that came meanwhile (a pool's terminate(), a batch system's
    // end of job) must not end the process before the file is whole. Waited for as long as the file grows (a
    // big snapshot on a network file system takes seconds), and 2 s more at most after it stops: a stuck
    // writer cannot hang the exit.
    std::uint64_t seen = core::flushed_bytes();
    for (int idle = 0; idle < 2000 && g_final.load(std::memory_order_acquire) == kWriting; ++idle) {
      struct timespec millisecond {
        0, 1000000
      };
      ::nanosleep(&millisecond, nullptr);
      if (std::uint64_t now = core::flushed_bytes(); now != seen) {
        seen = now;
        idle = 0;
      }
    }
    return;
  }
  // In this thread, signals wait until the snapshot is whole; their handlers then find it written.
  core::MetaRequest request;
  request.exit = status;
  request.writer = "preload";
  write_on_shim_stack(request);
  g_final.store(kWritten, std::memory_order_release);
}

}  // namespace

void init(char** envp) noexcept {
  const char* follow = secure_environment::lookup(envp, "PROF_FOLLOW");
  g_follow = !(follow && std::string_view(follow) == "0");
  g_root_pid = 0;
  if (const char* root = secure_environment::lookup(envp, "PROF_ROOT_PID")) {
    char* end = nullptr;
    long pid = std::strtol(root, &end, 10);
    if (end != root && *end == '\0' && pid > 0) g_root_pid = pid;
  }
}

void reset_after_fork() noexcept {
  g_exit_code.store(kNoCode, std::memory_order_relaxed);
  g_final.store(kNotWritten, std::memory_order_relaxed);
  g_exec_snapshot[0] = '\0';
}

bool owns_process() noexcept {
  long self = ::getpid();
  if (self != core::meta::pid()) return false;
  return g_follow || g_root_pid == 0 || self == g_root_pid;
}

void record_exit_code(int code) noexcept {
  if (::getpid() == core::meta::pid()) g_exit_code.store(code & 0xFF, std::memory_order_relaxed);
}

void finish_exited() noexcept {
  int code = g_exit_code.load(std::memory_order_relaxed);
  core::ExitStatus status;
  status.kind = core::ExitStatus::Kind::exited;
  status.code = code == kNoCode ? 0 : code;
  finish(status);
}

bool write_on_demand(const char* label, int sequence) noexcept {
  if (!owns_process()) return false;
  return write_on_shim_stack(core::MetaRequest::running("preload", label, sequence));
}

bool write_before_exec() noexcept {
  if (!owns_process() || g_final.load(std::memory_order_relaxed) != kNotWritten) return false;
  if (!write_on_shim_stack(core::MetaRequest::running("preload", "exec"))) return false;
  core::TextBuffer(g_exec_snapshot, sizeof g_exec_snapshot).text(core::last_snapshot_name()).finish();
  return true;
}

void exec_failed() noexcept {
  if (!owns_process() || g_exec_snapshot[0] == '\0') return;
  int saved = errno;
  int dir = core::output_dir::open_or_create();
  if (dir >= 0) {
    ::unlinkat(dir, g_exec_snapshot, 0);
    ::close(dir);
  }
  g_exec_snapshot[0] = '\0';
  errno = saved;
}

bool follows_children() noexcept {
  return g_follow;
}

void finish_signaled(int signal) noexcept {
  core::ExitStatus status;
  status.kind = core::ExitStatus::Kind::signaled;
  status.signal = signal;
  finish(status);
}

}  // namespace prof::preload::recorder
