#include "mpi/fortran_binding.hpp"

#include "mpi/byte_counts.hpp"

namespace prof::mpi::fortran {

// MPICH's mpi.h makes the f2c conversions macros (its handles are the Fortran integers); Open MPI's are
// functions, reached through PMPI like every other call.
MPI_Datatype type_of(const Fint* type) noexcept {
#ifdef MPI_Type_f2c
  return MPI_Type_f2c(*type);
#else
  return PROF_MPI_NEXT(MPI_Type_f2c)(*type);
#endif
}

MPI_Comm comm_of(const Fint* comm) noexcept {
#ifdef MPI_Comm_f2c
  return MPI_Comm_f2c(*comm);
#else
  return PROF_MPI_NEXT(MPI_Comm_f2c)(*comm);
#endif
}

std::uint64_t bytes_of(const Fint* count, const Fint* type) noexcept {
  if (count == nullptr || *count <= 0) return 0;
  return prof::mpi::bytes_of(*count, type_of(type));
}

std::uint64_t bytes_of(const Fint* counts, int n, const Fint* type) noexcept {
  static_assert(sizeof(Fint) == sizeof(int));
  return prof::mpi::bytes_of(reinterpret_cast<const int*>(counts), n, type_of(type));
}

int rank_in(const Fint* comm) noexcept {
  return prof::mpi::rank_in(comm_of(comm));
}

int size_of(const Fint* comm) noexcept {
  return prof::mpi::size_of(comm_of(comm));
}

namespace {

constexpr int kInPlaceNames = 4;
constexpr const char* kInPlaceSymbols[kInPlaceNames] = {"mpi_fortran_in_place_", "mpi_fortran_in_place",
                                                        "mpi_fortran_in_place__", "MPI_FORTRAN_IN_PLACE"};

// Looked up at the first in-place question, after MPI_Init: the Fortran library is loaded by then. The
// global scope first (find_symbol): a program's common block may be the live copy.
std::atomic<const void*> g_in_place[kInPlaceNames];
std::atomic<bool> g_in_place_found{false};

}  // namespace

bool is_fortran_in_place(const void* address) noexcept {
  if (address == nullptr) return false;
  if (!g_in_place_found.load(std::memory_order_acquire)) [[unlikely]] {
    for (int i = 0; i < kInPlaceNames; ++i)
      g_in_place[i].store(find_symbol(kInPlaceSymbols[i]), std::memory_order_relaxed);
    g_in_place_found.store(true, std::memory_order_release);
  }
  for (const auto& in_place : g_in_place)
    if (in_place.load(std::memory_order_relaxed) == address) return true;
  return false;
}

}  // namespace prof::mpi::fortran
