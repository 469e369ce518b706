// The malloc family as the program sees it: each function calls the real allocator and tells the tracer.
// While the tracer is active, blocks of alignment up to 16 carry their books (size and site) beside them, an
// 8-byte tail in glibc's chunk or a 16-byte header, so a free needs no global table (headers.hpp); larger
// alignments carry them in a trailer at the end of the block, or in a small side table. malloc_usable_size
// answers for the program's part of the block; blocks the tracer never made (from before it started) are
// freed, resized and measured as they came. errno is what the real function left; the tracer's own work never
// shows in it (tracer.hpp). Sampled mode (heap_sampler.hpp): an allocation the sampler leaves out goes to the
// real function untouched.

#include <malloc.h>
#include <stdlib.h>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "entry_word.hpp"
#include "export.hpp"
#include "memory/allocator.hpp"
#include "memory/books.hpp"
#include "memory/free_queue.hpp"
#include "memory/headers.hpp"
#include "memory/heap_sampler.hpp"
#include "memory/sites.hpp"
#include "memory/spin_lock.hpp"
#include "memory/stack_cache.hpp"
#include "memory/tracer.hpp"
#include "process/on_demand.hpp"

namespace mem = prof::preload::memory;
namespace alloc = prof::preload::memory::allocator;
namespace headers = prof::preload::memory::headers;
namespace sampler = prof::preload::memory::heap_sampler;
namespace blocks = prof::preload::memory::blocks;
namespace entry_word = prof::preload::entry_word;

// malloc, calloc and realloc, whose stacks the tracer records most, read the caller's rbp at their first
// instruction: a stack whose frames compute their CFA from rbp (code built with frame pointers, or at -O0)
// then needs no walk out through the shim's own frames to find it (stack_cache.hpp), which took 45 % of the
// instructions the shim added to the containers built with frame pointers. On x86-64 the exported symbol is
// two instructions of assembly that pass rbp as one more argument and jump (not call) to the C++ body, so the
// body's return address and CFA are the caller's. Elsewhere the body is the exported function, and the stack
// cache walks out for rbp as before.
#if defined(__x86_64__)
// clang-format off
#define PROF_RBP_ENTRY(name, rbp_register)        \
  asm(".pushsection .text\n"                    \
      ".globl " #name "\n"                      \
      ".type " #name ", @function\n"            \
      ".p2align 4\n"                            \
      #name ":\n"                               \
      ".cfi_startproc\n"                        \
      "endbr64\n"                               \
      "movq %rbp, %" rbp_register "\n"          \
      "jmp prof_entered_" #name "\n"            \
      ".cfi_endproc\n"                          \
      ".size " #name ", .-" #name "\n"          \
      ".popsection\n");
// clang-format on
// malloc's own entry also takes the entry word's two common cases (entry_word.hpp) before the jump to its
// body: a shim that passes calls through, and the sampled mode counting down to its next sample. There they
// cost what a bare interposer's call does; behind the jump, the same checks cost 4 ms more on 2 million
// malloc/free pairs (alloc_heavy), with every load a hit.
// clang-format off
asm(".pushsection .text\n"
    ".globl malloc\n"
    ".type malloc, @function\n"
    ".p2align 4\n"
    "malloc:\n"
    ".cfi_startproc\n"
    "endbr64\n"
    "movl prof_entry_word(%rip), %eax\n"
    "cmpl $0x100, %eax\n"                                 // kPassThrough
    "je 2f\n"
    "cmpl $0x200, %eax\n"                                 // kSampled
    "jne 1f\n"
    "movq prof_sample_countdown@gottpoff(%rip), %rax\n"
    "movq %fs:(%rax), %rcx\n"                             // bytes left to the next sample
    "cmpq %rcx, %rdi\n"
    "jae 1f\n"
    "subq %rdi, %rcx\n"
    "movq %rcx, %fs:(%rax)\n"
    "2:\n"
    "jmp *prof_real_malloc(%rip)\n"
    "1:\n"
    "movq %rbp, %rsi\n"
    "jmp prof_entered_malloc\n"
    ".cfi_endproc\n"
    ".size malloc, .-malloc\n"
    ".popsection\n");
// clang-format on
static_assert(prof::preload::entry_word::kPassThrough == 0x100 &&
              prof::preload::entry_word::kSampled == 0x200);
static_assert(offsetof(prof::preload::memory::sample_math::Countdown, left) == 0);
PROF_RBP_ENTRY(calloc, "rdx")
PROF_RBP_ENTRY(realloc, "rdx")
#define PROF_ENTERED_WITH_RBP(name, ...)                                           \
  extern "C" __attribute__((visibility("hidden"), used)) auto prof_entered_##name( \
      __VA_ARGS__, std::uintptr_t caller_rbp) noexcept
constexpr bool kRbpAtEntry = true;
#else
#define PROF_ENTERED_WITH_RBP(name, ...) PROF_SHIM_EXPORT auto name(__VA_ARGS__) noexcept
constexpr bool kRbpAtEntry = false;
constexpr std::uintptr_t caller_rbp = 0;
#endif

namespace prof::preload::memory {

// (`take` erased a tail: written back first, for the site to be written into it.)
__attribute__((noinline)) headers::Books matched(void* block, const headers::Books& taken) noexcept {
  headers::put_back(block, taken);
  if (enter()) {
    sites::settle();
    leave();
  }
  return headers::take(block);
}

}  // namespace prof::preload::memory

namespace {

constexpr std::uint32_t kNoSite = 0xFFFFFFFFu;

// What the stack cache keys on: this interposed function's return address and CFA, read where the function
// itself runs (never in a helper, where inlining would change what they mean), and which function it is.
using Caller = prof::preload::memory::stack_cache::Caller;
#define PROF_CALLER(entry)                                               \
  Caller {                                                               \
    reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)),       \
        reinterpret_cast<std::uintptr_t>(__builtin_dwarf_cfa()), (entry) \
  }
// The same with the caller's rbp, where the function's entry read it (PROF_ENTERED_WITH_RBP).
#define PROF_CALLER_WITH_RBP(entry)                                                               \
  Caller {                                                                                        \
    reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)),                                \
        reinterpret_cast<std::uintptr_t>(__builtin_dwarf_cfa()), (entry), kRbpAtEntry, caller_rbp \
  }

// The site the block is charged to, or kNoSite when this thread is inside the tracer. (The tracer keeps
// errno as it was itself, around the few calls that may change it: tracer.hpp.)
inline __attribute__((always_inline)) std::uint32_t record(void* block, std::size_t size,
                                                           const Caller& caller,
                                                           bool in_place = false) noexcept {
  if (__builtin_expect(mem::free_queue::pending(), 0)) mem::free_queue::before_allocation(size);
  if (!mem::enter()) return kNoSite;
  std::uint32_t site = mem::on_allocation(block, size, caller, in_place);
  mem::leave();
  return site;
}

inline __attribute__((always_inline)) void forget(void* block, const headers::Books& books,
                                                  bool from_realloc) noexcept {
  if (books.kind == headers::Kind::kForeign || books.site == kNoSite || !mem::enter()) return;
  mem::on_free(block, books.size, books.site, from_realloc);
  mem::leave();
}

using prof::preload::memory::take_books;

// Fails like an allocator out of memory: the block goes back, the books are undone.
void* refuse(void* base, void* block, std::size_t size, std::uint32_t site,
             const alloc::Functions& real) noexcept {
  forget(block, headers::Books{size, site, headers::Kind::kHeader}, false);
  real.free(base);
  errno = ENOMEM;
  return nullptr;
}

// A block of alignment up to 16: `call(bytes)` gets size + 8 bytes from the real allocator for a tail
// (headers::tail_for), else size + 16 for a header.
template <typename Call>
void* with_books(const Caller& caller, const alloc::Functions& real, std::size_t size, Call call) noexcept {
  const bool tail = headers::tail_for(size);
  const std::size_t extra = tail ? headers::kTailBytes : headers::kBytes;
  if (size > SIZE_MAX - extra) {
    errno = ENOMEM;
    return nullptr;
  }
  void* base = call(size + extra);
  if (!base) return nullptr;
  void* block = tail ? base : static_cast<char*>(base) + headers::kBytes;
  std::uint32_t site = record(block, size, caller, tail || headers::header_only(block));
  if (tail)
    headers::adopt_tail(block, size, site);
  else if (!headers::adopt_header(block, size, site))
    return refuse(base, block, size, site, real);
  return block;
}

// A block the real allocator aligned (alignment above 16), from `call(bytes)`. Exact mode asks for 8 bytes
// more for a tail in glibc's chunk, or under another allocator 16 bytes more for a trailer (headers.hpp);
// sampled mode, pvalloc (whose caller may use every page it rounded up to), or a block that came back aligned
// to 16 only keep them in the side table.
template <typename Call>
void* booked_aligned(const Caller& caller, const alloc::Functions& real, std::size_t size, bool may_trail,
                     Call call) noexcept {
  if (may_trail && headers::tails() && size <= SIZE_MAX - headers::kTailBytes) {
    void* block = call(size + headers::kTailBytes);
    if (!block) return nullptr;
    headers::adopt_tail(block, size, record(block, size, caller, true));
    return block;
  }
  const bool trail =
      may_trail && !sampler::on() && headers::trailers_possible() && size <= SIZE_MAX - headers::kBytes;
  void* block = call(trail ? size + headers::kBytes : size);
  if (!block) return nullptr;
  if (trail && headers::can_trail(block)) {
    headers::adopt_trailer(block, size, record(block, size, caller));
    return block;
  }
  blocks::prefetch(block);  // its slot in the side table loads while the stack is found
  std::uint32_t site = record(block, size, caller);
  if (!headers::adopt_aligned(block, size, site)) {
    forget(block, headers::Books{size, site, headers::Kind::kAligned}, false);
    real.free(block);
    errno = ENOMEM;
    return nullptr;
  }
  return block;
}

bool small_power_of_two(std::size_t alignment) noexcept {
  return alignment <= 16 && (alignment & (alignment - 1)) == 0;
}

void* arena_realloc(void* block, std::size_t size) noexcept {
  void* moved = malloc(size);
  if (moved && block) {
    std::size_t old = alloc::arena_size(block);
    std::memcpy(moved, block, old < size ? old : size);
  }
  return moved;
}

// realloc of a block without a header or tail (foreign, or aligned): a new block with books (with_books), the
// contents copied over.
void* move_to_books(const Caller& caller, const alloc::Functions& real, void* block, std::size_t size,
                    const headers::Books& books) noexcept {
  // Without malloc_usable_size a foreign block's size is unknown: resized by the real allocator, untraced.
  if (!real.malloc_usable_size && books.kind == headers::Kind::kForeign) return real.realloc(block, size);
  std::size_t old = real.malloc_usable_size
                        ? headers::program_part(real.malloc_usable_size(block), books.kind)
                        : books.size;
  void* moved = with_books(caller, real, size, [&](std::size_t bytes) { return real.malloc(bytes); });
  if (!moved) {
    headers::put_back(block, books);
    return nullptr;
  }
  std::memcpy(moved, block, old < size ? old : size);
  forget(block, books, true);
  real.free(block);
  return moved;
}

// Sampled mode: a block of the tracer's whose new size the sampler leaves out moves to a plain block.
void* move_to_plain(const alloc::Functions& real, void* block, std::size_t size,
                    const headers::Books& books) noexcept {
  void* moved = real.malloc(size);
  if (!moved) {
    headers::put_back(block, books);
    return nullptr;
  }
  std::memcpy(moved, block, books.size < size ? books.size : size);
  forget(block, books, true);
  real.free(headers::base_of(block, books.kind));
  return moved;
}

// The real realloc failed: the block is live and unchanged, books included, as before the call.
void* realloc_failed(void* block, const headers::Books& books) noexcept {
  headers::put_back(block, books);
  if (mem::free_queue::pending()) mem::free_queue::before_allocation(books.size);  // live again
  if (books.site != kNoSite && mem::enter()) {
    mem::on_realloc_failed(books.size, books.site);
    mem::leave();
  }
  return nullptr;
}

// Sampled mode: a block with a header whose new size the sampler leaves out keeps its header, counted
// nowhere (kNoSite), and the real realloc resizes it. Moved to a plain block instead, it was copied, and a
// block of megabytes (an interpreter's growing list, which the sampler picks most) paid the page faults of a
// new mapping where glibc's realloc would have moved its pages (mremap): 3 000 faults more than plain in
// python3's JSON run of the suite (docs/PERFORMANCE.md). A later realloc the sampler picks resizes it in
// place as well, header and all.
void* resize_unsampled(const alloc::Functions& real, void* block, std::size_t size,
                       const headers::Books& books) noexcept {
  if (size > SIZE_MAX - headers::kBytes) {
    headers::put_back(block, books);
    errno = ENOMEM;
    return nullptr;
  }
  forget(block, books, true);
  void* base = real.realloc(headers::base_of(block, books.kind), size + headers::kBytes);
  if (!base) return realloc_failed(block, books);
  void* moved = static_cast<char*>(base) + headers::kBytes;
  if (!headers::adopt_header(moved, size, kNoSite)) return refuse(base, moved, size, kNoSite, real);
  return moved;
}

// The traced paths of malloc and free, out of line: the untraced ones (tracer off, or left out by the
// sampler) then need no saved registers.
// The caller comes as scalars, in registers: malloc's exact mode jumps here without a frame of its own.
__attribute__((noinline)) void* traced_malloc(std::size_t size, std::uintptr_t return_address,
                                              std::uintptr_t cfa, std::uintptr_t rbp) noexcept {
  const alloc::Functions& real = alloc::detail::g_real;
  return with_books(Caller{return_address, cfa, 1, kRbpAtEntry, rbp}, real, size,
                    [&](std::size_t bytes) { return real.malloc(bytes); });
}

__attribute__((noinline)) void traced_free(const alloc::Functions& real, void* block) noexcept {
  if (mem::free_queue::offer(block)) return;
  if (__builtin_expect(mem::free_queue::pending(), 0) && !mem::alone()) mem::free_queue::flush();
  headers::Books books = take_books(block);
  if (mem::alone() && books.site != kNoSite) {
    // No other thread can get the address back in between: the site's counters (a cache miss each in a
    // program of many sites) load while the real free runs.
    mem::sites::prefetch(books.site);
    real.free(headers::base_of(block, books.kind));
    forget(block, books, false);
    return;
  }
  forget(block, books, false);
  real.free(headers::base_of(block, books.kind));
}

// malloc and free whole, for every case but the common ones, which malloc and free below take without a call
// of their own: tracer off and blocks the sampler leaves out (a jump to the real function), exact mode (a
// jump to the traced path). They then need no stack frame (no register saved and restored), only loads,
// compares and a jump: with the tracer off a malloc/free pair costs 1.3 ns more than plain, 1.6 ns with the
// frame.
__attribute__((noinline)) void* malloc_in_full(std::size_t size, std::uintptr_t return_address,
                                               std::uintptr_t cfa, std::uintptr_t rbp) noexcept {
  prof::preload::on_demand::safe_point();  // PROF_SNAPSHOT_SIGNAL / _INTERVAL: one relaxed load when unset
  const alloc::Functions* real = alloc::real();
  if (!real) return alloc::arena_allocate(size);
  if (!mem::active() || sampler::skip(size)) return real->malloc(size);
  return traced_malloc(size, return_address, cfa, rbp);
}

__attribute__((noinline)) void free_in_full(void* block) noexcept {
  const alloc::Functions* real = alloc::real();
  if (!real) return;
  if (!mem::active() || (sampler::on() && !headers::maybe_ours(block))) return real->free(block);
  traced_free(*real, block);
}

}  // namespace

PROF_ENTERED_WITH_RBP(malloc, std::size_t size)->void* {
  // The caller as PROF_CALLER(1) sees it, read here: in malloc_in_full they would be malloc's own. Passed as
  // scalars, in registers: the common case below then needs no stack frame.
  const auto return_address = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  const auto cfa = reinterpret_cast<std::uintptr_t>(__builtin_dwarf_cfa());
#if !defined(__x86_64__)  // on x86-64 malloc's trampoline took these two cases
  const std::uint32_t entry = entry_word::load();
  if (entry == entry_word::kPassThrough || (entry == entry_word::kSampled && sampler::within_countdown(size)))
    return alloc::detail::g_real.malloc(size);
#endif
  if (!prof::preload::on_demand::due() && alloc::resolved()) {
    if (!mem::active() || sampler::skip_within_countdown(size)) return alloc::detail::g_real.malloc(size);
    if (!sampler::on()) return traced_malloc(size, return_address, cfa, caller_rbp);  // exact mode
  }
  return malloc_in_full(size, return_address, cfa, caller_rbp);
}

PROF_SHIM_EXPORT void free(void* block) noexcept {
  const std::uint32_t entry = entry_word::load();
  if (entry == entry_word::kPassThrough) {
    if (!alloc::in_arena(block)) alloc::detail::g_real.free(block);  // free(nullptr) is glibc's to ignore
    return;
  }
  if (!block || alloc::in_arena(block)) return;
  if (entry == entry_word::kSampled) {
    if (!headers::maybe_ours(block)) return alloc::detail::g_real.free(block);
    return free_in_full(block);
  }
  if (alloc::resolved()) {
    if (!mem::active() || (sampler::on() && !headers::maybe_ours(block)))
      return alloc::detail::g_real.free(block);
    if (!sampler::on()) return traced_free(alloc::detail::g_real, block);  // exact mode
  }
  free_in_full(block);
}

PROF_ENTERED_WITH_RBP(calloc, std::size_t count, std::size_t size)->void* {
  std::size_t bytes = 0;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  prof::preload::on_demand::safe_point();
  const alloc::Functions* real = alloc::real();
  // Arena memory is static and never reused, so it is already zero.
  if (!real) return alloc::arena_allocate(bytes);
  if (!mem::active() || sampler::skip(bytes)) return real->calloc(count, size);
  return with_books(PROF_CALLER_WITH_RBP(2), *real, bytes,
                    [&](std::size_t all) { return real->calloc(all, 1); });
}

PROF_ENTERED_WITH_RBP(realloc, void* block, std::size_t size)->void* {
  if (!block) return malloc(size);
  if (alloc::in_arena(block)) return arena_realloc(block, size);
  const alloc::Functions* real = alloc::real();
  if (!real) return nullptr;
  prof::preload::on_demand::safe_point();
  if (!mem::active()) return real->realloc(block, size);
  // The old block leaves the books before the real call: once realloc frees it, another thread may get it
  // back.
  headers::Books books = take_books(block);
  if (size == 0) {  // glibc: realloc(p, 0) frees p and returns null
    forget(block, books, true);
    real->free(headers::base_of(block, books.kind));
    return nullptr;
  }
  if (sampler::skip(size)) {
    if (books.kind == headers::Kind::kForeign) return real->realloc(block, size);
    if (books.kind == headers::Kind::kHeader) return resize_unsampled(*real, block, size, books);
    return move_to_plain(*real, block, size, books);
  }
  const bool tail = books.kind == headers::Kind::kTail;
  if (books.kind != headers::Kind::kHeader && !tail)
    return move_to_books(PROF_CALLER_WITH_RBP(3), *real, block, size, books);
  const std::size_t extra = tail ? headers::kTailBytes : headers::kBytes;
  if (size > SIZE_MAX - extra) {
    headers::put_back(block, books);
    errno = ENOMEM;
    return nullptr;
  }
  forget(block, books, true);
  void* base = real->realloc(headers::base_of(block, books.kind), size + extra);
  if (!base) return realloc_failed(block, books);
  void* moved = tail ? base : static_cast<char*>(base) + headers::kBytes;
  std::uint32_t site = record(moved, size, PROF_CALLER_WITH_RBP(3), tail || headers::header_only(moved));
  if (tail)
    headers::adopt_tail(moved, size, site);
  else if (!headers::adopt_header(moved, size, site))
    return refuse(base, moved, size, site, *real);
  return moved;
}

PROF_SHIM_EXPORT void* reallocarray(void* block, std::size_t count, std::size_t size) noexcept {
  std::size_t bytes = 0;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(block, bytes);
}

PROF_SHIM_EXPORT int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
  const alloc::Functions* real = alloc::real();
  if (!real) {
    void* block = alloc::arena_allocate(size, alignment);
    if (!block) return ENOMEM;
    *out = block;
    return 0;
  }
  if (!mem::active() || sampler::skip(size)) return real->posix_memalign(out, alignment, size);
  int saved = errno;
  void* block = nullptr;
  // 8 and 16 are what malloc gives anyway; anything else (or an invalid alignment) is the real function's.
  if (small_power_of_two(alignment) && alignment >= sizeof(void*)) {
    block = with_books(PROF_CALLER(5), *real, size, [&](std::size_t bytes) { return real->malloc(bytes); });
  } else {
    int rc = 0;
    block = booked_aligned(PROF_CALLER(5), *real, size, true, [&](std::size_t bytes) {
      void* got = nullptr;
      rc = real->posix_memalign(&got, alignment, bytes);
      return rc == 0 ? got : nullptr;
    });
    if (rc != 0) return rc;
  }
  if (!block) {
    errno = saved;  // posix_memalign reports by its result, not errno
    return ENOMEM;
  }
  *out = block;
  return 0;
}

PROF_SHIM_EXPORT void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
  const alloc::Functions* real = alloc::real();
  if (!real) return alloc::arena_allocate(size, alignment);
  if (!mem::active() || sampler::skip(size)) return real->aligned_alloc(alignment, size);
  if (alignment != 0 && small_power_of_two(alignment))
    return with_books(PROF_CALLER(6), *real, size, [&](std::size_t bytes) { return real->malloc(bytes); });
  return booked_aligned(PROF_CALLER(6), *real, size, true,
                        [&](std::size_t bytes) { return real->aligned_alloc(alignment, bytes); });
}

PROF_SHIM_EXPORT void* memalign(std::size_t alignment, std::size_t size) noexcept {
  const alloc::Functions* real = alloc::real();
  if (!real) return alloc::arena_allocate(size, alignment);
  if (!mem::active() || sampler::skip(size)) return real->memalign(alignment, size);
  if (small_power_of_two(alignment))
    return with_books(PROF_CALLER(7), *real, size, [&](std::size_t bytes) { return real->malloc(bytes); });
  return booked_aligned(PROF_CALLER(7), *real, size, true,
                        [&](std::size_t bytes) { return real->memalign(alignment, bytes); });
}

PROF_SHIM_EXPORT void* valloc(std::size_t size) noexcept {
  const alloc::Functions* real = alloc::real();
  if (!real) return alloc::arena_allocate(size, 4096);
  if (!mem::active() || sampler::skip(size)) return real->valloc(size);
  return booked_aligned(PROF_CALLER(8), *real, size, true,
                        [&](std::size_t bytes) { return real->valloc(bytes); });
}

PROF_SHIM_EXPORT void* pvalloc(std::size_t size) noexcept {
  const alloc::Functions* real = alloc::real();
  if (!real) return alloc::arena_allocate((size + 4095) & ~std::size_t{4095}, 4096);
  if (!mem::active() || sampler::skip(size)) return real->pvalloc(size);
  return booked_aligned(PROF_CALLER(9), *real, size, false,
                        [&](std::size_t bytes) { return real->pvalloc(bytes); });
}

PROF_SHIM_EXPORT std::size_t malloc_usable_size(void* block) noexcept {
  if (!block) return 0;
  if (alloc::in_arena(block)) return alloc::arena_size(block);
  const alloc::Functions* real = alloc::real();
  if (!real || !real->malloc_usable_size) return 0;
  if (!mem::active()) return real->malloc_usable_size(block);
  headers::Books books = headers::peek(block);
  return headers::program_part(real->malloc_usable_size(headers::base_of(block, books.kind)), books.kind);
}
