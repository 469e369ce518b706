#include "mpi/call_bytes.hpp"

#include "mpi/byte_counts.hpp"

namespace prof::mpi {

namespace {

bool is_root(int root, MPI_Comm comm) noexcept {
  if (root == MPI_ROOT) return true;
  if (root == MPI_PROC_NULL) return false;
  return rank_in(comm) == root;
}

// A rank that contributes to a rooted call: not the root of an intercommunicator, nor its idle ranks.
bool contributes(int root) noexcept {
  return root != MPI_ROOT && root != MPI_PROC_NULL;
}

std::uint64_t times(std::uint64_t bytes, int ranks) noexcept {
  return ranks > 0 ? bytes * static_cast<unsigned>(ranks) : 0;
}

}  // namespace

Bytes sent_bytes(int count, MPI_Datatype type) noexcept {
  return {bytes_of(count, type), 0};
}

Bytes received_bytes(int count, MPI_Datatype type) noexcept {
  return {0, bytes_of(count, type)};
}

Bytes both_bytes(int count, MPI_Datatype type) noexcept {
  const std::uint64_t bytes = bytes_of(count, type);
  return {bytes, bytes};
}

Bytes sendrecv_bytes(int sendcount, MPI_Datatype sendtype, int recvcount, MPI_Datatype recvtype) noexcept {
  return {bytes_of(sendcount, sendtype), bytes_of(recvcount, recvtype)};
}

Bytes bcast_bytes(int count, MPI_Datatype type, int root, MPI_Comm comm) noexcept {
  if (root == MPI_PROC_NULL) return {};
  return is_root(root, comm) ? sent_bytes(count, type) : received_bytes(count, type);
}

Bytes reduce_bytes(const void* sendbuf, int count, MPI_Datatype type, int root, MPI_Comm comm) noexcept {
  Bytes bytes;
  if (root == MPI_PROC_NULL) return bytes;
  if (root != MPI_ROOT && is_buffer(sendbuf)) bytes.sent = bytes_of(count, type);
  if (is_root(root, comm)) bytes.received = bytes_of(count, type);
  return bytes;
}

Bytes reduce_scatter_bytes(const int recvcounts[], MPI_Datatype type, MPI_Comm comm) noexcept {
  const int rank = rank_in(comm);
  return {bytes_of(recvcounts, size_of(comm), type), rank >= 0 ? bytes_of(recvcounts[rank], type) : 0};
}

Bytes reduce_scatter_block_bytes(int recvcount, MPI_Datatype type, MPI_Comm comm) noexcept {
  return {times(bytes_of(recvcount, type), size_of(comm)), bytes_of(recvcount, type)};
}

Bytes gather_bytes(const void* sendbuf, int sendcount, MPI_Datatype sendtype, int recvcount,
                   MPI_Datatype recvtype, int root, MPI_Comm comm) noexcept {
  Bytes bytes;
  if (is_buffer(sendbuf) && contributes(root)) bytes.sent = bytes_of(sendcount, sendtype);
  if (is_root(root, comm)) bytes.received = times(bytes_of(recvcount, recvtype), size_of(comm));
  return bytes;
}

Bytes gatherv_bytes(const void* sendbuf, int sendcount, MPI_Datatype sendtype, const int recvcounts[],
                    MPI_Datatype recvtype, int root, MPI_Comm comm) noexcept {
  Bytes bytes;
  if (is_buffer(sendbuf) && contributes(root)) bytes.sent = bytes_of(sendcount, sendtype);
  if (is_root(root, comm)) bytes.received = bytes_of(recvcounts, size_of(comm), recvtype);
  return bytes;
}

Bytes scatter_bytes(int sendcount, MPI_Datatype sendtype, const void* recvbuf, int recvcount,
                    MPI_Datatype recvtype, int root, MPI_Comm comm) noexcept {
  Bytes bytes;
  if (is_root(root, comm)) bytes.sent = times(bytes_of(sendcount, sendtype), size_of(comm));
  if (is_buffer(recvbuf) && contributes(root)) bytes.received = bytes_of(recvcount, recvtype);
  return bytes;
}

Bytes scatterv_bytes(const int sendcounts[], MPI_Datatype sendtype, const void* recvbuf, int recvcount,
                     MPI_Datatype recvtype, int root, MPI_Comm comm) noexcept {
  Bytes bytes;
  if (is_root(root, comm)) bytes.sent = bytes_of(sendcounts, size_of(comm), sendtype);
  if (is_buffer(recvbuf) && contributes(root)) bytes.received = bytes_of(recvcount, recvtype);
  return bytes;
}

Bytes allgather_bytes(const void* sendbuf, int sendcount, MPI_Datatype sendtype, int recvcount,
                      MPI_Datatype recvtype, MPI_Comm comm) noexcept {
  return {is_buffer(sendbuf) ? bytes_of(sendcount, sendtype) : bytes_of(recvcount, recvtype),
          times(bytes_of(recvcount, recvtype), size_of(comm))};
}

Bytes allgatherv_bytes(const void* sendbuf, int sendcount, MPI_Datatype sendtype, const int recvcounts[],
                       MPI_Datatype recvtype, MPI_Comm comm) noexcept {
  Bytes bytes{0, bytes_of(recvcounts, size_of(comm), recvtype)};
  if (is_buffer(sendbuf))
    bytes.sent = bytes_of(sendcount, sendtype);
  else if (const int rank = rank_in(comm); rank >= 0)
    bytes.sent = bytes_of(recvcounts[rank], recvtype);
  return bytes;
}

Bytes alltoall_bytes(const void* sendbuf, int sendcount, MPI_Datatype sendtype, int recvcount,
                     MPI_Datatype recvtype, MPI_Comm comm) noexcept {
  const int ranks = size_of(comm);
  return {times(is_buffer(sendbuf) ? bytes_of(sendcount, sendtype) : bytes_of(recvcount, recvtype), ranks),
          times(bytes_of(recvcount, recvtype), ranks)};
}

Bytes alltoallv_bytes(const void* sendbuf, const int sendcounts[], MPI_Datatype sendtype,
                      const int recvcounts[], MPI_Datatype recvtype, MPI_Comm comm) noexcept {
  const int ranks = size_of(comm);
  const std::uint64_t received = bytes_of(recvcounts, ranks, recvtype);
  return {is_buffer(sendbuf) ? bytes_of(sendcounts, ranks, sendtype) : received, received};
}

}  // namespace prof::mpi
