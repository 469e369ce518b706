// Broadcast, reductions and the barrier. Arguments the standard calls significant only at the root are read
// only there. MPI_IN_PLACE in an all-to-all-style call (Allreduce, Reduce_scatter) still sends this rank's
// contribution, taken from the receive buffer; at a rooted call's root it stays local. Intercommunicators:
// the root passes MPI_ROOT (it sends), the other ranks of its group MPI_PROC_NULL (nothing moves for them).
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

namespace {

// Whether this rank is the root of a rooted collective: MPI_ROOT on an intercommunicator, or its own rank.
bool is_root(int root, MPI_Comm comm) noexcept {
  if (root == MPI_ROOT) return true;
  if (root == MPI_PROC_NULL) return false;
  return rank_in(comm) == root;
}

}  // namespace

extern "C" int MPI_Bcast(void* buffer, int count, MPI_Datatype type, int root, MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Bcast, buffer, count, type, root, comm);
  CallRecord<Operation::bcast> record;
  if (root != MPI_PROC_NULL) {
    if (is_root(root, comm))
      record.sent(bytes_of(count, type));
    else
      record.received(bytes_of(count, type));
  }
  return PROF_MPI_NEXT(MPI_Bcast)(buffer, count, type, root, comm);
}

extern "C" int MPI_Reduce(const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op,
                          int root, MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Reduce, sendbuf, recvbuf, count, type, op, root, comm);
  CallRecord<Operation::reduce> record;
  if (root != MPI_PROC_NULL) {
    const bool root_here = is_root(root, comm);
    if (root != MPI_ROOT && is_buffer(sendbuf)) record.sent(bytes_of(count, type));
    if (root_here) record.received(bytes_of(count, type));
  }
  return PROF_MPI_NEXT(MPI_Reduce)(sendbuf, recvbuf, count, type, op, root, comm);
}

extern "C" int MPI_Allreduce(const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op,
                             MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Allreduce, sendbuf, recvbuf, count, type, op, comm);
  CallRecord<Operation::allreduce> record;
  record.sent(bytes_of(count, type));  // in place too: the contribution is read from recvbuf
  record.received(bytes_of(count, type));
  return PROF_MPI_NEXT(MPI_Allreduce)(sendbuf, recvbuf, count, type, op, comm);
}

extern "C" int MPI_Reduce_scatter(const void* sendbuf, void* recvbuf, const int recvcounts[],
                                  MPI_Datatype type, MPI_Op op, MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Reduce_scatter, sendbuf, recvbuf, recvcounts, type, op, comm);
  CallRecord<Operation::reduce_scatter> record;
  const int rank = rank_in(comm);
  record.sent(bytes_of(recvcounts, prof::mpi::size_of(comm), type));  // in place too
  if (rank >= 0) record.received(bytes_of(recvcounts[rank], type));
  return PROF_MPI_NEXT(MPI_Reduce_scatter)(sendbuf, recvbuf, recvcounts, type, op, comm);
}

extern "C" int MPI_Barrier(MPI_Comm comm) {
  PROF_MPI_STEP_ASIDE(MPI_Barrier, comm);
  CallRecord<Operation::barrier> record;
  return PROF_MPI_NEXT(MPI_Barrier)(comm);
}
