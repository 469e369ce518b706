// MPI_Init, MPI_Init_thread, MPI_Finalize from Fortran: recording starts once MPI is initialised, as from C.
#include "mpi/call_record.hpp"
#include "mpi/fortran_binding.hpp"
#include "mpi/library_check.hpp"
#include "mpi/start_recording.hpp"

using prof::mpi::CallRecord;
using prof::mpi::Operation;
using prof::mpi::fortran::Fint;
using prof::mpi::fortran::succeeded;

namespace {

// `use mpi_f08` may leave ierror out: then MPI itself says whether it is initialised.
bool initialised(const Fint* ierror) noexcept {
  if (ierror != nullptr) return succeeded(ierror);
  int flag = 0;
  return PROF_MPI_NEXT(MPI_Initialized)(&flag) == MPI_SUCCESS && flag != 0;
}

template <bool, typename Real>
void on_init(Real real, Fint* ierror) {
  if (prof::mpi::foreign_library()) return real(ierror);
  {
    CallRecord<Operation::init> record;
    real(ierror);
  }
  if (initialised(ierror)) prof::mpi::start_recording();
}

template <bool, typename Real>
void on_init_thread(Real real, const Fint* required, Fint* provided, Fint* ierror) {
  if (prof::mpi::foreign_library()) return real(required, provided, ierror);
  {
    CallRecord<Operation::init_thread> record;
    real(required, provided, ierror);
  }
  if (initialised(ierror)) prof::mpi::start_recording();
}

template <bool, typename Real>
void on_finalize(Real real, Fint* ierror) {
  if (prof::mpi::foreign_library()) return real(ierror);
  CallRecord<Operation::finalize> record;
  real(ierror);
}

}  // namespace

PROF_MPI_FORTRAN(mpi_init, MPI_INIT, on_init, (Fint * ierror), ierror)
PROF_MPI_FORTRAN(mpi_init_thread, MPI_INIT_THREAD, on_init_thread,
                 (const Fint* required, Fint* provided, Fint* ierror), required, provided, ierror)
PROF_MPI_FORTRAN(mpi_finalize, MPI_FINALIZE, on_finalize, (Fint * ierror), ierror)
