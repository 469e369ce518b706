#include "mpi/library_check.hpp"

#include <dlfcn.h>
#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "mpi/next_function.hpp"

namespace prof::mpi {

std::atomic<int> g_library_match{static_cast<int>(LibraryMatch::unknown)};

namespace {

// A symbol only the family's libraries define, and the family's name for the message.
#if defined(OPEN_MPI)
constexpr const char* kFamilySymbol = "ompi_mpi_comm_world";
constexpr const char* kFamily = "Open MPI";
#elif defined(MPICH) || defined(MPICH_VERSION)
constexpr const char* kFamilySymbol = "MPIR_Err_create_code";  // MPICH, Intel MPI, MVAPICH, Cray MPICH
constexpr const char* kFamily = "MPICH";
#else
constexpr const char* kFamilySymbol = nullptr;  // an MPI we cannot tell apart: trust the build
constexpr const char* kFamily = "its MPI";
#endif

// Appends `text` to `line` (truncated at its end).
void append(char* line, std::size_t capacity, std::size_t& used, const char* text) noexcept {
  const std::size_t length = std::min(std::strlen(text), capacity - used);
  std::memcpy(line + used, text, length);
  used += length;
}

// One line, without stdio (the program's streams may not be set up), in one write so that the ranks' lines
// do not interleave: which library the program uses, by the file that defines PMPI_Init.
void say_stepping_aside() noexcept {
  const char* library = "another MPI library";
  Dl_info info{};
  if (void* init = find_symbol("PMPI_Init");
      init != nullptr && dladdr(init, &info) != 0 && info.dli_fname != nullptr && info.dli_fname[0] != '\0')
    library = info.dli_fname;
  char line[1024];
  std::size_t used = 0;
  for (const char* part : {"prof: libprof_mpi.so was built for ", kFamily, " but this program uses ", library,
                           ": its MPI calls are not recorded (build the MPI layer against this MPI: "
                           "docs/DEPENDENCIES.md)"})
    append(line, sizeof line - 1, used, part);
  line[used++] = '\n';
  [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, line, used);
}

}  // namespace

LibraryMatch check_library() noexcept {
  const bool ours = kFamilySymbol == nullptr || find_symbol(kFamilySymbol) != nullptr;
  const int found = static_cast<int>(ours ? LibraryMatch::ours : LibraryMatch::foreign);
  int expected = static_cast<int>(LibraryMatch::unknown);
  // The thread that settles the answer says it; a concurrent first call just reads it.
  if (g_library_match.compare_exchange_strong(expected, found, std::memory_order_relaxed)) {
    if (!ours) say_stepping_aside();
    return static_cast<LibraryMatch>(found);
  }
  return static_cast<LibraryMatch>(expected);
}

}  // namespace prof::mpi
