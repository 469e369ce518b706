#include "scopes/site_table.hpp"

#include <atomic>
#include <cstring>

#include "scopes/page_memory.hpp"
#include "scopes/spin_lock.hpp"

namespace prof::scopes {

namespace {

constexpr std::uint32_t kSitesPerChunk = 4096;
constexpr std::uint32_t kMaxChunks = 256;
constexpr std::size_t kStringBlock = 64 * 1024;

// Chunks are never moved or freed, so a reader holding a slot below the published count needs no lock.
SiteRecord* g_chunks[kMaxChunks];
std::atomic<std::uint32_t> g_count{0};
SpinLock g_lock;
std::atomic<FunctionSiteTest> g_function_site_test{nullptr};

// The copies of names and files, bump-allocated from mapped blocks that are never freed (under the lock).
char* g_strings = nullptr;
std::size_t g_strings_left = 0;

const char* copy_string(const char* text) noexcept {
  std::size_t bytes = std::strlen(text) + 1;
  if (bytes > g_strings_left) {
    std::size_t block = bytes > kStringBlock ? bytes : kStringBlock;
    auto* memory = static_cast<char*>(map_pages(block));
    if (!memory) return nullptr;
    g_strings = memory;
    g_strings_left = block;
  }
  char* copy = g_strings;
  std::memcpy(copy, text, bytes);
  g_strings += bytes;
  g_strings_left -= bytes;
  return copy;
}

bool fill(SiteRecord& record, const detail::ScopeSite& site) noexcept {
  record.name = copy_string(site.name ? site.name : "");
  record.file = copy_string(site.file ? site.file : "");
  record.line = site.line;
  FunctionSiteTest is_function = g_function_site_test.load(std::memory_order_acquire);
  record.function = is_function && is_function(&site);
  return record.name && record.file;
}

}  // namespace

std::uint32_t register_site(const detail::ScopeSite& site) noexcept {
  if (std::uint32_t slot = site.table_slot.load(std::memory_order_acquire)) return slot;
  g_lock.lock();
  std::uint32_t result = site.table_slot.load(std::memory_order_relaxed);
  if (result == 0) {
    std::uint32_t slot = g_count.load(std::memory_order_relaxed);
    std::uint32_t chunk = slot / kSitesPerChunk;
    if (chunk < kMaxChunks && !g_chunks[chunk])
      g_chunks[chunk] = static_cast<SiteRecord*>(map_pages(kSitesPerChunk * sizeof(SiteRecord)));
    if (chunk < kMaxChunks && g_chunks[chunk] && fill(g_chunks[chunk][slot % kSitesPerChunk], site)) {
      result = slot + 1;
      site.table_slot.store(result, std::memory_order_release);
      g_count.store(slot + 1, std::memory_order_release);
    }
  }
  g_lock.unlock();
  return result;
}

void set_function_site_test(FunctionSiteTest test) noexcept {
  g_function_site_test.store(test, std::memory_order_release);
}

std::uint32_t site_count() noexcept {
  return g_count.load(std::memory_order_acquire);
}

const SiteRecord& site_at(std::uint32_t slot) noexcept {
  return g_chunks[slot / kSitesPerChunk][slot % kSitesPerChunk];
}

void reset_site_table_in_child() noexcept {
  g_lock.reset_in_child();
}

}  // namespace prof::scopes
