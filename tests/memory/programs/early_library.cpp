// Blocks allocated before the memory tracer starts: this library's constructor runs before the shim's (a
// library the program needs is initialised before the preloaded shim), so the shim sees these blocks as
// foreign ones, without books, when block_books frees, resizes and measures them.
#include <malloc.h>
#include <cstdlib>
#include <cstring>

namespace {

constexpr int kEarly = 64;
void* g_early[kEarly];
std::size_t g_sizes[kEarly];

__attribute__((constructor)) void allocate_early() {
  for (int i = 0; i < kEarly; ++i) {
    g_sizes[i] = 16 + 40 * static_cast<std::size_t>(i);
    g_early[i] = i % 8 == 7 ? memalign(64, g_sizes[i]) : std::malloc(g_sizes[i]);
    std::memset(g_early[i], i, g_sizes[i]);
  }
}

}  // namespace

extern "C" int early_blocks(void*** blocks, std::size_t** sizes) {
  *blocks = g_early;
  *sizes = g_sizes;
  return kEarly;
}
