// Completion of non-blocking calls: time and calls only (their bytes were counted when they were posted).
#include <mpi.h>

#include "mpi/call_record.hpp"
#include "mpi/library_check.hpp"
#include "mpi/next_function.hpp"

using prof::mpi::CallRecord;
using prof::mpi::Operation;

extern "C" int MPI_Wait(MPI_Request* request, MPI_Status* status) {
  PROF_MPI_STEP_ASIDE(MPI_Wait, request, status);
  CallRecord<Operation::wait> record;
  return PROF_MPI_NEXT(MPI_Wait)(request, status);
}

extern "C" int MPI_Waitall(int count, MPI_Request requests[], MPI_Status* statuses) {
  PROF_MPI_STEP_ASIDE(MPI_Waitall, count, requests, statuses);
  CallRecord<Operation::waitall> record;
  return PROF_MPI_NEXT(MPI_Waitall)(count, requests, statuses);
}

extern "C" int MPI_Waitany(int count, MPI_Request requests[], int* index, MPI_Status* status) {
  PROF_MPI_STEP_ASIDE(MPI_Waitany, count, requests, index, status);
  CallRecord<Operation::waitany> record;
  return PROF_MPI_NEXT(MPI_Waitany)(count, requests, index, status);
}

extern "C" int MPI_Waitsome(int incount, MPI_Request requests[], int* outcount, int indices[],
                            MPI_Status statuses[]) {
  PROF_MPI_STEP_ASIDE(MPI_Waitsome, incount, requests, outcount, indices, statuses);
  CallRecord<Operation::waitsome> record;
  return PROF_MPI_NEXT(MPI_Waitsome)(incount, requests, outcount, indices, statuses);
}

extern "C" int MPI_Test(MPI_Request* request, int* flag, MPI_Status* status) {
  PROF_MPI_STEP_ASIDE(MPI_Test, request, flag, status);
  CallRecord<Operation::test> record;
  return PROF_MPI_NEXT(MPI_Test)(request, flag, status);
}
