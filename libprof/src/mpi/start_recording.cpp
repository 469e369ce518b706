#include "mpi/start_recording.hpp"

#include <dlfcn.h>
#include <mpi.h>
#include <pthread.h>

#include <atomic>
#include <cstring>

#include "core/process_meta.hpp"
#include "core/snapshot_writer.hpp"
#include "mpi/mpi_section.hpp"
#include "mpi/next_function.hpp"
#include "mpi/operations.hpp"

namespace prof::mpi {

namespace {

constexpr const char* kRankSource = "MPI_Init";

std::atomic<bool> g_started{false};

// MPI_COMM_WORLD without linking libmpi: Open MPI's handle is the address of a library variable (which a
// plain reference would make a link-time dependency); other MPIs' handles are constants. RTLD_DEFAULT, not
// RTLD_NEXT: a PIE program that names MPI_COMM_WORLD holds the variable's one live copy (a copy relocation).
bool find_world(MPI_Comm& world) noexcept {
#ifdef OPEN_MPI
  world = static_cast<MPI_Comm>(find_symbol("ompi_mpi_comm_world"));
  return world != nullptr;
#else
  world = MPI_COMM_WORLD;
  return true;
#endif
}

void read_library_version() noexcept {
  char text[MPI_MAX_LIBRARY_VERSION_STRING + 1] = {};
  int length = 0;
  if (PROF_MPI_NEXT(MPI_Get_library_version)(text, &length) != MPI_SUCCESS) return;
  if (length < 0 || length > MPI_MAX_LIBRARY_VERSION_STRING) length = 0;
  text[length] = '\0';
  std::size_t line = std::strcspn(text, "\r\n");
  if (line >= sizeof g_world.library) line = sizeof g_world.library - 1;
  std::memcpy(g_world.library, text, line);
  g_world.library[line] = '\0';
}

// The shim writes the snapshot under `prof run`: its own meta must name the rank MPI gave.
void confirm_rank_to_shim(long rank, long size) noexcept {
  using SetRankFn = void (*)(long, long, const char*);
  if (auto set_rank = reinterpret_cast<SetRankFn>(dlsym(RTLD_DEFAULT, "prof_preload_set_rank")))
    set_rank(rank, size, kRankSource);
}

void restart_in_child() noexcept {
  reset_operation_totals();
}

}  // namespace

void start_recording() noexcept {
  if (g_started.exchange(true)) return;
  MPI_Comm comm;
  int rank = -1;
  int size = 0;
  if (find_world(comm) && PROF_MPI_NEXT(MPI_Comm_rank)(comm, &rank) == MPI_SUCCESS &&
      PROF_MPI_NEXT(MPI_Comm_size)(comm, &size) == MPI_SUCCESS && rank >= 0 && size >= 1) {
    g_world.rank = rank;
    g_world.size = size;
    core::meta::set_rank(rank, size, kRankSource);
    confirm_rank_to_shim(rank, size);
  }
  read_library_version();
  pthread_atfork(nullptr, nullptr, restart_in_child);
  core::register_section("mpi", write_mpi_section, nullptr);
}

}  // namespace prof::mpi
