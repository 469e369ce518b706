// Every call libprof_mpi wraps, once or twice, with counts tests/mpi/mpi_every_call_test.cpp knows: links
// libprof::mpi (no shim needed, so it also runs in the sanitized build). Neighbours form a ring.
#include <mpi.h>

#include <unistd.h>

#include <cstdio>
#include <numeric>
#include <string>
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

// Loops on a nonblocking test until the requests complete (MPI_Testall: its call count varies, the test
// checks at least one).
void complete(int count, MPI_Request* requests) {
  for (int flag = 0; !flag;)
    MPI_Testall(count, requests, &flag, MPI_STATUSES_IGNORE);
}

// The calls generated from libprof/src/mpi/generated_calls.hpp, each once (the polling ones at least once).
void generated_point_to_point() {
  std::vector<int> out(16, g_rank), in(16);
  // Synchronous send round the ring: even ranks send first, odd ranks receive first (no deadlock).
  const auto receive_matched = [&](int count, int tag) {
    MPI_Message message;
    MPI_Mprobe(left(), tag, MPI_COMM_WORLD, &message, MPI_STATUS_IGNORE);
    MPI_Mrecv(in.data(), count, MPI_INT, &message, MPI_STATUS_IGNORE);
  };
  if (g_rank % 2 == 0) {
    MPI_Ssend(out.data(), 6, MPI_INT, right(), 10, MPI_COMM_WORLD);
    receive_matched(6, 10);
  } else {
    receive_matched(6, 10);
    MPI_Ssend(out.data(), 6, MPI_INT, right(), 10, MPI_COMM_WORLD);
  }

  MPI_Request requests[3];
  MPI_Issend(out.data(), 7, MPI_INT, right(), 11, MPI_COMM_WORLD, &requests[0]);
  MPI_Message message;
  for (int flag = 0; !flag;)
    MPI_Improbe(left(), 11, MPI_COMM_WORLD, &flag, &message, MPI_STATUS_IGNORE);
  MPI_Imrecv(in.data(), 7, MPI_INT, &message, &requests[1]);
  complete(2, requests);

  // Buffered sends: 8 and 5 ints through an attached buffer.
  int size8 = 0, size5 = 0;
  MPI_Pack_size(8, MPI_INT, MPI_COMM_WORLD, &size8);
  MPI_Pack_size(5, MPI_INT, MPI_COMM_WORLD, &size5);
  std::vector<char> attached(static_cast<std::size_t>(size8 + size5 + 2 * MPI_BSEND_OVERHEAD));
  MPI_Buffer_attach(attached.data(), static_cast<int>(attached.size()));
  MPI_Bsend(out.data(), 8, MPI_INT, right(), 12, MPI_COMM_WORLD);
  MPI_Ibsend(out.data(), 5, MPI_INT, right(), 13, MPI_COMM_WORLD, &requests[0]);
  for (int flag = 0; !flag;)
    MPI_Iprobe(left(), 12, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
  receive_matched(8, 12);
  receive_matched(5, 13);
  complete(1, requests);
  void* detached = nullptr;
  int detached_size = 0;
  MPI_Buffer_detach(&detached, &detached_size);

  // Ready sends: the receives are posted before a barrier every rank passes first.
  MPI_Irecv(in.data(), 9, MPI_INT, left(), 14, MPI_COMM_WORLD, &requests[0]);
  MPI_Irecv(in.data() + 9, 3, MPI_INT, left(), 15, MPI_COMM_WORLD, &requests[1]);
  MPI_Request barrier;
  MPI_Ibarrier(MPI_COMM_WORLD, &barrier);
  int index = 0;
  for (int flag = 0; !flag;)
    MPI_Testany(1, &barrier, &index, &flag, MPI_STATUS_IGNORE);
  MPI_Rsend(out.data(), 9, MPI_INT, right(), 14, MPI_COMM_WORLD);
  MPI_Irsend(out.data(), 3, MPI_INT, right(), 15, MPI_COMM_WORLD, &requests[2]);
  int indices[3];
  for (int done = 0, outcount = 0; done < 3; done += outcount == MPI_UNDEFINED ? 0 : outcount)
    MPI_Testsome(3, requests, &outcount, indices, MPI_STATUSES_IGNORE);
}

void generated_collectives() {
  const int n = g_size;
  const auto un = static_cast<std::size_t>(n);
  std::vector<int> four(4, 1), four_out(4);
  MPI_Scan(four.data(), four_out.data(), 4, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  MPI_Exscan(four.data(), four_out.data(), 4, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  std::vector<int> send(2 * un, 1), receive(2 * un);
  MPI_Reduce_scatter_block(send.data(), receive.data(), 2, MPI_INT, MPI_SUM, MPI_COMM_WORLD);

  std::vector<int> counts(un), displs(un), twos(un, 2), two_displs(un);
  for (int i = 0; i < n; ++i) {
    counts[static_cast<std::size_t>(i)] = i + 1;
    displs[static_cast<std::size_t>(i)] = i * n;
    two_displs[static_cast<std::size_t>(i)] = 2 * i;
  }
  std::vector<int> mine(3 * un, g_rank), all(3 * un * un + 64);
  std::vector<double> doubles(8, 1.0);
  std::vector<long> longs(3, 1), long_sums(3);
  MPI_Request r;
  MPI_Iallreduce(four.data(), four_out.data(), 4, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Ibcast(doubles.data(), 8, MPI_DOUBLE, 1 % n, MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Ireduce(longs.data(), long_sums.data(), 3, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Igather(mine.data(), 2, MPI_INT, all.data(), 2, MPI_INT, 0, MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Igatherv(mine.data(), g_rank + 1, MPI_INT, all.data(), counts.data(), displs.data(), MPI_INT, 0,
               MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Iscatter(all.data(), 3, MPI_INT, mine.data(), 3, MPI_INT, 0, MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Iscatterv(all.data(), counts.data(), displs.data(), MPI_INT, mine.data(), g_rank + 1, MPI_INT, 0,
                MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Iallgather(mine.data(), 2, MPI_INT, all.data(), 2, MPI_INT, MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Iallgatherv(mine.data(), g_rank + 1, MPI_INT, all.data(), counts.data(), displs.data(), MPI_INT,
                  MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Ialltoall(mine.data(), 1, MPI_INT, all.data(), 1, MPI_INT, MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Ialltoallv(send.data(), twos.data(), two_displs.data(), MPI_INT, receive.data(), twos.data(),
                 two_displs.data(), MPI_INT, MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Ireduce_scatter(send.data(), receive.data(), twos.data(), MPI_INT, MPI_SUM, MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Ireduce_scatter_block(send.data(), receive.data(), 2, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Iscan(four.data(), four_out.data(), 4, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Iexscan(four.data(), four_out.data(), 4, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &r);
  complete(1, &r);
  MPI_Ibarrier(MPI_COMM_WORLD, &r);
  complete(1, &r);
}

// One-sided: 4 ints put to the right neighbour's window, 3 got from the left one's, between fences.
void one_sided() {
  std::vector<int> window(8, g_rank), origin(8, g_rank);
  MPI_Win win;
  MPI_Win_create(window.data(), static_cast<MPI_Aint>(window.size() * sizeof(int)), sizeof(int),
                 MPI_INFO_NULL, MPI_COMM_WORLD, &win);
  MPI_Win_fence(0, win);
  MPI_Put(origin.data(), 4, MPI_INT, right(), 0, 4, MPI_INT, win);
  MPI_Win_fence(0, win);
  MPI_Get(origin.data() + 4, 3, MPI_INT, left(), 4, 3, MPI_INT, win);
  MPI_Win_fence(0, win);
  MPI_Win_free(&win);
}

// MPI-IO: each rank writes 5 ints and, collectively over itself, 3 doubles to a file of its own, then reads
// them back.
void file_io() {
  std::string path = "/tmp/prof-mpi-every-call." + std::to_string(getpid());
  MPI_File file;
  MPI_File_open(MPI_COMM_SELF, path.c_str(), MPI_MODE_CREATE | MPI_MODE_RDWR, MPI_INFO_NULL, &file);
  std::vector<int> ints(5, g_rank);
  std::vector<double> doubles(3, 1.5);
  MPI_File_write(file, ints.data(), 5, MPI_INT, MPI_STATUS_IGNORE);
  MPI_File_write_all(file, doubles.data(), 3, MPI_DOUBLE, MPI_STATUS_IGNORE);
  MPI_File_seek(file, 0, MPI_SEEK_SET);
  MPI_File_read(file, ints.data(), 5, MPI_INT, MPI_STATUS_IGNORE);
  MPI_File_read_all(file, doubles.data(), 3, MPI_DOUBLE, MPI_STATUS_IGNORE);
  MPI_File_close(&file);
  std::remove(path.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  point_to_point();
  collectives();
  generated_point_to_point();
  generated_collectives();
  one_sided();
  file_io();
  MPI_Finalize();
  return 0;
}
