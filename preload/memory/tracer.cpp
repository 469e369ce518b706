#include "memory/tracer.hpp"

#define UNW_LOCAL_ONLY
#include <dlfcn.h>
#include <libunwind.h>
#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "core/clock.hpp"
#include "entry_word.hpp"
#include "memory/allocator.hpp"
#include "memory/blocks.hpp"
#include "memory/free_queue.hpp"
#include "memory/headers.hpp"
#include "memory/heap_sampler.hpp"
#include "memory/modules.hpp"
#include "memory/root_frames.hpp"
#include "memory/section.hpp"
#include "memory/sites.hpp"
#include "memory/stack_cache.hpp"
#include "memory/stack_room.hpp"
#include "memory/timeline.hpp"
#include "memory/unloaded_modules.hpp"
#include "memory/unwind_steps.hpp"
#include "memory/unwind_validation.hpp"
#include "settings.hpp"
#include "warning.hpp"

namespace prof::preload::memory {

namespace detail {
std::atomic<bool> g_active{false};
constinit thread_local bool tl_busy __attribute__((tls_model("initial-exec"))) = false;
constinit thread_local void* tl_recent __attribute__((tls_model("initial-exec"))) = nullptr;
}  // namespace detail

namespace {

constexpr int kDefaultDepth = 64;
// Frames of the shim and of libunwind at the top of every stack, dropped before the stack is stored (a bound
// with room to spare: the interposed function, the tracer's few, libunwind's).
constexpr int kOwnFrames = 10;

using detail::g_active;
// PROF_MEMORY_CHECK_CACHE=1 (for the tests): every stack the cache finds is unwound in full as well, and a
// difference is reported once on stderr. The full unwind's answer is the one recorded.
bool g_check_cache = false;
std::atomic<bool> g_cache_mismatch_reported{false};
int g_depth = kDefaultDepth;
std::uintptr_t g_skip_low[2] = {0, 0};
std::uintptr_t g_skip_high[2] = {0, 0};

using detail::tl_busy;
// The block this thread allocated last: freed before the next allocation, it was temporary.
thread_local void* tl_last __attribute__((tls_model("initial-exec"))) = nullptr;

modules::Module g_start_modules[modules::kMaxModules];

// The shim's own runtime blocks (tracer.hpp, RuntimePool): a handful at most, all made by the static
// libstdc++'s initializers. A slot is claimed by bumping the count and cleared (block null) when freed.
struct RuntimeBlock {
  std::atomic<void*> block{nullptr};
  std::uint64_t size = 0;
  std::uint32_t site = 0;
};
constexpr int kMaxRuntimeBlocks = 8;
RuntimeBlock g_runtime_blocks[kMaxRuntimeBlocks];
std::atomic<int> g_runtime_count{0};

// Called from the shim's own code (not the program's): the caller's return address is in the shim.
bool shim_called(std::uintptr_t return_address) noexcept {
  return return_address >= g_skip_low[0] && return_address < g_skip_high[0];
}

void remember_runtime_block(void* block, std::uint64_t size, std::uint32_t site) noexcept {
  int slot = g_runtime_count.load(std::memory_order_relaxed);
  if (slot >= kMaxRuntimeBlocks) return;  // more than a runtime pool: left among the leaks
  g_runtime_blocks[slot].size = size;
  g_runtime_blocks[slot].site = site;
  g_runtime_blocks[slot].block.store(block, std::memory_order_relaxed);
  g_runtime_count.store(slot + 1, std::memory_order_release);
}

void forget_runtime_block(void* block) noexcept {
  int count = g_runtime_count.load(std::memory_order_acquire);
  for (int i = 0; i < count; ++i) {
    // A plain load first: every free of a C++ program passes here (the pool is always there), and a locked
    // compare-exchange each time was a tenth of the tracer's time.
    if (g_runtime_blocks[i].block.load(std::memory_order_relaxed) != block) continue;
    void* expected = block;
    if (g_runtime_blocks[i].block.compare_exchange_strong(expected, nullptr, std::memory_order_relaxed))
      return;
  }
}

void forget_runtime_blocks() noexcept {
  for (RuntimeBlock& b : g_runtime_blocks)
    b.block.store(nullptr, std::memory_order_relaxed);
  g_runtime_count.store(0, std::memory_order_relaxed);
}

bool own_frame(std::uintptr_t address) noexcept {
  for (int i = 0; i < 2; ++i) {
    if (address >= g_skip_low[i] && address < g_skip_high[i]) return true;
  }
  return false;
}

// A bad PROF_DEPTH is said once on stderr with the depth used instead (settings.hpp).
int read_depth() noexcept {
  return static_cast<int>(settings::whole_number("PROF_DEPTH", sites::kMaxDepth, kDefaultDepth, "64"));
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

// The malloc every call binds to is the first definition in the global search order. When that is not the
// shim's (the executable defines its own, e.g. jemalloc linked statically), no allocation reaches the shim:
// tracing would report an empty heap, so the tracer steps aside and says so once.
bool shim_owns_malloc() noexcept {
  Dl_info bound{}, own{};
  void* first = dlsym(RTLD_DEFAULT, "malloc");
  if (!first || !dladdr(reinterpret_cast<void*>(&find_own_ranges), &own)) return true;
  // A non-PIE executable that takes malloc's address gives dlsym its PLT stub (an undefined symbol with a
  // value), which calls the shim: only a defined symbol named "malloc" at exactly that address is its own.
  void* entry = nullptr;
  if (!dladdr1(first, &bound, &entry, RTLD_DL_SYMENT) || !bound.dli_sname || bound.dli_saddr != first ||
      std::strcmp(bound.dli_sname, "malloc") != 0 || !entry ||
      static_cast<const ElfW(Sym)*>(entry)->st_shndx == SHN_UNDEF)
    return true;
  if (bound.dli_fbase == own.dli_fbase) return true;
  char line[512] = "prof: memory tracer off: malloc is defined by ";
  std::size_t length = std::strlen(line);
  const char* owner = bound.dli_fname && *bound.dli_fname ? bound.dli_fname : "the program";
  std::size_t room = sizeof line - length - 64;
  std::size_t owner_length = ::strnlen(owner, room);
  std::memcpy(line + length, owner, owner_length);
  length += owner_length;
  static const char kTail[] = ", ahead of the shim\n";
  std::memcpy(line + length, kTail, sizeof kTail - 1);
  length += sizeof kTail - 1;
  warning::write_line(line, length);  // not into a data file the program put on fd 2
  return false;
}

void fork_prepare() noexcept {
  free_queue::flush();  // the blocks the program freed, freed in the parent and the child alike
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
  headers::next_generation();  // the parent's blocks keep their layout, and count for no site of the child
  free_queue::reset_after_fork();
  sites::reset();
  timeline::start(core::clock::now_ticks());
  stack_cache::clear();
  unloaded_modules::reset_after_fork();
  forget_runtime_blocks();  // the child's books start empty: its pools are no block of its own
  heap_sampler::after_fork();
  tl_last = nullptr;
  tl_busy = false;
}

}  // namespace

namespace {

// The stack frame by frame (unwind_steps.hpp): the one unwind of a process that needs no speed, for which a
// thread that never needs a full unwind (the sampled mode's, a short program's) pays no trace cache.
int step_by_step(std::uintptr_t* frames, int room) noexcept {
  unw_context_t context;
  unw_cursor_t cursor;
  if (unw_getcontext(&context) != 0 || unw_init_local(&cursor, &context) != 0) return 0;
  return take_steps(cursor, frames, room);
}

}  // namespace

__attribute__((noinline)) void learn_main_tail() noexcept {
  if (!enter()) return;
  int saved = errno;
  std::uintptr_t frames[32];
  const int taken = step_by_step(frames, 32);
  // This function and the wrapper of main are the shim's; the frames under the last of them are the tail.
  int last_own = -1;
  for (int i = 0; i < taken; ++i)
    if (own_frame(frames[i])) last_own = i;
  // Whole (the unwind reached the outermost frame within its room) and short, or not learnt at all.
  if (last_own >= 0 && taken < 32)
    root_frames::set_tail(frames + last_own + 1, taken - last_own - 1, frames[last_own]);
  errno = saved;
  leave();
}

namespace {

// The tracer will not run in this process: the malloc family's entry goes straight to the real functions.
void pass_through() noexcept {
  if (allocator::real())
    entry_word::prof_entry_word.fetch_or(entry_word::kPassThrough, std::memory_order_release);
}

}  // namespace

void start() noexcept {
  if (g_active.load(std::memory_order_relaxed)) return;
  const char* enabled = ::secure_getenv("PROF_MEMORY");
  if (enabled && enabled[0] == '0' && enabled[1] == '\0') {
    pass_through();
    return;
  }
  tl_busy = true;
  if (!shim_owns_malloc()) {
    tl_busy = false;
    return;
  }
  g_depth = read_depth();
  root_frames::set_max_depth(g_depth);
  heap_sampler::configure();  // PROF_MEMORY_SAMPLE: the sampled mode
  headers::configure_tails(!heap_sampler::on());
  free_queue::configure(!heap_sampler::on());
  const char* check = ::secure_getenv("PROF_MEMORY_CHECK_CACHE");
  g_check_cache = check && check[0] == '1' && check[1] == '\0';
  // Before libunwind's first call, which would open its validation pipe among the program's descriptors.
  unwind_validation::install();
  // Per-thread unwind caches: no global lock (and no signal-mask syscalls) around each unwind.
  unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
  if (sites::init()) {
    blocks::init();
    stack_cache::init();
    find_own_ranges();
    timeline::start(core::clock::now_ticks());
    pthread_atfork(fork_prepare, fork_parent, fork_child);
    section::register_writers();
    g_active.store(true, std::memory_order_release);
    if (heap_sampler::on() && allocator::real())
      entry_word::prof_entry_word.fetch_or(entry_word::kSampled, std::memory_order_release);
  } else {
    pass_through();
  }
  tl_busy = false;
}

namespace {

// The full unwind: libunwind's walk of the whole stack, minus the shim's own frames at the top.
int unwind(std::uintptr_t* frames, int& first, bool& cut, bool& cacheable) noexcept {
  int limit = g_depth + kOwnFrames;
  int taken = unw_backtrace(reinterpret_cast<void**>(frames), limit);
  first = 0;
  while (first < taken && own_frame(frames[first]))
    ++first;
  int depth = taken - first;
  if (depth > g_depth) depth = g_depth;
  // Cut at PROF_DEPTH frames of the program's own: the same for every path through the shim. Cut earlier by
  // the unwinder's limit, the depth depends on how many shim frames there were: never cached.
  cut = depth == g_depth;
  cacheable = cut || taken < limit;
  // Cut at main's return address like the walk: the frames under it are every main-thread stack's.
  const int rooted = root_frames::cut_at_root(frames + first, depth);
  if (rooted < depth) {
    depth = rooted;
    cut = true;
    cacheable = true;
  }
  return depth;
}

bool same_as_site(std::uint32_t site, const std::uintptr_t* frames, int depth) noexcept {
  const sites::Site& s = sites::site(site);
  if (s.depth != static_cast<std::uint32_t>(depth)) return false;
  const std::uintptr_t* stored = sites::frames(s);
  for (int i = 0; i < depth; ++i)
    if (stored[i] != frames[i]) return false;
  return true;
}

void report_mismatch() noexcept {
  if (g_cache_mismatch_reported.exchange(true)) return;
  static const char kLine[] = "libprof: stack cache mismatch\n";
  warning::write_line(kLine, sizeof kLine - 1);
}

// PROF_MEMORY_CHECK_CACHE: the stack cache's own walk must give the full unwind's frames.
__attribute__((noinline)) bool unwind_agrees(const std::uintptr_t* walked, int walked_depth) noexcept {
  std::uintptr_t frames[sites::kMaxDepth + kOwnFrames];
  int first = 0;
  bool cut = false;
  bool cacheable = false;
  int depth = unwind(frames, first, cut, cacheable);
  if (depth != walked_depth) return false;
  for (int i = 0; i < depth; ++i)
    if (frames[first + i] != walked[i]) return false;
  return true;
}

// A stack not found in the cache: walked by the frame rules where they allow it, else unwound in full by
// libunwind, and remembered. Out of line, so that the frame array (2 KiB) is only on the stack while the walk
// runs.
// `header_block`: the block, when its books will be in its header alone and its site may be found later
// (sites::record_later); nullptr otherwise.
__attribute__((noinline)) std::uint32_t record_unwound(const stack_cache::Caller& caller, std::size_t size,
                                                       void* header_block) noexcept {
  std::uintptr_t frames[sites::kMaxDepth + kOwnFrames];
  stack_cache::Offsets where;
  int first = 0;
  bool cut = false;
  bool cacheable = true;
  // A caller inside the shim or libunwind: libunwind's walk drops those frames, the rule walk would not.
  int depth = own_frame(caller.return_address) ? -1 : stack_cache::walk(caller, g_depth, frames, cut, where);
  if (depth >= 0 && g_check_cache && !unwind_agrees(frames, depth)) {
    report_mismatch();
    depth = -1;
  }
  const bool walked = depth >= 0;
  if (!walked) depth = unwind(frames, first, cut, cacheable);
  if (!cut && cacheable && depth > 0 && !root_frames::root()) {
    // The first whole stack through main teaches where main returns (root_frames.hpp): this one is cut there
    // too, like every later one.
    const int rooted = root_frames::learn_root(frames + first, depth, own_frame);
    if (rooted < depth) {
      depth = rooted;
      cut = true;
    }
  }
  if (cacheable && !stack_cache::worth_remembering(caller)) {
    if (header_block && sites::record_later(header_block, frames + first, depth, size))
      return sites::kUnmatched;
    return sites::record_allocation(frames + first, depth, size);
  }
  std::uint32_t site = sites::record_allocation(frames + first, depth, size);
  if (site != sites::kNoSite && cacheable)
    stack_cache::remember(caller, site, frames + first, depth, cut, walked ? &where : nullptr);
  return site;
}

// PROF_MEMORY_CHECK_CACHE: the cache's answer must be the full unwind's.
__attribute__((noinline)) bool cache_agrees(std::uint32_t site) noexcept {
  std::uintptr_t frames[sites::kMaxDepth + kOwnFrames];
  int first = 0;
  bool cut = false;
  bool cacheable = false;
  int depth = unwind(frames, first, cut, cacheable);
  return same_as_site(site, frames + first, depth);
}

}  // namespace

std::uint32_t on_allocation(void* block, std::size_t block_size, const stack_cache::Caller& caller,
                            bool in_place) noexcept {
  if (!block) return sites::kNoSite;
  std::uintptr_t return_address = caller.return_address;
  const std::uintptr_t cfa = caller.cfa;
  // Sampled mode: the sites count what each sample stands for; the shim's own runtime pools stay out.
  if (heap_sampler::on() && shim_called(return_address)) return sites::kNoSite;
  const std::size_t size = heap_sampler::booked_bytes(block_size);
  std::uint32_t site = stack_cache::find(caller);
  if (site != sites::kNoSite && g_check_cache) {
    int saved = errno;
    if (stack_room::left(cfa) >= stack_room::kUnwind && !cache_agrees(site)) {
      report_mismatch();
      site = sites::kNoSite;
    }
    errno = saved;
  }
  if (site != sites::kNoSite) {
    sites::record_allocation_at(site, size);
  } else {
    int saved = errno;  // libunwind, the frame rules' first reads, a new site's tables
    // Too little stack left for the walk (a thread made with a small stack): the allocation is charged to its
    // caller alone, a one-frame stack, rather than overflow the program's stack.
    bool room = stack_room::left(cfa) >= stack_room::kUnwind;
    // A block whose site is found later keeps kUnmatched in its books: not in sampled mode (whose sampler
    // wants the site now), not for the shim's own blocks (runtime_pools), not in the side table.
    void* header_block = in_place && !heap_sampler::on() && !shim_called(return_address) ? block : nullptr;
    site = room ? record_unwound(caller, size, header_block)
                : sites::record_allocation(&return_address, 1, size);
    errno = saved;
    if (site == sites::kNoSite) return site;
  }
  if (shim_called(return_address)) remember_runtime_block(block, size, site);
  heap_sampler::on_sampled(site, block_size);
  tl_last = block;
  detail::tl_recent = block;
  timeline::maybe_sample();
  return site;
}

void on_free(void* block, std::uint64_t size, std::uint32_t site, bool from_realloc) noexcept {
  if (!block) return;
  bool last = block == tl_last && heap_sampler::nothing_since_sample();
  if (block == tl_last) tl_last = nullptr;
  if (site == sites::kNoSite) return;
  if (g_runtime_count.load(std::memory_order_relaxed) != 0) forget_runtime_block(block);
  sites::record_free(site, heap_sampler::booked_bytes(size), !from_realloc && last);
  heap_sampler::on_sample_freed(site, size, !from_realloc && last);
  timeline::maybe_sample();
}

void on_late_free(void* block, std::uint64_t size, std::uint32_t site) noexcept {
  if (site == sites::kNoSite) return;
  if (g_runtime_count.load(std::memory_order_relaxed) != 0) forget_runtime_block(block);
  sites::record_free(site, size, false);
  timeline::maybe_sample();
}

void on_realloc_failed(std::uint64_t size, std::uint32_t site) noexcept {
  if (site == sites::kNoSite) return;
  sites::restore_free(site, heap_sampler::booked_bytes(size));
  heap_sampler::on_sample_restored(site, size);
  timeline::maybe_sample();
}

RuntimePool runtime_pools(std::uint32_t site) noexcept {
  RuntimePool pool;
  int count = g_runtime_count.load(std::memory_order_acquire);
  for (int i = 0; i < count; ++i) {
    const RuntimeBlock& b = g_runtime_blocks[i];
    if (!b.block.load(std::memory_order_relaxed) || (site != kAllSites && b.site != site)) continue;
    ++pool.blocks;
    pool.bytes += b.size;
  }
  return pool;
}

}  // namespace prof::preload::memory
