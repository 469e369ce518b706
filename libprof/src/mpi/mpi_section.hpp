#pragma once
// The snapshot's `mpi` section (docs/SNAPSHOT.md): the MPI library, this rank, and the totals of every
// operation the process called. Registered with libprof's core once MPI is initialised, so a process that
// never initialises MPI has no `mpi` section.

namespace prof::core {
class JsonWriter;
}

namespace prof::mpi {

struct WorldInfo {
  long rank = -1;
  long size = -1;
  char library[256] = {};  // first line of MPI_Get_library_version
};

// Set by start_recording() before the section is registered.
extern WorldInfo g_world;

void write_mpi_section(core::JsonWriter& out, void* context) noexcept;

}  // namespace prof::mpi
