#pragma once
// The Fortran bindings (mpif.h, `use mpi`, `use mpi_f08`): Open MPI's Fortran entry points call the C
// PMPI_* functions directly, so a Fortran program never reaches our C wrappers. We define the Fortran names
// themselves: each records its call as its C twin does (the scope `MPI_Allreduce`, so C and Fortran ranks of
// one job merge) and forwards to the library's own entry point of the same name, found with dlsym like the
// C ones (nothing links libmpi). Every Fortran argument is passed by reference; handles are MPI_Fint and
// are converted to C handles only to size the buffers.

#include <mpi.h>

#include <atomic>
#include <cstdint>

#include "mpi/next_function.hpp"

namespace prof::mpi::fortran {

using Fint = MPI_Fint;

MPI_Datatype type_of(const Fint* type) noexcept;
MPI_Comm comm_of(const Fint* comm) noexcept;

// Elements of a Fortran datatype handle, and the sum of `counts[0..n)` of them; 0 for a null count.
std::uint64_t bytes_of(const Fint* count, const Fint* type) noexcept;
std::uint64_t bytes_of(const Fint* counts, int n, const Fint* type) noexcept;
int rank_in(const Fint* comm) noexcept;  // -1 on error
int size_of(const Fint* comm) noexcept;  // 0 on error

// Fortran's MPI_IN_PLACE is the address of a common block of the MPI library (one name per mangling), not
// C's constant.
bool is_fortran_in_place(const void* address) noexcept;

// `use mpi_f08` with TS 29113 (the `_f08ts_` names) passes choice buffers as C descriptors (CFI_cdesc_t),
// whose first member is the data's address (Fortran 2018, 18.5.3); the other bindings pass the address.
template <bool kDescriptors>
const void* data_address(const void* buffer) noexcept {
  if constexpr (kDescriptors) return buffer == nullptr ? nullptr : *static_cast<const void* const*>(buffer);
  return buffer;
}

template <bool kDescriptors>
bool is_buffer(const void* buffer) noexcept {
  return !is_fortran_in_place(data_address<kDescriptors>(buffer));
}

// Whether a call whose optional `ierror` may be absent (mpi_f08) succeeded.
inline bool succeeded(const Fint* ierror) noexcept {
  return ierror == nullptr || *ierror == MPI_SUCCESS;
}

}  // namespace prof::mpi::fortran

// One entry point `symbol` that runs `body(real, arguments...)`, `real` being the library's own `symbol`.
#define PROF_MPI_FORTRAN_ENTRY(symbol, body, params, ...)                            \
  extern "C" void symbol params {                                                    \
    static constinit std::atomic<void*> prof_mpi_slot{nullptr};                      \
    body(::prof::mpi::next<decltype(&symbol)>(prof_mpi_slot, #symbol), __VA_ARGS__); \
  }

// The names compilers give one MPI subroutine: mpif.h and `use mpi` (lower case bare, with one and with two
// trailing underscores, upper case) and `use mpi_f08` (`_f08_`). `body` is a template on whether buffers come
// as descriptors.
#define PROF_MPI_FORTRAN(lower, upper, body, params, ...)             \
  PROF_MPI_FORTRAN_ENTRY(lower, body<false>, params, __VA_ARGS__)     \
  PROF_MPI_FORTRAN_ENTRY(lower##_, body<false>, params, __VA_ARGS__)  \
  PROF_MPI_FORTRAN_ENTRY(lower##__, body<false>, params, __VA_ARGS__) \
  PROF_MPI_FORTRAN_ENTRY(upper, body<false>, params, __VA_ARGS__)     \
  PROF_MPI_FORTRAN_ENTRY(lower##_f08_, body<false>, params, __VA_ARGS__)

// The same with a choice buffer: also `use mpi_f08`'s TS 29113 name (`_f08ts_`), whose buffers are
// descriptors.
#define PROF_MPI_FORTRAN_BUFFERS(lower, upper, body, params, ...) \
  PROF_MPI_FORTRAN(lower, upper, body, params, __VA_ARGS__)       \
  PROF_MPI_FORTRAN_ENTRY(lower##_f08ts_, body<true>, params, __VA_ARGS__)
