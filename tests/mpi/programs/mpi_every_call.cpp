// Every call libprof_mpi wraps, once or twice, with counts tests/mpi/mpi_every_call_test.cpp knows: links
// libprof::mpi (no shim needed, so it also runs in the sanitized build). Neighbours form a ring.
#include <mpi.h>

#include <numeric>
#include <vector>

namespace {

int g_rank = 0, g_size = 1;

int right() {
  return (g_rank + 1) % g_size;
}
int left() {
  return (g_rank + g_size - 1) % g_size;
}

void point_to_point() {
  std::vector<int> out(30, g_rank), in(30);
  MPI_Request requests[2];
  MPI_Isend(out.data(), 10, MPI_INT, right(), 1, MPI_COMM_WORLD, &requests[0]);
  MPI_Recv(in.data(), 10, MPI_INT, left(), 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Wait(&requests[0], MPI_STATUS_IGNORE);

  MPI_Irecv(in.data(), 20, MPI_INT, left(), 2, MPI_COMM_WORLD, &requests[0]);
  MPI_Send(out.data(), 20, MPI_INT, right(), 2, MPI_COMM_WORLD);
  MPI_Waitall(1, requests, MPI_STATUSES_IGNORE);

  MPI_Sendrecv(out.data(), 30, MPI_INT, right(), 3, in.data(), 30, MPI_INT, left(), 3, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);

  MPI_Isend(out.data(), 5, MPI_INT, right(), 4, MPI_COMM_WORLD, &requests[0]);
  MPI_Probe(left(), 4, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Irecv(in.data(), 5, MPI_INT, left(), 4, MPI_COMM_WORLD, &requests[1]);
  int index = 0, done = 0, indices[2];
  MPI_Waitany(2, requests, &index, MPI_STATUS_IGNORE);
  MPI_Waitsome(2, requests, &done, indices, MPI_STATUSES_IGNORE);
  if (done == 0) MPI_Waitall(2, requests, MPI_STATUSES_IGNORE);  // not reached: one request was left

  MPI_Isend(out.data(), 1, MPI_INT, right(), 5, MPI_COMM_WORLD, &requests[0]);
  MPI_Irecv(in.data(), 1, MPI_INT, left(), 5, MPI_COMM_WORLD, &requests[1]);
  for (int flag = 0; !flag;)
    MPI_Test(&requests[1], &flag, MPI_STATUS_IGNORE);
  MPI_Wait(&requests[0], MPI_STATUS_IGNORE);
}

void collectives() {
  const int n = g_size;
  std::vector<double> doubles(8, 1.0);
  MPI_Bcast(doubles.data(), 8, MPI_DOUBLE, 1 % n, MPI_COMM_WORLD);

  std::vector<long> longs(3, 1), long_sums(3);
  MPI_Reduce(longs.data(), long_sums.data(), 3, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Reduce(g_rank == 0 ? MPI_IN_PLACE : longs.data(), longs.data(), 3, MPI_LONG, MPI_SUM, 0,
             MPI_COMM_WORLD);

  std::vector<int> four(4, 1), four_sums(4);
  MPI_Allreduce(four.data(), four_sums.data(), 4, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  MPI_Allreduce(MPI_IN_PLACE, four.data(), 4, MPI_INT, MPI_SUM, MPI_COMM_WORLD);

  std::vector<int> counts(static_cast<std::size_t>(n)), displs(static_cast<std::size_t>(n));
  std::iota(counts.begin(), counts.end(), 1);  // rank i: i + 1 ints
  for (int i = 1; i < n; ++i)
    displs[static_cast<std::size_t>(i)] =
        displs[static_cast<std::size_t>(i - 1)] + counts[static_cast<std::size_t>(i - 1)];
  const int total = displs.back() + counts.back();
  std::vector<int> mine(static_cast<std::size_t>(n) * 3, g_rank),
      all(static_cast<std::size_t>(total + 3 * n));

  MPI_Gather(mine.data(), 2, MPI_INT, all.data(), 2, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Gatherv(mine.data(), g_rank + 1, MPI_INT, all.data(), counts.data(), displs.data(), MPI_INT, 0,
              MPI_COMM_WORLD);
  MPI_Scatter(all.data(), 3, MPI_INT, mine.data(), 3, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Scatterv(all.data(), counts.data(), displs.data(), MPI_INT, mine.data(), g_rank + 1, MPI_INT, 0,
               MPI_COMM_WORLD);
  MPI_Allgather(mine.data(), 2, MPI_INT, all.data(), 2, MPI_INT, MPI_COMM_WORLD);
  MPI_Allgatherv(mine.data(), g_rank + 1, MPI_INT, all.data(), counts.data(), displs.data(), MPI_INT,
                 MPI_COMM_WORLD);
  MPI_Alltoall(mine.data(), 1, MPI_INT, all.data(), 1, MPI_INT, MPI_COMM_WORLD);
  std::vector<int> twos(static_cast<std::size_t>(n), 2), two_displs(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    two_displs[static_cast<std::size_t>(i)] = 2 * i;
  std::vector<int> send(static_cast<std::size_t>(2 * n), 1), receive(static_cast<std::size_t>(2 * n));
  MPI_Alltoallv(send.data(), twos.data(), two_displs.data(), MPI_INT, receive.data(), twos.data(),
                two_displs.data(), MPI_INT, MPI_COMM_WORLD);
  MPI_Reduce_scatter(send.data(), receive.data(), twos.data(), MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  MPI_Barrier(MPI_COMM_WORLD);
}

}  // namespace

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  point_to_point();
  collectives();
  MPI_Finalize();
  return 0;
}
