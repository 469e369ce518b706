// Writing a snapshot must not call malloc: it runs in fatal-signal handlers and in vfork-shared memory. This
// program replaces the allocator entry points with counting ones, writes snapshots, and fails if any counter
// moved. It also validates what it wrote. Exit status 0 means pass.

#include <dlfcn.h>
#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/output_dir.hpp"
#include "core/process_meta.hpp"
#include "core/snapshot_writer.hpp"

extern "C" void* __libc_malloc(size_t);
extern "C" void* __libc_calloc(size_t, size_t);
extern "C" void* __libc_realloc(void*, size_t);
extern "C" void* __libc_memalign(size_t, size_t);
extern "C" void __libc_free(void*);

namespace {
std::atomic<long> g_allocations{0};
std::atomic<bool> g_counting{false};
void count() {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

extern "C" {
void* malloc(size_t n) {
  count();
  return __libc_malloc(n);
}
void* calloc(size_t n, size_t size) {
  count();
  return __libc_calloc(n, size);
}
void* realloc(void* p, size_t n) {
  count();
  return __libc_realloc(p, n);
}
void* memalign(size_t alignment, size_t n) {
  count();
  return __libc_memalign(alignment, n);
}
void* aligned_alloc(size_t alignment, size_t n) {
  count();
  return __libc_memalign(alignment, n);
}
int posix_memalign(void** out, size_t alignment, size_t n) {
  count();
  *out = __libc_memalign(alignment, n);
  return *out ? 0 : ENOMEM;
}
void free(void* p) {
  __libc_free(p);
}
}

namespace {

void write_big_section(prof::core::JsonWriter& out, void*) {
  // More than the 64 KiB buffer, so flushing mid-document is covered too.
  out.begin_array();
  for (int i = 0; i < 20000; ++i) {
    out.value(i * 1.25);
    out.value("text with \"escapes\" and \xFF invalid UTF-8");
  }
  out.end_array();
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  char dir_template[] = "/tmp/prof-no-malloc-XXXXXX";
  if (!mkdtemp(dir_template)) return 2;
  prof::core::clock::init();
  prof::core::meta::capture_start(argc, argv, envp);
  prof::core::output_dir::resolve(dir_template);
  prof::core::register_section("big", write_big_section, nullptr);
  // Warm up what the dynamic loader resolves lazily on first call (it may allocate on its own behalf).
  prof::core::MetaRequest request;
  request.exit.kind = prof::core::ExitStatus::Kind::exited;
  request.writer = "preload";
  if (!prof::core::write_snapshot(request)) return 2;

  g_counting = true;
  bool ok = prof::core::write_snapshot(request);
  request.exit.kind = prof::core::ExitStatus::Kind::signaled;
  request.exit.signal = 11;
  ok = prof::core::write_snapshot(request) && ok;
  g_counting = false;

  long allocations = g_allocations.load();

  // The counter itself must work, or a zero above proves nothing.
  g_counting = true;
  void* volatile probe = malloc(16);
  g_counting = false;
  free(probe);
  bool counter_works = g_allocations.load() == allocations + 1;
  std::printf("%ld allocations while writing 2 snapshots (written=%d, counter works=%d)\n", allocations,
              ok ? 1 : 0, counter_works ? 1 : 0);
  std::string command = std::string(PROF_TEST_PYTHON) + " " + PROF_TEST_VALIDATOR + " " + dir_template;
  int valid = std::system(command.c_str());
  std::string cleanup = std::string("rm -rf ") + dir_template;
  if (std::system(cleanup.c_str()) != 0) return 2;
  return ok && counter_works && allocations == 0 && valid == 0 ? 0 : 1;
}
