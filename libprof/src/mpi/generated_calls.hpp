#pragma once
// Every C MPI call the layer wraps except MPI_Init, MPI_Init_thread and MPI_Finalize (wrap_init.cpp, which
// start and finish the recording); wrap_generated.cpp makes one wrapper per row:
//   X(operation, function, (parameters as in <mpi.h>), (arguments), bytes expression)
// The bytes expression is a prof::mpi::Bytes computed from the arguments before the call (call_bytes.hpp);
// NO_BYTES for calls that only complete, test or probe (a nonblocking call's bytes count when it is posted).
// A row's parameters must match <mpi.h>'s prototype: the compiler checks it against the declaration.
#define PROF_MPI_NO_BYTES \
  ::prof::mpi::Bytes {}

#define PROF_MPI_GENERATED_CALLS(X)                                                                          \
  /* point to point: bytes of the buffer this rank passed (a receive: its capacity, bounding the message) */ \
  X(send, MPI_Send, (const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm),       \
    (buf, count, type, dest, tag, comm), sent_bytes(count, type))                                            \
  X(recv, MPI_Recv,                                                                                          \
    (void* buf, int count, MPI_Datatype type, int source, int tag, MPI_Comm comm, MPI_Status* status),       \
    (buf, count, type, source, tag, comm, status), received_bytes(count, type))                              \
  X(isend, MPI_Isend,                                                                                        \
    (const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm, MPI_Request* request), \
    (buf, count, type, dest, tag, comm, request), sent_bytes(count, type))                                   \
  X(irecv, MPI_Irecv,                                                                                        \
    (void* buf, int count, MPI_Datatype type, int source, int tag, MPI_Comm comm, MPI_Request* request),     \
    (buf, count, type, source, tag, comm, request), received_bytes(count, type))                             \
  X(sendrecv, MPI_Sendrecv,                                                                                  \
    (const void* sendbuf, int sendcount, MPI_Datatype sendtype, int dest, int sendtag, void* recvbuf,        \
     int recvcount, MPI_Datatype recvtype, int source, int recvtag, MPI_Comm comm, MPI_Status* status),      \
    (sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount, recvtype, source, recvtag, comm,       \
     status),                                                                                                \
    sendrecv_bytes(sendcount, sendtype, recvcount, recvtype))                                                \
  X(probe, MPI_Probe, (int source, int tag, MPI_Comm comm, MPI_Status* status), (source, tag, comm, status), \
    PROF_MPI_NO_BYTES)                                                                                       \
  /* completion */                                                                                           \
  X(wait, MPI_Wait, (MPI_Request * request, MPI_Status * status), (request, status), PROF_MPI_NO_BYTES)      \
  X(waitall, MPI_Waitall, (int count, MPI_Request requests[], MPI_Status* statuses),                         \
    (count, requests, statuses), PROF_MPI_NO_BYTES)                                                          \
  X(waitany, MPI_Waitany, (int count, MPI_Request requests[], int* index, MPI_Status* status),               \
    (count, requests, index, status), PROF_MPI_NO_BYTES)                                                     \
  X(waitsome, MPI_Waitsome,                                                                                  \
    (int incount, MPI_Request requests[], int* outcount, int indices[], MPI_Status statuses[]),              \
    (incount, requests, outcount, indices, statuses), PROF_MPI_NO_BYTES)                                     \
  X(test, MPI_Test, (MPI_Request * request, int* flag, MPI_Status* status), (request, flag, status),         \
    PROF_MPI_NO_BYTES)                                                                                       \
  /* blocking collectives */                                                                                 \
  X(bcast, MPI_Bcast, (void* buffer, int count, MPI_Datatype type, int root, MPI_Comm comm),                 \
    (buffer, count, type, root, comm), bcast_bytes(count, type, root, comm))                                 \
  X(reduce, MPI_Reduce,                                                                                      \
    (const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, int root, MPI_Comm comm),  \
    (sendbuf, recvbuf, count, type, op, root, comm), reduce_bytes(sendbuf, count, type, root, comm))         \
  X(allreduce, MPI_Allreduce,                                                                                \
    (const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm),            \
    (sendbuf, recvbuf, count, type, op, comm), both_bytes(count, type))                                      \
  X(gather, MPI_Gather,                                                                                      \
    (const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, int recvcount,                \
     MPI_Datatype recvtype, int root, MPI_Comm comm),                                                        \
    (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm),                                \
    gather_bytes(sendbuf, sendcount, sendtype, recvcount, recvtype, root, comm))                             \
  X(gatherv, MPI_Gatherv,                                                                                    \
    (const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, const int recvcounts[],       \
     const int displs[], MPI_Datatype recvtype, int root, MPI_Comm comm),                                    \
    (sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root, comm),                       \
    gatherv_bytes(sendbuf, sendcount, sendtype, recvcounts, recvtype, root, comm))                           \
  X(scatter, MPI_Scatter,                                                                                    \
    (const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, int recvcount,                \
     MPI_Datatype recvtype, int root, MPI_Comm comm),                                                        \
    (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm),                                \
    scatter_bytes(sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm))                            \
  X(scatterv, MPI_Scatterv,                                                                                  \
    (const void* sendbuf, const int sendcounts[], const int displs[], MPI_Datatype sendtype, void* recvbuf,  \
     int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm),                                         \
    (sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype, root, comm),                       \
    scatterv_bytes(sendcounts, sendtype, recvbuf, recvcount, recvtype, root, comm))                          \
  X(allgather, MPI_Allgather,                                                                                \
    (const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, int recvcount,                \
     MPI_Datatype recvtype, MPI_Comm comm),                                                                  \
    (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm),                                      \
    allgather_bytes(sendbuf, sendcount, sendtype, recvcount, recvtype, comm))                                \
  X(allgatherv, MPI_Allgatherv,                                                                              \
    (const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, const int recvcounts[],       \
     const int displs[], MPI_Datatype recvtype, MPI_Comm comm),                                              \
    (sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, comm),                             \
    allgatherv_bytes(sendbuf, sendcount, sendtype, recvcounts, recvtype, comm))                              \
  X(alltoall, MPI_Alltoall,                                                                                  \
    (const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, int recvcount,                \
     MPI_Datatype recvtype, MPI_Comm comm),                                                                  \
    (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm),                                      \
    alltoall_bytes(sendbuf, sendcount, sendtype, recvcount, recvtype, comm))                                 \
  X(alltoallv, MPI_Alltoallv,                                                                                \
    (const void* sendbuf, const int sendcounts[], const int sdispls[], MPI_Datatype sendtype, void* recvbuf, \
     const int recvcounts[], const int rdispls[], MPI_Datatype recvtype, MPI_Comm comm),                     \
    (sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls, recvtype, comm),                  \
    alltoallv_bytes(sendbuf, sendcounts, sendtype, recvcounts, recvtype, comm))                              \
  X(reduce_scatter, MPI_Reduce_scatter,                                                                      \
    (const void* sendbuf, void* recvbuf, const int recvcounts[], MPI_Datatype type, MPI_Op op,               \
     MPI_Comm comm),                                                                                         \
    (sendbuf, recvbuf, recvcounts, type, op, comm), reduce_scatter_bytes(recvcounts, type, comm))            \
  X(barrier, MPI_Barrier, (MPI_Comm comm), (comm), PROF_MPI_NO_BYTES)                                        \
  /* point to point: the send modes, matched receives */                                                     \
  X(ssend, MPI_Ssend, (const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm),     \
    (buf, count, type, dest, tag, comm), sent_bytes(count, type))                                            \
  X(bsend, MPI_Bsend, (const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm),     \
    (buf, count, type, dest, tag, comm), sent_bytes(count, type))                                            \
  X(rsend, MPI_Rsend, (const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm),     \
    (buf, count, type, dest, tag, comm), sent_bytes(count, type))                                            \
  X(issend, MPI_Issend,                                                                                      \
    (const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm, MPI_Request* request), \
    (buf, count, type, dest, tag, comm, request), sent_bytes(count, type))                                   \
  X(ibsend, MPI_Ibsend,                                                                                      \
    (const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm, MPI_Request* request), \
    (buf, count, type, dest, tag, comm, request), sent_bytes(count, type))                                   \
  X(irsend, MPI_Irsend,                                                                                      \
    (const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm, MPI_Request* request), \
    (buf, count, type, dest, tag, comm, request), sent_bytes(count, type))                                   \
  X(mrecv, MPI_Mrecv, (void* buf, int count, MPI_Datatype type, MPI_Message* message, MPI_Status* status),   \
    (buf, count, type, message, status), received_bytes(count, type))                                        \
  X(imrecv, MPI_Imrecv,                                                                                      \
    (void* buf, int count, MPI_Datatype type, MPI_Message* message, MPI_Request* request),                   \
    (buf, count, type, message, request), received_bytes(count, type))                                       \
  /* completion and probes */                                                                                \
  X(testall, MPI_Testall, (int count, MPI_Request requests[], int* flag, MPI_Status statuses[]),             \
    (count, requests, flag, statuses), PROF_MPI_NO_BYTES)                                                    \
  X(testany, MPI_Testany, (int count, MPI_Request requests[], int* index, int* flag, MPI_Status* status),    \
    (count, requests, index, flag, status), PROF_MPI_NO_BYTES)                                               \
  X(testsome, MPI_Testsome,                                                                                  \
    (int incount, MPI_Request requests[], int* outcount, int indices[], MPI_Status statuses[]),              \
    (incount, requests, outcount, indices, statuses), PROF_MPI_NO_BYTES)                                     \
  X(iprobe, MPI_Iprobe, (int source, int tag, MPI_Comm comm, int* flag, MPI_Status* status),                 \
    (source, tag, comm, flag, status), PROF_MPI_NO_BYTES)                                                    \
  X(mprobe, MPI_Mprobe, (int source, int tag, MPI_Comm comm, MPI_Message* message, MPI_Status* status),      \
    (source, tag, comm, message, status), PROF_MPI_NO_BYTES)                                                 \
  X(improbe, MPI_Improbe,                                                                                    \
    (int source, int tag, MPI_Comm comm, int* flag, MPI_Message* message, MPI_Status* status),               \
    (source, tag, comm, flag, message, status), PROF_MPI_NO_BYTES)                                           \
  /* prefix reductions, block reduce-scatter */                                                              \
  X(scan, MPI_Scan,                                                                                          \
    (const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm),            \
    (sendbuf, recvbuf, count, type, op, comm), both_bytes(count, type))                                      \
  X(exscan, MPI_Exscan,                                                                                      \
    (const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm),            \
    (sendbuf, recvbuf, count, type, op, comm), both_bytes(count, type))                                      \
  X(reduce_scatter_block, MPI_Reduce_scatter_block,                                                          \
    (const void* sendbuf, void* recvbuf, int recvcount, MPI_Datatype type, MPI_Op op, MPI_Comm comm),        \
    (sendbuf, recvbuf, recvcount, type, op, comm), reduce_scatter_block_bytes(recvcount, type, comm))        \
  /* nonblocking collectives: counted when posted, as their blocking twins */                                \
  X(ibcast, MPI_Ibcast,                                                                                      \
    (void* buffer, int count, MPI_Datatype type, int root, MPI_Comm comm, MPI_Request* request),             \
    (buffer, count, type, root, comm, request), bcast_bytes(count, type, root, comm))                        \
  X(ireduce, MPI_Ireduce,                                                                                    \
    (const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, int root, MPI_Comm comm,   \
     MPI_Request* request),                                                                                  \
    (sendbuf, recvbuf, count, type, op, root, comm, request),                                                \
    reduce_bytes(sendbuf, count, type, root, comm))                                                          \
  X(iallreduce, MPI_Iallreduce,                                                                              \
    (const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm,             \
     MPI_Request* request),                                                                                  \
    (sendbuf, recvbuf, count, type, op, comm, request), both_bytes(count, type))                             \
  X(igather, MPI_Igather,                                                                                    \
    (const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, int recvcount,                \
     MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Request* request),                                  \
    (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, request),                       \
    gather_bytes(sendbuf, sendcount, sendtype, recvcount, recvtype, root, comm))                             \
  X(igatherv, MPI_Igatherv,                                                                                  \
    (const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, const int recvcounts[],       \
     const int displs[], MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Request* request),              \
    (sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root, comm, request),              \
    gatherv_bytes(sendbuf, sendcount, sendtype, recvcounts, recvtype, root, comm))                           \
  X(iscatter, MPI_Iscatter,                                                                                  \
    (const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, int recvcount,                \
     MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Request* request),                                  \
    (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, request),                       \
    scatter_bytes(sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm))                            \
  X(iscatterv, MPI_Iscatterv,                                                                                \
    (const void* sendbuf, const int sendcounts[], const int displs[], MPI_Datatype sendtype, void* recvbuf,  \
     int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Request* request),                   \
    (sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype, root, comm, request),              \
    scatterv_bytes(sendcounts, sendtype, recvbuf, recvcount, recvtype, root, comm))                          \
  X(iallgather, MPI_Iallgather,                                                                              \
    (const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, int recvcount,                \
     MPI_Datatype recvtype, MPI_Comm comm, MPI_Request* request),                                            \
    (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, request),                             \
    allgather_bytes(sendbuf, sendcount, sendtype, recvcount, recvtype, comm))                                \
  X(iallgatherv, MPI_Iallgatherv,                                                                            \
    (const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, const int recvcounts[],       \
     const int displs[], MPI_Datatype recvtype, MPI_Comm comm, MPI_Request* request),                        \
    (sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, comm, request),                    \
    allgatherv_bytes(sendbuf, sendcount, sendtype, recvcounts, recvtype, comm))                              \
  X(ialltoall, MPI_Ialltoall,                                                                                \
    (const void* sendbuf, int sendcount, MPI_Datatype sendtype, void* recvbuf, int recvcount,                \
     MPI_Datatype recvtype, MPI_Comm comm, MPI_Request* request),                                            \
    (sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, request),                             \
    alltoall_bytes(sendbuf, sendcount, sendtype, recvcount, recvtype, comm))                                 \
  X(ialltoallv, MPI_Ialltoallv,                                                                              \
    (const void* sendbuf, const int sendcounts[], const int sdispls[], MPI_Datatype sendtype, void* recvbuf, \
     const int recvcounts[], const int rdispls[], MPI_Datatype recvtype, MPI_Comm comm,                      \
     MPI_Request* request),                                                                                  \
    (sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls, recvtype, comm, request),         \
    alltoallv_bytes(sendbuf, sendcounts, sendtype, recvcounts, recvtype, comm))                              \
  X(ireduce_scatter, MPI_Ireduce_scatter,                                                                    \
    (const void* sendbuf, void* recvbuf, const int recvcounts[], MPI_Datatype type, MPI_Op op,               \
     MPI_Comm comm, MPI_Request* request),                                                                   \
    (sendbuf, recvbuf, recvcounts, type, op, comm, request), reduce_scatter_bytes(recvcounts, type, comm))   \
  X(ireduce_scatter_block, MPI_Ireduce_scatter_block,                                                        \
    (const void* sendbuf, void* recvbuf, int recvcount, MPI_Datatype type, MPI_Op op, MPI_Comm comm,         \
     MPI_Request* request),                                                                                  \
    (sendbuf, recvbuf, recvcount, type, op, comm, request),                                                  \
    reduce_scatter_block_bytes(recvcount, type, comm))                                                       \
  X(iscan, MPI_Iscan,                                                                                        \
    (const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm,             \
     MPI_Request* request),                                                                                  \
    (sendbuf, recvbuf, count, type, op, comm, request), both_bytes(count, type))                             \
  X(iexscan, MPI_Iexscan,                                                                                    \
    (const void* sendbuf, void* recvbuf, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm,             \
     MPI_Request* request),                                                                                  \
    (sendbuf, recvbuf, count, type, op, comm, request), both_bytes(count, type))                             \
  X(ibarrier, MPI_Ibarrier, (MPI_Comm comm, MPI_Request * request), (comm, request), PROF_MPI_NO_BYTES)      \
  /* one-sided: the origin buffer this rank puts (sent) or gets (received); the fence synchronises */        \
  X(put, MPI_Put,                                                                                            \
    (const void* origin, int origin_count, MPI_Datatype origin_type, int target_rank, MPI_Aint target_disp,  \
     int target_count, MPI_Datatype target_type, MPI_Win win),                                               \
    (origin, origin_count, origin_type, target_rank, target_disp, target_count, target_type, win),           \
    sent_bytes(origin_count, origin_type))                                                                   \
  X(get, MPI_Get,                                                                                            \
    (void* origin, int origin_count, MPI_Datatype origin_type, int target_rank, MPI_Aint target_disp,        \
     int target_count, MPI_Datatype target_type, MPI_Win win),                                               \
    (origin, origin_count, origin_type, target_rank, target_disp, target_count, target_type, win),           \
    received_bytes(origin_count, origin_type))                                                               \
  X(win_fence, MPI_Win_fence, (int assertion, MPI_Win win), (assertion, win), PROF_MPI_NO_BYTES)             \
  /* MPI-IO: the bytes this rank writes to a file count as sent, those it reads as received */               \
  X(file_write, MPI_File_write,                                                                              \
    (MPI_File file, const void* buf, int count, MPI_Datatype type, MPI_Status* status),                      \
    (file, buf, count, type, status), sent_bytes(count, type))                                               \
  X(file_write_all, MPI_File_write_all,                                                                      \
    (MPI_File file, const void* buf, int count, MPI_Datatype type, MPI_Status* status),                      \
    (file, buf, count, type, status), sent_bytes(count, type))                                               \
  X(file_read, MPI_File_read, (MPI_File file, void* buf, int count, MPI_Datatype type, MPI_Status* status),  \
    (file, buf, count, type, status), received_bytes(count, type))                                           \
  X(file_read_all, MPI_File_read_all,                                                                        \
    (MPI_File file, void* buf, int count, MPI_Datatype type, MPI_Status* status),                            \
    (file, buf, count, type, status), received_bytes(count, type))
