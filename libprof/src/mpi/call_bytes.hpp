#pragma once
// The bytes one MPI call moves on this rank, by the shape of its arguments (docs/SNAPSHOT.md, `mpi`), shared
// by the blocking and nonblocking twins of a collective so both count alike. Arguments significant only at
// the root are read only there; MPI_IN_PLACE counted as the blocking wrappers do (the all-* calls still send
// this rank's contribution, read from the receive buffer). Written for intracommunicators, plus MPI_ROOT and
// MPI_PROC_NULL as the root of an intercommunicator's rooted call.

#include <mpi.h>

#include <cstdint>

namespace prof::mpi {

struct Bytes {
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
};

Bytes sent_bytes(int count, MPI_Datatype type) noexcept;
Bytes received_bytes(int count, MPI_Datatype type) noexcept;
Bytes both_bytes(int count, MPI_Datatype type) noexcept;  // allreduce, scan, exscan
Bytes sendrecv_bytes(int sendcount, MPI_Datatype sendtype, int recvcount, MPI_Datatype recvtype) noexcept;
Bytes bcast_bytes(int count, MPI_Datatype type, int root, MPI_Comm comm) noexcept;
Bytes reduce_bytes(const void* sendbuf, int count, MPI_Datatype type, int root, MPI_Comm comm) noexcept;
Bytes reduce_scatter_bytes(const int recvcounts[], MPI_Datatype type, MPI_Comm comm) noexcept;
Bytes reduce_scatter_block_bytes(int recvcount, MPI_Datatype type, MPI_Comm comm) noexcept;
Bytes gather_bytes(const void* sendbuf, int sendcount, MPI_Datatype sendtype, int recvcount,
                   MPI_Datatype recvtype, int root, MPI_Comm comm) noexcept;
Bytes gatherv_bytes(const void* sendbuf, int sendcount, MPI_Datatype sendtype, const int recvcounts[],
                    MPI_Datatype recvtype, int root, MPI_Comm comm) noexcept;
Bytes scatter_bytes(int sendcount, MPI_Datatype sendtype, const void* recvbuf, int recvcount,
                    MPI_Datatype recvtype, int root, MPI_Comm comm) noexcept;
Bytes scatterv_bytes(const int sendcounts[], MPI_Datatype sendtype, const void* recvbuf, int recvcount,
                     MPI_Datatype recvtype, int root, MPI_Comm comm) noexcept;
Bytes allgather_bytes(const void* sendbuf, int sendcount, MPI_Datatype sendtype, int recvcount,
                      MPI_Datatype recvtype, MPI_Comm comm) noexcept;
Bytes allgatherv_bytes(const void* sendbuf, int sendcount, MPI_Datatype sendtype, const int recvcounts[],
                       MPI_Datatype recvtype, MPI_Comm comm) noexcept;
Bytes alltoall_bytes(const void* sendbuf, int sendcount, MPI_Datatype sendtype, int recvcount,
                     MPI_Datatype recvtype, MPI_Comm comm) noexcept;
Bytes alltoallv_bytes(const void* sendbuf, const int sendcounts[], MPI_Datatype sendtype,
                      const int recvcounts[], MPI_Datatype recvtype, MPI_Comm comm) noexcept;

}  // namespace prof::mpi
