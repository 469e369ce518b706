#include "memory/headers.hpp"

#include "memory/blocks.hpp"

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
__attribute__((always_inline)) inline bool read_header(void* block, Books& books) noexcept {
  const Header* h = header_of(block);
  std::uint64_t tag = h->tag;
  if ((tag & ~kGenerationMask) != mix(block)) return false;
  auto site = static_cast<std::uint32_t>(h->size_and_site >> kSizeBits);
  books.kind = Kind::kHeader;
  books.size = h->size_and_site & kSizeMask;
  books.site = site == kSiteMask || (tag & kGenerationMask) != g_generation ? kNoSite : site;
  return true;
}

Books from_table(const blocks::Block& block) noexcept {
  return Books{block.header ? Kind::kHeader : Kind::kAligned, block.size, block.site};
}

}  // namespace

bool adopt_header(void* block, std::uint64_t size, std::uint32_t site) noexcept {
  Header* h = header_of(block);
  h->size_and_site = (size > kSizeMask ? kSizeMask : size) | (std::uint64_t{site & kSiteMask} << kSizeBits);
  h->tag = mix(block) | g_generation;
  if (header_readable(block)) return true;
  return blocks::insert(block, blocks::Block{size, site, true});
}

bool adopt_aligned(void* block, std::uint64_t size, std::uint32_t site) noexcept {
  return blocks::insert(block, blocks::Block{size, site, false});
}

Books peek(void* block) noexcept {
  Books books;
  if (header_readable(block) && read_header(block, books)) return books;
  blocks::Block found;
  if (blocks::find(block, found)) return from_table(found);
  return books;
}

Books take(void* block) noexcept {
  Books books;
  if (header_readable(block) && read_header(block, books)) return books;
  blocks::Block found;
  if (blocks::remove(block, found)) return from_table(found);
  return books;
}

void put_back(void* block, const Books& books) noexcept {
  if (books.kind == Kind::kAligned || (books.kind == Kind::kHeader && !header_readable(block)))
    blocks::insert(block, blocks::Block{books.size, books.site, books.kind == Kind::kHeader});
}

void next_generation() noexcept {
  g_generation = (g_generation + 1) & kGenerationMask;
  blocks::forget_sites();
}

}  // namespace prof::preload::memory::headers
