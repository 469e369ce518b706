// The wrappers of the calls in generated_calls.hpp, one per row: under a foreign MPI the call goes straight
// to the library; otherwise a scope and the operation's totals around the real call, with the row's bytes.
#include <mpi.h>

#include "mpi/call_bytes.hpp"
#include "mpi/call_record.hpp"
#include "mpi/generated_calls.hpp"
#include "mpi/library_check.hpp"
#include "mpi/next_function.hpp"

using namespace prof::mpi;  // the bytes expressions of the table name call_bytes.hpp's functions unqualified

#define PROF_MPI_DEFINE_WRAPPER(operation, function, parameters, arguments, bytes) \
  extern "C" int function parameters {                                             \
    if (foreign_library()) [[unlikely]]                                            \
      return PROF_MPI_NEXT(function) arguments;                                    \
    CallRecord<Operation::operation> record;                                       \
    record.count(bytes);                                                           \
    return PROF_MPI_NEXT(function) arguments;                                      \
  }

PROF_MPI_GENERATED_CALLS(PROF_MPI_DEFINE_WRAPPER)
