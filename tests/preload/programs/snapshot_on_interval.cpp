// Allocates in a loop until the first numbered snapshot shows up in the output directory (argv[1]), then
// exits 3: the test needs no clock of its own.
#include <dirent.h>
#include <cstdlib>
#include <cstring>

namespace {

bool has_first_numbered(const char* dir) {
  DIR* listing = ::opendir(dir);
  if (!listing) return false;
  bool found = false;
  while (dirent* entry = ::readdir(listing)) {
    std::size_t length = std::strlen(entry->d_name);
    const char suffix[] = ".1.prof.json";
    if (length > sizeof suffix && std::strcmp(entry->d_name + length - (sizeof suffix - 1), suffix) == 0)
      found = true;
  }
  ::closedir(listing);
  return found;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  while (!has_first_numbered(argv[1])) {
    for (int i = 0; i < 10000; ++i) {
      void* volatile block = std::malloc(32 + i % 512);
      std::free(block);
    }
  }
  return 3;
}
