#include "memory/unloaded_modules.hpp"

#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "memory/spin_lock.hpp"
#include "memory/stack_cache.hpp"

namespace prof::preload::memory::unloaded_modules {

namespace {

constexpr int kMaxUnloaded = 256;
constexpr std::size_t kPathBytes = 256 * 1024;  // in .bss: costs memory only once paths are written

SpinLock g_lock;

// Published entries are never changed again, so a reader needs only the count (acquire).
modules::Module g_unloaded[kMaxUnloaded];
std::atomic<int> g_count{0};
char g_paths[kPathBytes];
std::size_t g_paths_used = 0;

// The loaded modules just before the real dlclose, with their paths copied while they are still valid.
modules::Module g_before[modules::kMaxModules];
char g_before_paths[kPathBytes];
modules::Module g_after[modules::kMaxModules];

const char* copy_path(const char* path, char* pool, std::size_t& used) noexcept {
  std::size_t length = std::strlen(path) + 1;
  if (used + length > kPathBytes) return "";
  char* at = pool + used;
  std::memcpy(at, path, length);
  used += length;
  return at;
}

bool same_range(const modules::Module& a, const modules::Module& b) noexcept {
  return a.base == b.base && a.low == b.low && a.high == b.high;
}

bool already_remembered(const modules::Module& m, int count) noexcept {
  for (int i = 0; i < count; ++i) {
    const modules::Module& u = g_unloaded[i];
    if (same_range(u, m) && u.build_id_size == m.build_id_size &&
        std::memcmp(u.build_id, m.build_id, static_cast<std::size_t>(m.build_id_size)) == 0 &&
        std::strcmp(u.path, m.path) == 0)
      return true;
  }
  return false;
}

// Returns true when some module disappeared.
bool remember_vanished(int before, int after) noexcept {
  bool vanished = false;
  int count = g_count.load(std::memory_order_relaxed);
  for (int i = 0; i < before; ++i) {
    bool still_loaded = false;
    for (int j = 0; j < after && !still_loaded; ++j)
      still_loaded = same_range(g_before[i], g_after[j]);
    if (still_loaded) continue;
    vanished = true;
    if (count >= kMaxUnloaded || already_remembered(g_before[i], count)) continue;
    modules::Module& kept = g_unloaded[count];
    kept = g_before[i];
    kept.path = copy_path(g_before[i].path, g_paths, g_paths_used);
    kept.unloaded = true;
    g_count.store(++count, std::memory_order_release);
  }
  return vanished;
}

int close_and_diff(void* handle, CloseFn real_close) noexcept {
  SpinGuard guard(g_lock);
  int before = modules::collect(g_before);
  std::size_t used = 0;
  for (int i = 0; i < before; ++i)
    g_before[i].path = copy_path(g_before[i].path, g_before_paths, used);
  int rc = real_close(handle);
  int after = modules::collect(g_after);
  if (remember_vanished(before, after)) {
    stack_cache::invalidate_all();
    unw_flush_cache(unw_local_addr_space, 0, 0);
  }
  return rc;
}

}  // namespace

int close(void* handle, CloseFn real_close) noexcept {
  // A destructor run by the real dlclose may close another library: the outer call's diff covers it.
  static thread_local bool tl_closing __attribute__((tls_model("initial-exec"))) = false;
  if (tl_closing) return real_close(handle);
  tl_closing = true;
  int saved = errno;
  int rc = close_and_diff(handle, real_close);
  if (rc == 0) errno = saved;  // dlclose reports through dlerror; the bookkeeping must not show in errno
  tl_closing = false;
  return rc;
}

int append(modules::Module* out, int capacity) noexcept {
  int count = g_count.load(std::memory_order_acquire);
  if (count > capacity) count = capacity;
  for (int i = 0; i < count; ++i)
    out[i] = g_unloaded[i];
  return count;
}

void reset_after_fork() noexcept {
  g_lock.unlock();
}

}  // namespace prof::preload::memory::unloaded_modules
