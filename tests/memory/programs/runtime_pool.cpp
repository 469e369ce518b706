// A C++ program whose leaks are known exactly: three new char[64] and one malloc(100) are never freed;
// everything else (a vector, a string, a thrown and caught exception) is. It writes nothing through stdio,
// whose buffers would be libc's own leaks. Under the shim its `leaked` must be 292 bytes in 4 blocks, and the
// shim must have made no block of its own (its libstdc++ once made a 71 KiB exception pool).
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

static char* volatile g_kept[4];

__attribute__((noinline)) void plant_leaks() {
  for (int i = 0; i < 3; ++i)
    g_kept[i] = new char[64];
  g_kept[3] = static_cast<char*>(std::malloc(100));
}

__attribute__((noinline)) int use_and_free() {
  std::vector<int> numbers(1000, 7);
  std::string text(200, 'x');
  try {
    throw std::runtime_error(text);
  } catch (const std::exception& e) {
    return static_cast<int>(numbers.size() + std::string(e.what()).size()) == 1200 ? 0 : 1;
  }
}

int main() {
  plant_leaks();
  return use_and_free();
}
