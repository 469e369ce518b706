#include "memory_tracer.hpp"

#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <pthread.h>
#include <stdlib.h>
#include <atomic>
#include <cstdint>

#include "core/clock.hpp"
#include "memory_blocks.hpp"
#include "memory_modules.hpp"
#include "memory_section.hpp"
#include "memory_sites.hpp"
#include "memory_timeline.hpp"

namespace prof::preload::memory {

namespace {

constexpr int kDefaultDepth = 64;
// Frames of the shim and of libunwind at the top of every stack, dropped before the stack is stored.
constexpr int kOwnFrames = 8;

std::atomic<bool> g_active{false};
int g_depth = kDefaultDepth;
std::uintptr_t g_skip_low[2] = {0, 0};
std::uintptr_t g_skip_high[2] = {0, 0};

thread_local bool tl_busy __attribute__((tls_model("initial-exec"))) = false;
// The block this thread allocated last: freed before the next allocation, it was temporary.
thread_local void* tl_last __attribute__((tls_model("initial-exec"))) = nullptr;

modules::Module g_start_modules[modules::kMaxModules];

bool own_frame(std::uintptr_t address) noexcept {
  for (int i = 0; i < 2; ++i) {
    if (address >= g_skip_low[i] && address < g_skip_high[i]) return true;
  }
  return false;
}

int read_depth() noexcept {
  const char* text = ::secure_getenv("PROF_DEPTH");
  if (!text || !*text) return kDefaultDepth;
  int depth = 0;
  for (const char* c = text; *c; ++c) {
    if (*c < '0' || *c > '9') return kDefaultDepth;
    depth = depth * 10 + (*c - '0');
    if (depth > sites::kMaxDepth) return sites::kMaxDepth;
  }
  return depth > 0 ? depth : kDefaultDepth;
}

void find_own_ranges() noexcept {
  int count = modules::collect(g_start_modules);
  std::uintptr_t probes[2] = {reinterpret_cast<std::uintptr_t>(&find_own_ranges),
                              reinterpret_cast<std::uintptr_t>(&unw_backtrace)};
  for (int i = 0; i < 2; ++i) {
    int index = modules::find(g_start_modules, count, probes[i]);
    if (index < 0) continue;
    g_skip_low[i] = g_start_modules[index].low;
    g_skip_high[i] = g_start_modules[index].high;
  }
}

void fork_prepare() noexcept {
  // Other prepare handlers may allocate while every lock is held: this thread must not trace them.
  tl_busy = true;
  sites::lock_all();
  blocks::lock_all();
  timeline::lock();
}

void fork_parent() noexcept {
  timeline::unlock();
  blocks::unlock_all();
  sites::unlock_all();
  tl_busy = false;
}

void fork_child() noexcept {
  timeline::unlock();
  blocks::unlock_all();
  sites::unlock_all();
  blocks::reset();
  sites::reset();
  timeline::start(core::clock::now_ticks());
  tl_last = nullptr;
  tl_busy = false;
}

}  // namespace

void start() noexcept {
  if (g_active.load(std::memory_order_relaxed)) return;
  const char* enabled = ::secure_getenv("PROF_MEMORY");
  if (enabled && enabled[0] == '0' && enabled[1] == '\0') return;
  tl_busy = true;
  g_depth = read_depth();
  if (sites::init()) {
    find_own_ranges();
    timeline::start(core::clock::now_ticks());
    pthread_atfork(fork_prepare, fork_parent, fork_child);
    section::register_writers();
    g_active.store(true, std::memory_order_release);
  }
  tl_busy = false;
}

bool active() noexcept {
  return g_active.load(std::memory_order_relaxed);
}

bool enter() noexcept {
  if (tl_busy || !g_active.load(std::memory_order_relaxed)) return false;
  tl_busy = true;
  return true;
}

void leave() noexcept {
  tl_busy = false;
}

void on_allocation(void* block, std::size_t size) noexcept {
  if (!block) return;
  std::uintptr_t frames[sites::kMaxDepth + kOwnFrames];
  int taken = unw_backtrace(reinterpret_cast<void**>(frames), g_depth + kOwnFrames);
  int first = 0;
  while (first < taken && own_frame(frames[first]))
    ++first;
  int depth = taken - first;
  if (depth > g_depth) depth = g_depth;
  std::uint32_t site = sites::record_allocation(frames + first, depth, size);
  if (site == sites::kNoSite) return;
  if (!blocks::insert(block, size, site)) {
    sites::record_free(site, size, false);
    return;
  }
  tl_last = block;
  timeline::maybe_sample(sites::live_bytes());
}

void on_free(void* block, bool from_realloc) noexcept {
  if (!block) return;
  blocks::Block found;
  if (!blocks::remove(block, found)) return;
  bool temporary = !from_realloc && block == tl_last;
  if (block == tl_last) tl_last = nullptr;
  sites::record_free(found.site, found.size, temporary);
  timeline::maybe_sample(sites::live_bytes());
}

}  // namespace prof::preload::memory
