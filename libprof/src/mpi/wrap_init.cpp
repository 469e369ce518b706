// MPI_Init, MPI_Init_thread, MPI_Finalize: the process's MPI life. Recording starts once MPI is initialised.
#include <mpi.h>

#include "mpi/call_record.hpp"
#include "mpi/library_check.hpp"
#include "mpi/next_function.hpp"
#include "mpi/start_recording.hpp"

using prof::mpi::CallRecord;
using prof::mpi::Operation;

extern "C" int MPI_Init(int* argc, char*** argv) {
  PROF_MPI_STEP_ASIDE(MPI_Init, argc, argv);
  int result;
  {
    CallRecord<Operation::init> record;
    result = PROF_MPI_NEXT(MPI_Init)(argc, argv);
  }
  if (result == MPI_SUCCESS) prof::mpi::start_recording();
  return result;
}

extern "C" int MPI_Init_thread(int* argc, char*** argv, int required, int* provided) {
  PROF_MPI_STEP_ASIDE(MPI_Init_thread, argc, argv, required, provided);
  int result;
  {
    CallRecord<Operation::init_thread> record;
    result = PROF_MPI_NEXT(MPI_Init_thread)(argc, argv, required, provided);
  }
  if (result == MPI_SUCCESS) prof::mpi::start_recording();
  return result;
}

extern "C" int MPI_Finalize() {
  PROF_MPI_STEP_ASIDE(MPI_Finalize);
  CallRecord<Operation::finalize> record;
  return PROF_MPI_NEXT(MPI_Finalize)();
}
