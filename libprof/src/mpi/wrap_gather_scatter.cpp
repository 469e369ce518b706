// Gather, scatter and all-to-all calls. A rank's bytes are those of the buffers it passed: the root's gather
// buffer holds recvcount elements from each of the communicator's ranks (or the sum of recvcounts for the v
// variants); arguments significant only at the root are read only there. With MPI_IN_PLACE, the all-gather
// and all-to-all calls still send this rank's contribution (its block of the receive buffer, described by
// the receive count and type); at a gather's or scatter's root the root's own block stays local. Written for
// intracommunicators.
#include <mpi.h>

#include "mpi/byte_counts.hpp"
#include "mpi/call_record.hpp"
#include "mpi/library_check.hpp"
#include "mpi/next_function.hpp"

using prof::mpi::bytes_of;
using prof::mpi::CallRecord;
using prof::mpi::is_buffer;
using prof::mpi::Operation;
using prof::mpi::rank_in;
using prof::mpi::size_of;

namespace {

bool is_root(int root, MPI_Comm comm) noexcept {
  return root == MPI_ROOT || (root != MPI_PROC_NULL && rank_in(comm) == root);
}

}  // namespace

extern "C" int MPI_Gather(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf,
                          int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Gather, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm);
  CallRecord<Operation::gather> record;
  if (is_buffer(sendbuf) && root != MPI_ROOT && root != MPI_PROC_NULL)
    record.sent(bytes_of(sendcount, sendtype));
  if (is_root(root, comm))
    record.received(bytes_of(recvcount, recvtype) * static_cast<unsigned>(size_of(comm)));
  return PROF_MPI_NEXT(MPI_Gather)(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm);
}

extern "C" int MPI_Gatherv(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf,
                           const int recvcounts[], const int displs[], MPI_Datatype recvtype, int root,
                           MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Gatherv, sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root,
                      comm);
  CallRecord<Operation::gatherv> record;
  if (is_buffer(sendbuf) && root != MPI_ROOT && root != MPI_PROC_NULL)
    record.sent(bytes_of(sendcount, sendtype));
  if (is_root(root, comm)) record.received(bytes_of(recvcounts, size_of(comm), recvtype));
  return PROF_MPI_NEXT(MPI_Gatherv)(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root,
                                    comm);
}

extern "C" int MPI_Scatter(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf,
                           int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Scatter, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm);
  CallRecord<Operation::scatter> record;
  if (is_root(root, comm)) record.sent(bytes_of(sendcount, sendtype) * static_cast<unsigned>(size_of(comm)));
  if (is_buffer(recvbuf) && root != MPI_ROOT && root != MPI_PROC_NULL)
    record.received(bytes_of(recvcount, recvtype));
  return PROF_MPI_NEXT(MPI_Scatter)(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm);
}

extern "C" int MPI_Scatterv(const void* sendbuf, const int sendcounts[], const int displs[],
                            MPI_Datatype sendtype, void* recvbuf, int recvcount, MPI_Datatype recvtype,
                            int root, MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Scatterv, sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype, root,
                      comm);
  CallRecord<Operation::scatterv> record;
  if (is_root(root, comm)) record.sent(bytes_of(sendcounts, size_of(comm), sendtype));
  if (is_buffer(recvbuf) && root != MPI_ROOT && root != MPI_PROC_NULL)
    record.received(bytes_of(recvcount, recvtype));
  return PROF_MPI_NEXT(MPI_Scatterv)(sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype,
                                     root, comm);
}

extern "C" int MPI_Allgather(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf,
                             int recvcount, MPI_Datatype recvtype, MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Allgather, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm);
  CallRecord<Operation::allgather> record;
  record.sent(is_buffer(sendbuf) ? bytes_of(sendcount, sendtype) : bytes_of(recvcount, recvtype));
  record.received(bytes_of(recvcount, recvtype) * static_cast<unsigned>(size_of(comm)));
  return PROF_MPI_NEXT(MPI_Allgather)(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm);
}

extern "C" int MPI_Allgatherv(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf,
                              const int recvcounts[], const int displs[], MPI_Datatype recvtype,
                              MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Allgatherv, sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype,
                      comm);
  CallRecord<Operation::allgatherv> record;
  if (is_buffer(sendbuf))
    record.sent(bytes_of(sendcount, sendtype));
  else if (const int rank = rank_in(comm); rank >= 0)
    record.sent(bytes_of(recvcounts[rank], recvtype));
  record.received(bytes_of(recvcounts, size_of(comm), recvtype));
  return PROF_MPI_NEXT(MPI_Allgatherv)(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype,
                                       comm);
}

extern "C" int MPI_Alltoall(const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf,
                            int recvcount, MPI_Datatype recvtype, MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Alltoall, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm);
  CallRecord<Operation::alltoall> record;
  const auto ranks = static_cast<unsigned>(size_of(comm));
  record.sent((is_buffer(sendbuf) ? bytes_of(sendcount, sendtype) : bytes_of(recvcount, recvtype)) * ranks);
  record.received(bytes_of(recvcount, recvtype) * ranks);
  return PROF_MPI_NEXT(MPI_Alltoall)(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm);
}

extern "C" int MPI_Alltoallv(const void* sendbuf, const int sendcounts[], const int sdispls[],
                             MPI_Datatype sendtype, void* recvbuf, const int recvcounts[],
                             const int rdispls[], MPI_Datatype recvtype, MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Alltoallv, sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls,
                      recvtype, comm);
  CallRecord<Operation::alltoallv> record;
  const int ranks = size_of(comm);
  record.sent(is_buffer(sendbuf) ? bytes_of(sendcounts, ranks, sendtype)
                                 : bytes_of(recvcounts, ranks, recvtype));
  record.received(bytes_of(recvcounts, ranks, recvtype));
  return PROF_MPI_NEXT(MPI_Alltoallv)(sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls,
                                      recvtype, comm);
}
