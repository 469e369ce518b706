#pragma once
// Where the tracer keeps a live block's books (size and site), so that a free finds them without a global
// pointer table: a cache and TLB miss per event once such a table outgrows the caches (issue 13).
//
// Blocks of the malloc family with alignment up to 16 carry their books beside them. Under glibc's allocator
// in exact mode, blocks up to 256 bytes (tail_for) and aligned ones carry an 8-byte tail: the shim asks for
// size + 8 bytes and keeps one word at the end of the usable size glibc's chunk header gives (the site, how
// many bytes past the size the chunk has, and a tag from the block's address and the fork generation). Most
// sizes then fit the chunk they would have had anyway: a 16-byte header moved most blocks up a size class,
// and cost the containers of the suite a fifth of their run in cache misses. Elsewhere (larger blocks,
// another allocator, sampled mode) blocks of alignment up to 16 carry a 16-byte header: the shim asks the
// real allocator for size + 16 bytes and hands out base + 16, still 16-byte aligned. The header holds the
// size and site, and a tag derived from the block's own address (and the fork generation), which no block of
// the real allocator carries there (glibc keeps its chunk size at that place). A header would cost a larger
// alignment its whole size (64 bytes for alignas(64)), so in exact mode such blocks are asked with 16 bytes
// more and carry their books in a trailer, the last 16 bytes of the usable size the real allocator reports:
// beside the next chunk's header, which glibc's free reads anyway, where a side table would cost a cache and
// TLB miss per event in a table the size of the heap. Blocks of a larger alignment in sampled mode (whose
// frees of unsampled blocks must not ask for usable sizes), under an allocator whose malloc_usable_size is
// not its own, and the rare header blocks whose address is page-aligned (whose header could not be read
// before knowing the block is ours), are in the side table (blocks.hpp) instead. A block with none of these
// is foreign: allocated before the tracer started, or never by the shim; it is freed as it came.

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "memory/blocks.hpp"

namespace prof::preload::memory::headers {

constexpr std::size_t kBytes = 16;
constexpr std::size_t kTailBytes = 8;

enum class Kind : std::uint8_t {
  kForeign,  // not ours: the real allocator's pointer is the block itself, no books
  kHeader,   // the real allocator's pointer is 16 bytes lower
  kAligned,  // the real allocator's pointer is the block itself, books in the side table
  kTrailer,  // the real allocator's pointer is the block itself, books in its last 16 usable bytes
  kTail,     // the real allocator's pointer is the block itself, books in its last 8 usable bytes (glibc)
};

// 16 bytes: returned in two registers, not through memory (every free reads them back at once).
struct Books {
  std::uint64_t size = 0;
  std::uint32_t site =
      0xFFFFFFFFu;  // sites::kNoSite: counted nowhere (untraced, or the parent's before fork)
  Kind kind = Kind::kForeign;
};
static_assert(sizeof(Books) == 16);

namespace detail {
extern bool g_tails;
extern std::uint64_t g_tail_salt;  // from the fork generation: a parent's tails are foreign to its child
// The tail word: the site (24 bits), the chunk's bytes past size + 8 (6 bits; 63: more, and the size is in
// the word before), and a tag (34 bits, the top one always set: an erased tail, zero, never matches, and
// neither does a header's tag, read as a chunk size, nor a chunk size read as a header's tag).
constexpr int kTailSlackShift = 24;
constexpr std::uint64_t kTailSlackMask = 63;
constexpr std::uint64_t kTailSizeInWordBefore = 63;
constexpr std::uint64_t kTailTagMask = ~((std::uint64_t{1} << 30) - 1);
constexpr std::uint32_t kTailSiteMask = 0xFFFFFF;
inline std::uint64_t tail_tag(const void* block) noexcept {
  return (((reinterpret_cast<std::uintptr_t>(block) * 0xD6E8FEB86659FD93ull) ^ g_tail_salt) & kTailTagMask) |
         0x8000000000000000ull;
}
// glibc keeps a chunk's size, with three flags in its low bits, in the 8 bytes below the block; the usable
// size is that size less 8, less 16 for a chunk of its own mapping (flag 2).
inline std::size_t glibc_usable(std::uint64_t size_word) noexcept {
  return (size_word & ~std::uint64_t{7}) - 8 - ((size_word & 2) << 2);
}
}  // namespace detail

// Decides once, before the tracer starts, whether blocks get tails: in exact mode, when the real allocator is
// glibc's and its chunk headers say what its malloc_usable_size says.
void configure_tails(bool exact_mode) noexcept;
// Whether blocks get tails. A block of alignment above 16 (but pvalloc's) then gets one at any size: a header
// would cost it its alignment, and its books were at its end before, in a 16-byte trailer.
inline bool tails() noexcept {
  return detail::g_tails;
}
// Whether a block of alignment up to 16 and `size` bytes gets a tail. Larger blocks keep a header: a tail is
// the block's last line, which a program that touches only the start of a large block (an I/O buffer) would
// not have loaded, where the header shares the first line with glibc's chunk size.
constexpr std::size_t kTailsUpTo = 256;
inline bool tail_for(std::size_t size) noexcept {
  return detail::g_tails && size <= kTailsUpTo;
}
// A block just allocated with kTailBytes more than `size`: writes its tail. Inline: it runs at every malloc.
inline void adopt_tail(void* block, std::uint64_t size, std::uint32_t site) noexcept {
  std::uint64_t size_word;
  std::memcpy(&size_word, static_cast<const char*>(block) - 8, sizeof size_word);
  char* end = static_cast<char*>(block) + detail::glibc_usable(size_word);
  std::uint64_t slack = static_cast<std::uint64_t>(end - static_cast<char*>(block)) - kTailBytes - size;
  if (slack >= detail::kTailSizeInWordBefore) {
    slack = detail::kTailSizeInWordBefore;  // at least 63 bytes past the size: room for it
    std::memcpy(end - 16, &size, sizeof size);
  }
  const std::uint64_t word =
      detail::tail_tag(block) | (slack << detail::kTailSlackShift) | (site & detail::kTailSiteMask);
  std::memcpy(end - 8, &word, sizeof word);
}

// A header block just allocated (base + 16): writes its header; false when the side table needed for a
// page-aligned address is out of memory (the caller then frees the block and fails).
bool adopt_header(void* block, std::uint64_t size, std::uint32_t site) noexcept;
// A block of the real allocator's (alignment above 16): into the side table; false when out of memory.
bool adopt_aligned(void* block, std::uint64_t size, std::uint32_t site) noexcept;
// Whether a block of alignment above 16 can carry a trailer: exact mode decides at its allocation (the block
// then asked with kBytes more), `can_trail` once it has the block (aligned to 32 at least: a free looks for
// trailers only there).
bool trailers_possible() noexcept;
inline bool can_trail(const void* block) noexcept {
  return (reinterpret_cast<std::uintptr_t>(block) & 31) == 0;
}
// Writes the books into the trailer of a block asked with kBytes more than `size`.
void adopt_trailer(void* block, std::uint64_t size, std::uint32_t site) noexcept;

// A block whose books are in the block alone (a tail, or header_only): its site, found after the block was
// handed out (sites::record_later).
void set_site(void* block, std::uint32_t site) noexcept;
// Whether adopt_header keeps `block`'s books in its header alone, never in the side table (a tail always
// does).
inline bool header_only(const void* block) noexcept {
  return (reinterpret_cast<std::uintptr_t>(block) & 4095) >= kBytes;
}

// What the books say about `block`; `take` also takes it out of the side table (the block is about to go back
// to the real allocator, which may hand the address out again at once).
Books peek(void* block) noexcept;
Books take(void* block) noexcept;
namespace detail {
// The tag of a header block at `block`, from its address (high 48 bits; the low 16 hold the fork generation).
inline std::uint64_t tag_of(const void* block) noexcept {
  std::uint64_t h = reinterpret_cast<std::uintptr_t>(block) * 0xD6E8FEB86659FD93ull;
  // The top bit set: a glibc chunk size there never matches, and a tail's reader rejects a header's tag.
  return ((h ^ (h >> 32) ^ 0x70726F666D656D21ull) | 0x8000000000000000ull) & ~std::uint64_t{0xFFFF};
}
}  // namespace detail

// Whether the 8 bytes below the block hold a header's tag. Read only when they are on the block's own page: a
// block of ours whose header is not (adopt_header) is in the side table instead.
inline bool tagged(void* block) noexcept {
  if ((reinterpret_cast<std::uintptr_t>(block) & 4095) < kBytes) return false;
  std::uint64_t tag;
  std::memcpy(&tag, static_cast<const char*>(block) - 8, sizeof tag);
  return (tag & ~std::uint64_t{0xFFFF}) == detail::tag_of(block);
}
// Sampled mode (heap_sampler.hpp): false for a block that surely has no books (no header tag, not in the side
// table), i.e. nearly every block the sampler left out: its free goes straight to the real allocator. Inline
// and without a call: it runs on every such free, in free's frameless common case.
inline bool maybe_ours(void* block) noexcept {
  return tagged(block) || blocks::may_hold(block);
}
// A realloc that failed left the block as it was: back into the side table if it came from there.
void put_back(void* block, const Books& books) noexcept;

// The part of the real allocator's usable size that is the program's.
inline std::size_t program_part(std::size_t usable, Kind kind) noexcept {
  if (kind == Kind::kTail) return usable - kTailBytes;
  return kind == Kind::kHeader || kind == Kind::kTrailer ? usable - kBytes : usable;
}

// The pointer the real allocator knows.
inline void* base_of(void* block, Kind kind) noexcept {
  return kind == Kind::kHeader ? static_cast<char*>(block) - kBytes : block;
}

// The fork child: blocks of the parent keep their layout but count for no site of the child.
void next_generation() noexcept;

}  // namespace prof::preload::memory::headers
