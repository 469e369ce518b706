#include "mpi/next_function.hpp"

#include <dlfcn.h>
#include <link.h>
#include <unistd.h>
#include <cstdlib>
#include <cstring>

namespace prof::mpi {

namespace {

struct Search {
  const char* name;
  void* found;
};

// A library loaded with RTLD_LOCAL is out of reach of RTLD_NEXT and RTLD_DEFAULT: mpi4py's extension module,
// which Python dlopens locally, brings libmpi in that way. Each loaded object is asked by its own handle.
int search_object(dl_phdr_info* info, std::size_t, void* data) {
  auto* search = static_cast<Search*>(data);
  if (info->dlpi_name == nullptr || info->dlpi_name[0] == '\0') return 0;
  void* handle = dlopen(info->dlpi_name, RTLD_LAZY | RTLD_NOLOAD);
  if (handle == nullptr) return 0;
  search->found = dlsym(handle, search->name);
  dlclose(handle);
  return search->found != nullptr ? 1 : 0;
}

[[noreturn]] void missing(const char* name) noexcept {
  // No stdio: this may run before the program's own streams are usable.
  constexpr const char prefix[] = "prof: error: libprof_mpi.so: no MPI library in the process defines ";
  constexpr const char suffix[] = "\n";
  [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, prefix, sizeof prefix - 1);
  ignored = ::write(STDERR_FILENO, name, std::strlen(name));
  ignored = ::write(STDERR_FILENO, suffix, sizeof suffix - 1);
  std::abort();
}

}  // namespace

void* find_symbol(const char* name) noexcept {
  if (void* address = dlsym(RTLD_DEFAULT, name)) return address;
  Search search{name, nullptr};
  dl_iterate_phdr(search_object, &search);
  return search.found;
}

void* find_next(const char* name) noexcept {
  if (void* address = dlsym(RTLD_NEXT, name)) return address;
  if (void* address = find_symbol(name)) return address;
  missing(name);
}

}  // namespace prof::mpi
