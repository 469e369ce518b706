#include "sampling/loader_lock.hpp"

#include <dlfcn.h>
#include <link.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace prof::preload::sampling::loader_lock {

namespace detail {
const pthread_mutex_t* g_lock = nullptr;
}

namespace {

constexpr int kRecursive = PTHREAD_MUTEX_RECURSIVE_NP;

struct Search {
  const unsigned char* state = nullptr;
  std::size_t size = 0;
  int tid = 0;
  const pthread_mutex_t* found = nullptr;
  int candidates = 0;
  bool done = false;
};

pthread_mutex_t read_mutex(const unsigned char* at) noexcept {
  pthread_mutex_t mutex;
  std::memcpy(&mutex, at, sizeof mutex);
  return mutex;
}

int inside(dl_phdr_info*, std::size_t, void* data) {
  auto& search = *static_cast<Search*>(data);
  if (search.done) return 1;
  search.done = true;
  for (std::size_t offset = 0; offset + sizeof(pthread_mutex_t) <= search.size;
       offset += alignof(pthread_mutex_t)) {
    const pthread_mutex_t mutex = read_mutex(search.state + offset);
    if (mutex.__data.__lock != 0 && mutex.__data.__owner == search.tid && mutex.__data.__count >= 1 &&
        mutex.__data.__count < 64 && mutex.__data.__kind == kRecursive) {
      search.found = reinterpret_cast<const pthread_mutex_t*>(search.state + offset);
      ++search.candidates;
    }
  }
  return 1;
}

}  // namespace

void locate() noexcept {
  void* state = ::dlsym(RTLD_DEFAULT, "_rtld_global");
  Dl_info info{};
  void* entry = nullptr;
  if (!state || !::dladdr1(state, &info, &entry, RTLD_DL_SYMENT) || !entry) return;
  const auto* symbol = static_cast<const ElfW(Sym)*>(entry);
  if (symbol->st_size < sizeof(pthread_mutex_t)) return;
  Search search;
  search.state = static_cast<const unsigned char*>(state);
  search.size = symbol->st_size;
  search.tid = static_cast<int>(::syscall(SYS_gettid));
  ::dl_iterate_phdr(inside, &search);
  if (search.candidates != 1) return;
  // Outside the callback the same lock is free (no other thread runs the loader this early).
  const pthread_mutex_t after = read_mutex(reinterpret_cast<const unsigned char*>(search.found));
  if (after.__data.__owner != 0 || after.__data.__count != 0) return;
  detail::g_lock = search.found;
}

}  // namespace prof::preload::sampling::loader_lock
