#include "core/snapshot_writer.hpp"

#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <climits>

#include <prof/version.hpp>

#include "core/atomic_file.hpp"
#include "core/json_writer.hpp"
#include "core/output_dir.hpp"
#include "core/snapshot_name.hpp"
#include "core/text_buffer.hpp"

namespace prof::core {

namespace {

constexpr int kMaxSections = 16;

struct Section {
  const char* key;
  SectionWriter write;
  void* context;
};

Section g_sections[kMaxSections];
std::atomic<int> g_section_count{0};
std::atomic_flag g_busy = ATOMIC_FLAG_INIT;  // one writer at a time owns the buffer below
std::atomic<bool> g_warned{false};
std::atomic<SectionForwarder> g_forward{nullptr};
std::atomic<WarningWriter> g_warning_writer{nullptr};
char g_buffer[64 * 1024];
char g_last_name[AtomicFile::kMaxName];

// Bounded, so a signal handler that interrupts a write on its own thread gives up instead of hanging.
bool lock() noexcept {
  for (int spins = 0; g_busy.test_and_set(std::memory_order_acquire); ++spins) {
    if (spins > 100000) return false;
    if (spins > 100) sched_yield();
  }
  return true;
}

void unlock() noexcept {
  g_busy.clear(std::memory_order_release);
}

void warn_once(int error) noexcept {
  if (g_warned.exchange(true)) return;
  char line[PATH_MAX + 256];
  TextBuffer text(line, sizeof line);
  const char* reason = strerrordesc_np(error);
  text.text("prof: warning: cannot write snapshot to ").text(output_dir::path()).text(": ");
  if (reason) {
    text.text(reason);
  } else {
    text.text("error ").number(error);
  }
  text.text("\n");
  std::size_t n = text.finish();
  if (n == 0) return;
  if (WarningWriter writer = g_warning_writer.load(std::memory_order_acquire)) {
    writer(line, n);
    return;
  }
  ssize_t ignored = ::write(STDERR_FILENO, line, n);
  (void)ignored;
}

// Returns 0 or the errno that stopped it.
// Descriptors: /proc files are read first (each closed at once), then the directory and the temporary file
// are the only two open, so a program that leaves the writer two free descriptors gets a whole snapshot.
int write_locked(const MetaRequest& request) noexcept {
  meta::read_proc_figures();
  int dir = output_dir::open_or_create();
  if (dir < 0) return errno;
  AtomicFile file;
  int fd = file.create(dir, meta::program_file_name(), meta::pid());
  if (fd < 0) {
    int error = errno;
    ::close(dir);
    return error;
  }
  JsonWriter out(fd, g_buffer, sizeof g_buffer);
  out.begin_object();
  out.field("format", "libprof-snapshot");
  out.field("version", kSnapshotFormatVersion);
  out.key("meta");
  meta::write_json(out, request);
  int sections = g_section_count.load(std::memory_order_acquire);
  for (int i = 0; i < sections; ++i) {
    out.key(g_sections[i].key);
    g_sections[i].write(out, g_sections[i].context);
  }
  out.end_object();
  int error = 0;
  if (!out.flush()) {
    error = out.error();
  } else {
    char stem[AtomicFile::kMaxName];
    if (format_snapshot_stem(stem, sizeof stem, meta::program_file_name(), meta::pid(), meta::rank().rank,
                             request.sequence) == 0) {
      error = ENAMETOOLONG;
    } else if (!file.commit(stem)) {
      error = errno;
    } else {
      TextBuffer(g_last_name, sizeof g_last_name).text(file.final_name()).finish();
    }
  }
  file.discard();
  ::close(dir);
  return error;
}

}  // namespace

bool register_section(const char* key, SectionWriter write, void* context) noexcept {
  if (SectionForwarder forward = g_forward.load(std::memory_order_acquire))
    return forward(key, write, context);
  if (!lock()) return false;
  if (SectionForwarder forward = g_forward.load(std::memory_order_relaxed)) {
    unlock();
    return forward(key, write, context);
  }
  int n = g_section_count.load(std::memory_order_relaxed);
  bool ok = n < kMaxSections;
  if (ok) {
    g_sections[n] = Section{key, write, context};
    g_section_count.store(n + 1, std::memory_order_release);
  }
  unlock();
  return ok;
}

bool write_snapshot(const MetaRequest& request) noexcept {
  int saved = errno;
  int error = EBUSY;
  if (lock()) {
    error = write_locked(request);
    unlock();
  }
  if (error != 0) warn_once(error);
  errno = saved;
  return error == 0;
}

void forward_sections_to(SectionForwarder forward) noexcept {
  if (!lock()) return;
  int n = g_section_count.load(std::memory_order_relaxed);
  for (int i = 0; i < n; ++i)
    forward(g_sections[i].key, g_sections[i].write, g_sections[i].context);
  g_section_count.store(0, std::memory_order_release);
  g_forward.store(forward, std::memory_order_release);
  unlock();
}

void set_warning_writer(WarningWriter writer) noexcept {
  g_warning_writer.store(writer, std::memory_order_release);
}

int registered_section_count() noexcept {
  return g_section_count.load(std::memory_order_acquire);
}

const char* last_snapshot_name() noexcept {
  return g_last_name;
}

}  // namespace prof::core
