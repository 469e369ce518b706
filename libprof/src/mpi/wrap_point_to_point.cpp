// Point-to-point calls: bytes are the count x type size of the buffer this rank passed (for a receive, the
// buffer's capacity as given, which bounds what arrives).
#include <mpi.h>

#include "mpi/byte_counts.hpp"
#include "mpi/call_record.hpp"
#include "mpi/library_check.hpp"
#include "mpi/next_function.hpp"

using prof::mpi::bytes_of;
using prof::mpi::CallRecord;
using prof::mpi::Operation;

extern "C" int MPI_Send(const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Send, buf, count, type, dest, tag, comm);
  CallRecord<Operation::send> record;
  record.sent(bytes_of(count, type));
  return PROF_MPI_NEXT(MPI_Send)(buf, count, type, dest, tag, comm);
}

extern "C" int MPI_Recv(void* buf, int count, MPI_Datatype type, int source, int tag, MPI_Comm comm,
                        MPI_Status* status) {
  PROF_MPI_STEP_ASIDE(MPI_Recv, buf, count, type, source, tag, comm, status);
  CallRecord<Operation::recv> record;
  record.received(bytes_of(count, type));
  return PROF_MPI_NEXT(MPI_Recv)(buf, count, type, source, tag, comm, status);
}

extern "C" int MPI_Isend(const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm,
                         MPI_Request* request) {
  PROF_MPI_STEP_ASIDE(MPI_Isend, buf, count, type, dest, tag, comm, request);
  CallRecord<Operation::isend> record;
  record.sent(bytes_of(count, type));
  return PROF_MPI_NEXT(MPI_Isend)(buf, count, type, dest, tag, comm, request);
}

extern "C" int MPI_Irecv(void* buf, int count, MPI_Datatype type, int source, int tag, MPI_Comm comm,
                         MPI_Request* request) {
  PROF_MPI_STEP_ASIDE(MPI_Irecv, buf, count, type, source, tag, comm, request);
  CallRecord<Operation::irecv> record;
  record.received(bytes_of(count, type));
  return PROF_MPI_NEXT(MPI_Irecv)(buf, count, type, source, tag, comm, request);
}

extern "C" int MPI_Sendrecv(const void* sendbuf, int sendcount, MPI_Datatype sendtype, int dest, int sendtag,
                            void* recvbuf, int recvcount, MPI_Datatype recvtype, int source, int recvtag,
                            MPI_Comm comm, MPI_Status* status) {
  PROF_MPI_STEP_ASIDE(MPI_Sendrecv, sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount, recvtype,
                      source, recvtag, comm, status);
  CallRecord<Operation::sendrecv> record;
  record.sent(bytes_of(sendcount, sendtype));
  record.received(bytes_of(recvcount, recvtype));
  return PROF_MPI_NEXT(MPI_Sendrecv)(sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount,
                                     recvtype, source, recvtag, comm, status);
}

extern "C" int MPI_Probe(int source, int tag, MPI_Comm comm, MPI_Status* status) {
  PROF_MPI_STEP_ASIDE(MPI_Probe, source, tag, comm, status);
  CallRecord<Operation::probe> record;
  return PROF_MPI_NEXT(MPI_Probe)(source, tag, comm, status);
}
