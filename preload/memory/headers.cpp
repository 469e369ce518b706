#include "memory/headers.hpp"

#include <atomic>
#include <cstdlib>

#include "memory/allocator.hpp"
#include "memory/blocks.hpp"

// glibc's own names for its allocator's entry points: the real functions are glibc's when they are these.
// Weak: another C library need not define them.
extern "C" {
void* __libc_malloc(std::size_t) __attribute__((weak));
void __libc_free(void*) __attribute__((weak));
void* __libc_calloc(std::size_t, std::size_t) __attribute__((weak));
void* __libc_realloc(void*, std::size_t) __attribute__((weak));
}

namespace prof::preload::memory::headers {

namespace {

constexpr std::uint32_t kNoSite = 0xFFFFFFFFu;
constexpr int kSizeBits = 40;  // blocks up to 1 TiB in the header; the site index takes the other 24 bits
constexpr std::uint64_t kSizeMask = (std::uint64_t{1} << kSizeBits) - 1;
constexpr std::uint32_t kSiteMask = 0xFFFFFF;
constexpr std::uint64_t kGenerationMask = 0xFFFF;

struct Header {
  std::uint64_t size_and_site;
  std::uint64_t tag;  // high 48 bits: from the block's address; low 16: the fork generation
};
static_assert(sizeof(Header) == kBytes);

std::uint64_t g_generation = 0;

std::uint64_t mix(const void* block) noexcept {
  return detail::tag_of(block);
}

Header* header_of(void* block) noexcept {
  return reinterpret_cast<Header*>(static_cast<char*>(block) - kBytes);
}

// The 16 bytes below a block are only read when they are on the block's own page: below a page-aligned
// address (the start of some mapping) may be nothing.
bool header_readable(const void* block) noexcept {
  return (reinterpret_cast<std::uintptr_t>(block) & 4095) >= kBytes;
}

// Inlined into its callers: a call that fills `books` through memory left take() to read it back with one
// wide load over narrower stores, a store-forwarding stall on every free.
__attribute__((always_inline)) inline bool read_books(const Header* h, std::uint64_t tag_wanted, Kind kind,
                                                      Books& books) noexcept {
  std::uint64_t tag = h->tag;
  if ((tag & ~kGenerationMask) != tag_wanted) return false;
  auto site = static_cast<std::uint32_t>(h->size_and_site >> kSizeBits);
  books.kind = kind;
  books.size = h->size_and_site & kSizeMask;
  books.site = site == kSiteMask || (tag & kGenerationMask) != g_generation ? kNoSite : site;
  return true;
}

__attribute__((always_inline)) inline bool read_header(void* block, Books& books) noexcept {
  return read_books(header_of(block), mix(block), Kind::kHeader, books);
}

// A trailer's tag differs from a header's for the same address, and is never zero (a zeroed trailer, or one
// erased by take, never matches).
std::uint64_t trailer_tag(const void* block) noexcept {
  return (mix(block) ^ 0x5452000000000000ull) | 0x8000000000000000ull;
}

std::size_t real_usable(void* block) noexcept {
  return allocator::detail::g_real.malloc_usable_size(block);
}

// Set by the first trailer: until then no free asks the real allocator for a usable size.
std::atomic<bool> g_trailers{false};

Header* trailer_of(void* block, std::size_t usable) noexcept {
  return reinterpret_cast<Header*>(static_cast<char*>(block) + usable - kBytes);
}

// Erases the tag when `take`: a block the real allocator hands out again at this address, untraced (before
// the tracer or in sampled mode), must not find these books.
bool read_trailer(void* block, Books& books, bool take) noexcept {
  if (!g_trailers.load(std::memory_order_relaxed) || !can_trail(block)) return false;
  std::size_t usable = real_usable(block);
  if (usable < kBytes) return false;
  Header* t = trailer_of(block, usable);
  if (!read_books(t, trailer_tag(block), Kind::kTrailer, books)) return false;
  if (take) t->tag = 0;
  return true;
}

Books from_table(const blocks::Block& block) noexcept {
  return Books{block.size, block.site, block.header ? Kind::kHeader : Kind::kAligned};
}

void write_books(Header* h, std::uint64_t tag, std::uint64_t size, std::uint32_t site) noexcept {
  h->size_and_site = (size > kSizeMask ? kSizeMask : size) | (std::uint64_t{site & kSiteMask} << kSizeBits);
  h->tag = tag | g_generation;
}

// Tails (glibc only): the tail is the last usable word, beside the next chunk's size, which glibc's free and
// malloc_usable_size read anyway (headers.hpp).
// False for what is no chunk size: a header's tag (top bit set), or too small for a chunk.
inline bool chunk_usable(const void* block, std::size_t& usable) noexcept {
  std::uint64_t size;
  std::memcpy(&size, static_cast<const char*>(block) - 8, sizeof size);
  if ((size >> 47) != 0 || size < 32) return false;
  usable = detail::glibc_usable(size);
  return true;
}

inline char* tail_end(void* block, std::size_t usable) noexcept {
  return static_cast<char*>(block) + usable;
}

// Erases the tail when `take` (as read_trailer does).
__attribute__((always_inline)) inline bool read_tail(void* block, Books& books, bool take) noexcept {
  std::size_t usable;
  if (!detail::g_tails) return false;
  // The tail of a chunk of up to 64 bytes lies in [block + 16, block + 48]: its line loads while the chunk's
  // size does, instead of after it (a second miss in a row at the free of a block gone cold).
  __builtin_prefetch(static_cast<char*>(block) + 16);
  __builtin_prefetch(static_cast<char*>(block) + 48);
  if (!chunk_usable(block, usable)) return false;
  char* end = tail_end(block, usable);
  std::uint64_t word;
  std::memcpy(&word, end - 8, sizeof word);
  if ((word & detail::kTailTagMask) != detail::tail_tag(block)) return false;
  const std::uint64_t slack = (word >> detail::kTailSlackShift) & detail::kTailSlackMask;
  const auto site = static_cast<std::uint32_t>(word & kSiteMask);
  if (slack == detail::kTailSizeInWordBefore)
    std::memcpy(&books.size, end - 16, sizeof books.size);
  else
    books.size = usable - kTailBytes - slack;
  books.site = site == kSiteMask ? kNoSite : site;
  books.kind = Kind::kTail;
  if (take) std::memset(end - 8, 0, 8);
  return true;
}

// glibc's malloc_usable_size against the chunk headers, for blocks of three sizes. (Not for a block of a
// mapping of its own: freeing one raises glibc's threshold for mapping blocks, which the program would see.)
bool chunks_read_as_glibc(const allocator::Functions& real) noexcept {
  bool agree = true;
  for (std::size_t size : {std::size_t{1}, std::size_t{24}, std::size_t{1000}}) {
    void* block = real.malloc(size);
    if (!block) return false;
    std::size_t usable = 0;
    agree =
        agree && chunk_usable(block, usable) && usable == real.malloc_usable_size(block) && usable >= size;
    real.free(block);
  }
  return agree;
}

}  // namespace

namespace detail {
bool g_tails = false;
std::uint64_t g_tail_salt = 0;
}  // namespace detail

void configure_tails(bool exact_mode) noexcept {
  const allocator::Functions* resolved = allocator::real();  // the tracer may start before any malloc
  if (!resolved) {
    detail::g_tails = false;
    return;
  }
  const allocator::Functions& real = *resolved;
  const char* wanted = ::secure_getenv("PROF_MEMORY_TAILS");  // 0: headers, as under another allocator
  detail::g_tails = exact_mode && !(wanted && wanted[0] == '0' && wanted[1] == '\0') &&
                    real.malloc == &::__libc_malloc && real.free == &::__libc_free &&
                    real.calloc == &::__libc_calloc && real.realloc == &::__libc_realloc &&
                    real.malloc_usable_size && real.usable_size_matches && chunks_read_as_glibc(real);
}

bool adopt_header(void* block, std::uint64_t size, std::uint32_t site) noexcept {
  write_books(header_of(block), mix(block), size, site);
  if (header_readable(block)) return true;
  return blocks::insert(block, blocks::Block{size, site, true});
}

void set_site(void* block, std::uint32_t site) noexcept {
  std::size_t usable;
  if (detail::g_tails && chunk_usable(block, usable)) {
    char* end = tail_end(block, usable);
    std::uint64_t word;
    std::memcpy(&word, end - 8, sizeof word);
    word = (word & ~std::uint64_t{kSiteMask}) | (site & kSiteMask);
    std::memcpy(end - 8, &word, sizeof word);
    return;
  }
  Header* h = header_of(block);
  h->size_and_site = (h->size_and_site & kSizeMask) | (std::uint64_t{site & kSiteMask} << kSizeBits);
}

bool adopt_aligned(void* block, std::uint64_t size, std::uint32_t site) noexcept {
  return blocks::insert(block, blocks::Block{size, site, false});
}

bool trailers_possible() noexcept {
  const allocator::Functions& real = allocator::detail::g_real;
  return real.malloc_usable_size && real.usable_size_matches;
}

void adopt_trailer(void* block, std::uint64_t size, std::uint32_t site) noexcept {
  if (!g_trailers.load(std::memory_order_relaxed)) g_trailers.store(true, std::memory_order_relaxed);
  write_books(trailer_of(block, real_usable(block)), trailer_tag(block), size, site);
}

// A block whose header is readable but holds no tag is the real allocator's own pointer, so its usable size
// may be asked; a page-aligned one may be a header block in the side table, whose real pointer is 16 bytes
// lower, so the side table answers first.
Books peek(void* block) noexcept {
  Books books;
  if (read_tail(block, books, false)) return books;
  const bool readable = header_readable(block);
  if (readable && (read_header(block, books) || read_trailer(block, books, false))) return books;
  blocks::Block found;
  if (blocks::find(block, found)) return from_table(found);
  if (!readable) read_trailer(block, books, false);
  return books;
}

Books take(void* block) noexcept {
  Books books;
  if (read_tail(block, books, true)) return books;
  const bool readable = header_readable(block);
  if (readable && (read_header(block, books) || read_trailer(block, books, true))) return books;
  blocks::Block found;
  if (blocks::remove(block, found)) return from_table(found);
  if (!readable) read_trailer(block, books, true);
  return books;
}

void put_back(void* block, const Books& books) noexcept {
  if (books.kind == Kind::kTail) return adopt_tail(block, books.size, books.site);
  if (books.kind == Kind::kTrailer) return adopt_trailer(block, books.size, books.site);
  if (books.kind == Kind::kAligned || (books.kind == Kind::kHeader && !header_readable(block)))
    blocks::insert(block, blocks::Block{books.size, books.site, books.kind == Kind::kHeader});
}

void next_generation() noexcept {
  g_generation = (g_generation + 1) & kGenerationMask;
  detail::g_tail_salt = g_generation * 0x9E3779B97F4A7C15ull;
  blocks::forget_sites();
}

}  // namespace prof::preload::memory::headers
