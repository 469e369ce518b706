#include "scopes/page_memory.hpp"

#include <sys/mman.h>

namespace prof::scopes {

void* map_pages(std::size_t bytes) noexcept {
  void* pages = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return pages == MAP_FAILED ? nullptr : pages;
}

void unmap_pages(void* pages, std::size_t bytes) noexcept {
  if (pages) ::munmap(pages, bytes);
}

}  // namespace prof::scopes
