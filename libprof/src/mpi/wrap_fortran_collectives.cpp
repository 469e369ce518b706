// Broadcast, reductions, gather/scatter, all-to-all and the barrier from Fortran, counted as their C twins
// (generated_calls.hpp, call_bytes.cpp): arguments significant only at the root are read only
// there, Fortran's MPI_IN_PLACE counted as in C (this rank's contribution, read from the receive buffer,
// still goes out in the all-* calls; at a rooted call's root it stays local). Written for intracommunicators,
// like the C wrappers.
#include "mpi/call_record.hpp"
#include "mpi/fortran_binding.hpp"
#include "mpi/library_check.hpp"

using prof::mpi::CallRecord;
using prof::mpi::Operation;
using prof::mpi::fortran::bytes_of;
using prof::mpi::fortran::Fint;
using prof::mpi::fortran::is_buffer;
using prof::mpi::fortran::rank_in;
using prof::mpi::fortran::size_of;

namespace {

// Open MPI's Fortran MPI_ROOT and MPI_PROC_NULL are the C values.
bool is_root(const Fint* root, const Fint* comm) noexcept {
  if (*root == MPI_ROOT) return true;
  if (*root == MPI_PROC_NULL) return false;
  return rank_in(comm) == *root;
}

// A rank that contributes to a rooted call: not the root of an intercommunicator, nor its idle ranks.
bool contributes(const Fint* root) noexcept {
  return *root != MPI_ROOT && *root != MPI_PROC_NULL;
}

std::uint64_t times(std::uint64_t bytes, int ranks) noexcept {
  return ranks > 0 ? bytes * static_cast<unsigned>(ranks) : 0;
}

template <bool, typename Real>
void on_bcast(Real real, void* buffer, const Fint* count, const Fint* type, const Fint* root,
              const Fint* comm, Fint* ierror) {
  if (prof::mpi::foreign_library()) return real(buffer, count, type, root, comm, ierror);
  CallRecord<Operation::bcast> record;
  if (*root != MPI_PROC_NULL) {
    if (is_root(root, comm))
      record.sent(bytes_of(count, type));
    else
      record.received(bytes_of(count, type));
  }
  real(buffer, count, type, root, comm, ierror);
}

template <bool kDescriptors, typename Real>
void on_reduce(Real real, const void* sendbuf, void* recvbuf, const Fint* count, const Fint* type,
               const Fint* op, const Fint* root, const Fint* comm, Fint* ierror) {
  if (prof::mpi::foreign_library()) return real(sendbuf, recvbuf, count, type, op, root, comm, ierror);
  CallRecord<Operation::reduce> record;
  if (*root != MPI_PROC_NULL) {
    if (*root != MPI_ROOT && is_buffer<kDescriptors>(sendbuf)) record.sent(bytes_of(count, type));
    if (is_root(root, comm)) record.received(bytes_of(count, type));
  }
  real(sendbuf, recvbuf, count, type, op, root, comm, ierror);
}

template <bool kDescriptors, typename Real>
void on_allreduce(Real real, const void* sendbuf, void* recvbuf, const Fint* count, const Fint* type,
                  const Fint* op, const Fint* comm, Fint* ierror) {
  if (prof::mpi::foreign_library()) return real(sendbuf, recvbuf, count, type, op, comm, ierror);
  CallRecord<Operation::allreduce> record;
  record.sent(bytes_of(count, type));  // in place too
  record.received(bytes_of(count, type));
  real(sendbuf, recvbuf, count, type, op, comm, ierror);
}

template <bool kDescriptors, typename Real>
void on_reduce_scatter(Real real, const void* sendbuf, void* recvbuf, const Fint* recvcounts,
                       const Fint* type, const Fint* op, const Fint* comm, Fint* ierror) {
  if (prof::mpi::foreign_library()) return real(sendbuf, recvbuf, recvcounts, type, op, comm, ierror);
  CallRecord<Operation::reduce_scatter> record;
  const int rank = rank_in(comm);
  record.sent(bytes_of(recvcounts, size_of(comm), type));  // in place too
  if (rank >= 0) record.received(bytes_of(&recvcounts[rank], type));
  real(sendbuf, recvbuf, recvcounts, type, op, comm, ierror);
}

template <bool kDescriptors, typename Real>
void on_gather(Real real, const void* sendbuf, const Fint* sendcount, const Fint* sendtype, void* recvbuf,
               const Fint* recvcount, const Fint* recvtype, const Fint* root, const Fint* comm,
               Fint* ierror) {
  if (prof::mpi::foreign_library())
    return real(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, ierror);
  CallRecord<Operation::gather> record;
  if (is_buffer<kDescriptors>(sendbuf) && contributes(root)) record.sent(bytes_of(sendcount, sendtype));
  if (is_root(root, comm)) record.received(times(bytes_of(recvcount, recvtype), size_of(comm)));
  real(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, ierror);
}

template <bool kDescriptors, typename Real>
void on_gatherv(Real real, const void* sendbuf, const Fint* sendcount, const Fint* sendtype, void* recvbuf,
                const Fint* recvcounts, const Fint* displs, const Fint* recvtype, const Fint* root,
                const Fint* comm, Fint* ierror) {
  if (prof::mpi::foreign_library())
    return real(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root, comm, ierror);
  CallRecord<Operation::gatherv> record;
  if (is_buffer<kDescriptors>(sendbuf) && contributes(root)) record.sent(bytes_of(sendcount, sendtype));
  if (is_root(root, comm)) record.received(bytes_of(recvcounts, size_of(comm), recvtype));
  real(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root, comm, ierror);
}

template <bool kDescriptors, typename Real>
void on_scatter(Real real, const void* sendbuf, const Fint* sendcount, const Fint* sendtype, void* recvbuf,
                const Fint* recvcount, const Fint* recvtype, const Fint* root, const Fint* comm,
                Fint* ierror) {
  if (prof::mpi::foreign_library())
    return real(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, ierror);
  CallRecord<Operation::scatter> record;
  if (is_root(root, comm)) record.sent(times(bytes_of(sendcount, sendtype), size_of(comm)));
  if (is_buffer<kDescriptors>(recvbuf) && contributes(root)) record.received(bytes_of(recvcount, recvtype));
  real(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, ierror);
}

template <bool kDescriptors, typename Real>
void on_scatterv(Real real, const void* sendbuf, const Fint* sendcounts, const Fint* displs,
                 const Fint* sendtype, void* recvbuf, const Fint* recvcount, const Fint* recvtype,
                 const Fint* root, const Fint* comm, Fint* ierror) {
  if (prof::mpi::foreign_library())
    return real(sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype, root, comm, ierror);
  CallRecord<Operation::scatterv> record;
  if (is_root(root, comm)) record.sent(bytes_of(sendcounts, size_of(comm), sendtype));
  if (is_buffer<kDescriptors>(recvbuf) && contributes(root)) record.received(bytes_of(recvcount, recvtype));
  real(sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype, root, comm, ierror);
}

template <bool kDescriptors, typename Real>
void on_allgather(Real real, const void* sendbuf, const Fint* sendcount, const Fint* sendtype, void* recvbuf,
                  const Fint* recvcount, const Fint* recvtype, const Fint* comm, Fint* ierror) {
  if (prof::mpi::foreign_library())
    return real(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, ierror);
  CallRecord<Operation::allgather> record;
  record.sent(is_buffer<kDescriptors>(sendbuf) ? bytes_of(sendcount, sendtype)
                                               : bytes_of(recvcount, recvtype));
  record.received(times(bytes_of(recvcount, recvtype), size_of(comm)));
  real(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, ierror);
}

template <bool kDescriptors, typename Real>
void on_allgatherv(Real real, const void* sendbuf, const Fint* sendcount, const Fint* sendtype, void* recvbuf,
                   const Fint* recvcounts, const Fint* displs, const Fint* recvtype, const Fint* comm,
                   Fint* ierror) {
  if (prof::mpi::foreign_library())
    return real(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, comm, ierror);
  CallRecord<Operation::allgatherv> record;
  if (is_buffer<kDescriptors>(sendbuf))
    record.sent(bytes_of(sendcount, sendtype));
  else if (const int rank = rank_in(comm); rank >= 0)
    record.sent(bytes_of(&recvcounts[rank], recvtype));
  record.received(bytes_of(recvcounts, size_of(comm), recvtype));
  real(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, comm, ierror);
}

template <bool kDescriptors, typename Real>
void on_alltoall(Real real, const void* sendbuf, const Fint* sendcount, const Fint* sendtype, void* recvbuf,
                 const Fint* recvcount, const Fint* recvtype, const Fint* comm, Fint* ierror) {
  if (prof::mpi::foreign_library())
    return real(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, ierror);
  CallRecord<Operation::alltoall> record;
  const int ranks = size_of(comm);
  record.sent(
      times(is_buffer<kDescriptors>(sendbuf) ? bytes_of(sendcount, sendtype) : bytes_of(recvcount, recvtype),
            ranks));
  record.received(times(bytes_of(recvcount, recvtype), ranks));
  real(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, ierror);
}

template <bool kDescriptors, typename Real>
void on_alltoallv(Real real, const void* sendbuf, const Fint* sendcounts, const Fint* sdispls,
                  const Fint* sendtype, void* recvbuf, const Fint* recvcounts, const Fint* rdispls,
                  const Fint* recvtype, const Fint* comm, Fint* ierror) {
  if (prof::mpi::foreign_library())
    return real(sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls, recvtype, comm, ierror);
  CallRecord<Operation::alltoallv> record;
  const int ranks = size_of(comm);
  record.sent(is_buffer<kDescriptors>(sendbuf) ? bytes_of(sendcounts, ranks, sendtype)
                                               : bytes_of(recvcounts, ranks, recvtype));
  record.received(bytes_of(recvcounts, ranks, recvtype));
  real(sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls, recvtype, comm, ierror);
}

template <bool, typename Real>
void on_barrier(Real real, const Fint* comm, Fint* ierror) {
  if (prof::mpi::foreign_library()) return real(comm, ierror);
  CallRecord<Operation::barrier> record;
  real(comm, ierror);
}

}  // namespace

PROF_MPI_FORTRAN_BUFFERS(mpi_bcast, MPI_BCAST, on_bcast,
                         (void* buffer, const Fint* count, const Fint* type, const Fint* root,
                          const Fint* comm, Fint* ierror),
                         buffer, count, type, root, comm, ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_reduce, MPI_REDUCE, on_reduce,
                         (const void* sendbuf, void* recvbuf, const Fint* count, const Fint* type,
                          const Fint* op, const Fint* root, const Fint* comm, Fint* ierror),
                         sendbuf, recvbuf, count, type, op, root, comm, ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_allreduce, MPI_ALLREDUCE, on_allreduce,
                         (const void* sendbuf, void* recvbuf, const Fint* count, const Fint* type,
                          const Fint* op, const Fint* comm, Fint* ierror),
                         sendbuf, recvbuf, count, type, op, comm, ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_reduce_scatter, MPI_REDUCE_SCATTER, on_reduce_scatter,
                         (const void* sendbuf, void* recvbuf, const Fint* recvcounts, const Fint* type,
                          const Fint* op, const Fint* comm, Fint* ierror),
                         sendbuf, recvbuf, recvcounts, type, op, comm, ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_gather, MPI_GATHER, on_gather,
                         (const void* sendbuf, const Fint* sendcount, const Fint* sendtype, void* recvbuf,
                          const Fint* recvcount, const Fint* recvtype, const Fint* root, const Fint* comm,
                          Fint* ierror),
                         sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_gatherv, MPI_GATHERV, on_gatherv,
                         (const void* sendbuf, const Fint* sendcount, const Fint* sendtype, void* recvbuf,
                          const Fint* recvcounts, const Fint* displs, const Fint* recvtype, const Fint* root,
                          const Fint* comm, Fint* ierror),
                         sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root, comm,
                         ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_scatter, MPI_SCATTER, on_scatter,
                         (const void* sendbuf, const Fint* sendcount, const Fint* sendtype, void* recvbuf,
                          const Fint* recvcount, const Fint* recvtype, const Fint* root, const Fint* comm,
                          Fint* ierror),
                         sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_scatterv, MPI_SCATTERV, on_scatterv,
                         (const void* sendbuf, const Fint* sendcounts, const Fint* displs,
                          const Fint* sendtype, void* recvbuf, const Fint* recvcount, const Fint* recvtype,
                          const Fint* root, const Fint* comm, Fint* ierror),
                         sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype, root, comm,
                         ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_allgather, MPI_ALLGATHER, on_allgather,
                         (const void* sendbuf, const Fint* sendcount, const Fint* sendtype, void* recvbuf,
                          const Fint* recvcount, const Fint* recvtype, const Fint* comm, Fint* ierror),
                         sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_allgatherv, MPI_ALLGATHERV, on_allgatherv,
                         (const void* sendbuf, const Fint* sendcount, const Fint* sendtype, void* recvbuf,
                          const Fint* recvcounts, const Fint* displs, const Fint* recvtype, const Fint* comm,
                          Fint* ierror),
                         sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, comm, ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_alltoall, MPI_ALLTOALL, on_alltoall,
                         (const void* sendbuf, const Fint* sendcount, const Fint* sendtype, void* recvbuf,
                          const Fint* recvcount, const Fint* recvtype, const Fint* comm, Fint* ierror),
                         sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, ierror)
PROF_MPI_FORTRAN_BUFFERS(mpi_alltoallv, MPI_ALLTOALLV, on_alltoallv,
                         (const void* sendbuf, const Fint* sendcounts, const Fint* sdispls,
                          const Fint* sendtype, void* recvbuf, const Fint* recvcounts, const Fint* rdispls,
                          const Fint* recvtype, const Fint* comm, Fint* ierror),
                         sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls, recvtype, comm,
                         ierror)
PROF_MPI_FORTRAN(mpi_barrier, MPI_BARRIER, on_barrier, (const Fint* comm, Fint* ierror), comm, ierror)
