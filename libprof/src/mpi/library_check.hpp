#pragma once
// Whether the MPI library in the process is the family this layer was compiled for. Handles, constants and
// structures differ between MPI families (Open MPI's MPI_Comm is a pointer, MPICH's an int; MPI_IN_PLACE,
// MPI_ROOT, MPI_Status, MPI_MAX_LIBRARY_VERSION_STRING all differ), so a layer built against Open MPI's
// mpi.h reading an MPICH program's arguments misreads them and crashes the rank. Under a foreign MPI the
// layer steps aside: one line on stderr, then every call is forwarded untouched and nothing is recorded.
//
// Checked at the first intercepted call rather than at load: the MPI library may be dlopened later (mpi4py),
// and by the time a program calls MPI it is loaded.

#include <atomic>

namespace prof::mpi {

enum class LibraryMatch : int { unknown, ours, foreign };

extern std::atomic<int> g_library_match;

// Looks the library up once (the first caller prints the line); then its cached answer.
LibraryMatch check_library() noexcept;

// The hot path: one relaxed load after the first call.
inline bool foreign_library() noexcept {
  int match = g_library_match.load(std::memory_order_relaxed);
  if (match == static_cast<int>(LibraryMatch::unknown)) [[unlikely]]
    match = static_cast<int>(check_library());
  return match == static_cast<int>(LibraryMatch::foreign);
}

}  // namespace prof::mpi

// First statement of every C wrapper: under a foreign MPI, the call goes straight to the library. The
// arguments are passed on bit for bit (each is a register or stack slot in both families' prototypes).
#define PROF_MPI_STEP_ASIDE(function, ...)         \
  if (::prof::mpi::foreign_library()) [[unlikely]] \
  return PROF_MPI_NEXT(function)(__VA_ARGS__)
