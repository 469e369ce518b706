#include "process/runtime_threads.hpp"

#include <dlfcn.h>

#include <cstring>
#include <string_view>

namespace prof::preload {

bool is_mpi_runtime_module(const char* path) noexcept {
  if (!path) return false;
  const char* slash = std::strrchr(path, '/');
  const std::string_view name = slash ? slash + 1 : path;
  // Open MPI (libmpi, libopen-pal, libopen-rte, its mca_* plugins), MPICH and MVAPICH (libmpi*), PMIx and
  // PRRTE, the fabrics below them (UCX, libfabric, PSM2) and the libevent Open MPI runs its loop on.
  constexpr std::string_view kPrefixes[] = {"libmpi",  "libopen-pal", "libopen-rte", "mca_",
                                            "libpmix", "libprrte",    "libucs",      "libucp",
                                            "libuct",  "libfabric",   "libpsm2",     "libevent"};
  for (auto prefix : kPrefixes)
    if (name.starts_with(prefix)) return true;
  return false;
}

bool started_by_mpi_runtime(void* (*start)(void*)) noexcept {
  Dl_info info{};
  if (!start || dladdr(reinterpret_cast<void*>(start), &info) == 0) return false;
  return is_mpi_runtime_module(info.dli_fname);
}

}  // namespace prof::preload
