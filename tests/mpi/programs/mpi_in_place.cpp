// Each all-to-all-style collective once with MPI_IN_PLACE (tests/mpi/mpi_in_place_test.cpp knows the
// bytes): the contribution comes from the receive buffer and still goes out. Links libprof::mpi.
#include <mpi.h>

#include <vector>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, n = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  const auto un = static_cast<std::size_t>(n);

  std::vector<double> doubles(1000, 1.0);
  MPI_Allreduce(MPI_IN_PLACE, doubles.data(), 1000, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);

  std::vector<int> ints(3 * un * un + 64, rank);
  MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, ints.data(), 3, MPI_INT, MPI_COMM_WORLD);

  std::vector<int> counts(un), displs(un);
  for (int i = 0; i < n; ++i) {
    counts[static_cast<std::size_t>(i)] = i + 1;  // rank i owns i + 1 ints
    displs[static_cast<std::size_t>(i)] = i * n;
  }
  MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, ints.data(), counts.data(), displs.data(), MPI_INT,
                 MPI_COMM_WORLD);

  MPI_Alltoall(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, ints.data(), 2, MPI_INT, MPI_COMM_WORLD);

  std::vector<int> twos(un, 2), two_displs(un);
  for (int i = 0; i < n; ++i)
    two_displs[static_cast<std::size_t>(i)] = 2 * i;
  MPI_Alltoallv(MPI_IN_PLACE, nullptr, nullptr, MPI_DATATYPE_NULL, ints.data(), twos.data(),
                two_displs.data(), MPI_INT, MPI_COMM_WORLD);

  MPI_Reduce_scatter(MPI_IN_PLACE, ints.data(), twos.data(), MPI_INT, MPI_SUM, MPI_COMM_WORLD);

  MPI_Finalize();
  return 0;
}
