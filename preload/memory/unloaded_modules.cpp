#include "memory/unloaded_modules.hpp"

#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "memory/sites.hpp"
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

// The modules the current dlclose unmapped, with their index in g_unloaded (-1 when there was no room):
// what retag() looks addresses up in.
struct Vanished {
  std::uintptr_t low, high, base;
  int index;
};
Vanished g_vanished[modules::kMaxModules];
int g_vanished_count = 0;

constexpr int kMaxStores = 4;
std::atomic<StoreWalk> g_stores[kMaxStores];
std::atomic<int> g_store_count{0};

// The memory tracer's sites: their frames are written once when the site is created, then only read; a word
// rewritten here is at worst compared by a thread looking up a stack that ran in the closed module, which
// then gets a site of its own.
void walk_sites() noexcept {
  std::uintptr_t low = 0, high = 0;
  vanished_span(low, high);
  std::uint32_t count = sites::count();
  for (std::uint32_t i = 0; i < count; ++i) {
    const sites::Site& s = sites::site(i);
    auto* frames = const_cast<std::uintptr_t*>(sites::frames(s));
    for (std::uint32_t f = 0; f < s.depth; ++f) {
      std::uintptr_t address = __atomic_load_n(&frames[f], __ATOMIC_RELAXED);
      if (address - low >= high - low) continue;
      std::uintptr_t tagged = address;
      retag(tagged);
      if (tagged != address) __atomic_store_n(&frames[f], tagged, __ATOMIC_RELAXED);
    }
  }
}

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

// The index of the same module closed before, or -1.
int already_remembered(const modules::Module& m, int count) noexcept {
  for (int i = 0; i < count; ++i) {
    const modules::Module& u = g_unloaded[i];
    if (same_range(u, m) && u.build_id_size == m.build_id_size &&
        std::memcmp(u.build_id, m.build_id, static_cast<std::size_t>(m.build_id_size)) == 0 &&
        std::strcmp(u.path, m.path) == 0)
      return i;
  }
  return -1;
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
    int index = already_remembered(g_before[i], count);
    if (g_vanished_count < modules::kMaxModules)
      g_vanished[g_vanished_count++] = Vanished{g_before[i].low, g_before[i].high, g_before[i].base,
                                                index >= 0 || count >= kMaxUnloaded ? index : count};
    if (count >= kMaxUnloaded || index >= 0) continue;
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
  g_vanished_count = 0;
  if (remember_vanished(before, after)) {
    walk_sites();
    int stores = g_store_count.load(std::memory_order_acquire);
    for (int i = 0; i < stores; ++i)
      if (StoreWalk walk = g_stores[i].load(std::memory_order_acquire)) walk();
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

void retag(std::uintptr_t& address) noexcept {
  if (address & kTagBit) return;
  for (int i = 0; i < g_vanished_count; ++i) {
    const Vanished& v = g_vanished[i];
    if (address < v.low || address >= v.high) continue;
    std::uintptr_t offset = address - v.base;
    if (v.index < 0 || offset > kTagOffsetMask) return;  // no room to remember it: the address stays raw
    address = kTagBit | (static_cast<std::uintptr_t>(v.index) << kTagIndexShift) | offset;
    return;
  }
}

void vanished_span(std::uintptr_t& low, std::uintptr_t& high) noexcept {
  low = ~std::uintptr_t{0};
  high = 0;
  for (int i = 0; i < g_vanished_count; ++i) {
    if (g_vanished[i].low < low) low = g_vanished[i].low;
    if (g_vanished[i].high > high) high = g_vanished[i].high;
  }
  if (high <= low) low = high = 0;
}

void add_store(StoreWalk walk) noexcept {
  int at = g_store_count.load(std::memory_order_relaxed);
  if (at >= kMaxStores) return;
  g_stores[at].store(walk, std::memory_order_release);
  g_store_count.store(at + 1, std::memory_order_release);
}

bool untag(std::uintptr_t address, int& unloaded_index, std::uintptr_t& offset) noexcept {
  if (!(address & kTagBit)) return false;
  unloaded_index = static_cast<int>((address & ~kTagBit) >> kTagIndexShift);
  offset = address & kTagOffsetMask;
  return true;
}

void reset_after_fork() noexcept {
  g_lock.unlock();
}

}  // namespace prof::preload::memory::unloaded_modules
