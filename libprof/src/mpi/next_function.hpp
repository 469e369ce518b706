#pragma once
// The MPI library's own entry points (PMPI_*, the standard profiling interface), found with dlsym on first
// use instead of being linked: libprof_mpi.so names no MPI library, so preloading it into a process that
// never calls MPI loads nothing more, and the same file works with whichever libmpi the program brought.

#include <atomic>

namespace prof::mpi {

// The address of `name` in the objects loaded after libprof_mpi (RTLD_NEXT), else anywhere: the global scope,
// then every loaded object, those loaded with RTLD_LOCAL too. An MPI call reached us, so a missing entry
// point means a broken installation: one line on stderr, abort.
void* find_next(const char* name) noexcept;

// The global scope's definition of `name` (the live copy of a variable), else any loaded object's; or null.
void* find_symbol(const char* name) noexcept;

template <typename Function>
Function next(std::atomic<void*>& slot, const char* name) noexcept {
  void* address = slot.load(std::memory_order_acquire);
  if (address == nullptr) [[unlikely]] {
    address = find_next(name);
    slot.store(address, std::memory_order_release);
  }
  return reinterpret_cast<Function>(address);
}

}  // namespace prof::mpi

// PROF_MPI_NEXT(MPI_Send) is PMPI_Send, resolved once per call site; decltype names the prototype from
// <mpi.h> without referencing the symbol.
#define PROF_MPI_NEXT(function)                                                     \
  ([]() noexcept {                                                                  \
    static constinit std::atomic<void*> prof_mpi_slot{nullptr};                     \
    return ::prof::mpi::next<decltype(&P##function)>(prof_mpi_slot, "P" #function); \
  }())
