// Point-to-point and completion calls from Fortran, counted as their C twins (generated_calls.hpp,
// call_bytes.cpp): the buffer's count x type size; completions count calls and time only.
#include "mpi/call_record.hpp"
#include "mpi/fortran_binding.hpp"
#include "mpi/library_check.hpp"

using prof::mpi::CallRecord;
using prof::mpi::Operation;
using prof::mpi::fortran::bytes_of;
using prof::mpi::fortran::Fint;

namespace {

// Send, Isend (kSend) and Recv, Irecv: the rest of the arguments are passed on untouched.
template <Operation kOperation, bool kSend, typename Real, typename Buffer, typename... Rest>
void point_to_point(Real real, Buffer buf, const Fint* count, const Fint* type, Rest... rest) {
  if (prof::mpi::foreign_library()) return real(buf, count, type, rest...);
  CallRecord<kOperation> record;
  if constexpr (kSend)
    record.sent(bytes_of(count, type));
  else
    record.received(bytes_of(count, type));
  real(buf, count, type, rest...);
}

template <bool, typename Real>
void on_send(Real real, const void* buf, const Fint* count, const Fint* type, const Fint* dest,
             const Fint* tag, const Fint* comm, Fint* ierror) {
  point_to_point<Operation::send, true>(real, buf, count, type, dest, tag, comm, ierror);
}

template <bool, typename Real>
void on_recv(Real real, void* buf, const Fint* count, const Fint* type, const Fint* source, const Fint* tag,
             const Fint* comm, Fint* status, Fint* ierror) {
  point_to_point<Operation::recv, false>(real, buf, count, type, source, tag, comm, status, ierror);
}

template <bool, typename Real>
void on_isend(Real real, const void* buf, const Fint* count, const Fint* type, const Fint* dest,
              const Fint* tag, const Fint* comm, Fint* request, Fint* ierror) {
  point_to_point<Operation::isend, true>(real, buf, count, type, dest, tag, comm, request, ierror);
}

template <bool, typename Real>
void on_irecv(Real real, void* buf, const Fint* count, const Fint* type, const Fint* source, const Fint* tag,
              const Fint* comm, Fint* request, Fint* ierror) {
  point_to_point<Operation::irecv, false>(real, buf, count, type, source, tag, comm, request, ierror);
}

template <bool, typename Real>
void on_sendrecv(Real real, const void* sendbuf, const Fint* sendcount, const Fint* sendtype,
                 const Fint* dest, const Fint* sendtag, void* recvbuf, const Fint* recvcount,
                 const Fint* recvtype, const Fint* source, const Fint* recvtag, const Fint* comm,
                 Fint* status, Fint* ierror) {
  if (prof::mpi::foreign_library())
    return real(sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount, recvtype, source, recvtag,
                comm, status, ierror);
  CallRecord<Operation::sendrecv> record;
  record.sent(bytes_of(sendcount, sendtype));
  record.received(bytes_of(recvcount, recvtype));
  real(sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount, recvtype, source, recvtag, comm,
       status, ierror);
}

// Calls without a buffer: time and calls only.
template <Operation kOperation>
struct Timed {
  template <bool, typename Real, typename... Arguments>
  static void call(Real real, Arguments... arguments) {
    if (prof::mpi::foreign_library()) return real(arguments...);
    CallRecord<kOperation> record;
    real(arguments...);
  }
};

}  // namespace

PROF_MPI_FORTRAN_BUFFERS(mpi_send, MPI_SEND, on_send,
                         (const void* buf, const Fint* count, const Fint* type, const Fint* dest,
                          const Fint* tag, const Fint* comm, Fint* ierror),
                         buf, count, type, dest, tag, comm, ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_recv, MPI_RECV, on_recv,
                         (void* buf, const Fint* count, const Fint* type, const Fint* source, const Fint* tag,
                          const Fint* comm, Fint* status, Fint* ierror),
                         buf, count, type, source, tag, comm, status, ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_isend, MPI_ISEND, on_isend,
                         (const void* buf, const Fint* count, const Fint* type, const Fint* dest,
                          const Fint* tag, const Fint* comm, Fint* request, Fint* ierror),
                         buf, count, type, dest, tag, comm, request, ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_irecv, MPI_IRECV, on_irecv,
                         (void* buf, const Fint* count, const Fint* type, const Fint* source, const Fint* tag,
                          const Fint* comm, Fint* request, Fint* ierror),
                         buf, count, type, source, tag, comm, request, ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_sendrecv, MPI_SENDRECV, on_sendrecv,
                         (const void* sendbuf, const Fint* sendcount, const Fint* sendtype, const Fint* dest,
                          const Fint* sendtag, void* recvbuf, const Fint* recvcount, const Fint* recvtype,
                          const Fint* source, const Fint* recvtag, const Fint* comm, Fint* status,
                          Fint* ierror),
                         sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount, recvtype, source,
                         recvtag, comm, status, ierror)
PROF_MPI_FORTRAN(mpi_probe, MPI_PROBE, Timed<Operation::probe>::call,
                 (const Fint* source, const Fint* tag, const Fint* comm, Fint* status, Fint* ierror), source,
                 tag, comm, status, ierror)
PROF_MPI_FORTRAN(mpi_wait, MPI_WAIT, Timed<Operation::wait>::call,
                 (Fint * request, Fint* status, Fint* ierror), request, status, ierror)
PROF_MPI_FORTRAN(mpi_waitall, MPI_WAITALL, Timed<Operation::waitall>::call,
                 (const Fint* count, Fint* requests, Fint* statuses, Fint* ierror), count, requests, statuses,
                 ierror)
PROF_MPI_FORTRAN(mpi_waitany, MPI_WAITANY, Timed<Operation::waitany>::call,
                 (const Fint* count, Fint* requests, Fint* index, Fint* status, Fint* ierror), count,
                 requests, index, status, ierror)
PROF_MPI_FORTRAN(mpi_waitsome, MPI_WAITSOME, Timed<Operation::waitsome>::call,
                 (const Fint* incount, Fint* requests, Fint* outcount, Fint* indices, Fint* statuses,
                  Fint* ierror),
                 incount, requests, outcount, indices, statuses, ierror)
PROF_MPI_FORTRAN(mpi_test, MPI_TEST, Timed<Operation::test>::call,
                 (Fint * request, Fint* flag, Fint* status, Fint* ierror), request, flag, status, ierror)
