// Threads an MPI runtime starts for itself are told apart by the module of their start routine.
#include <catch2/catch.hpp>

#include "process/runtime_threads.hpp"

using prof::preload::is_mpi_runtime_module;

TEST_CASE("MPI runtime modules are recognised by file name, paths or not", "[runtime_threads]") {
  CHECK(is_mpi_runtime_module("/usr/lib/x86_64-linux-gnu/libopen-pal.so.40"));
  CHECK(is_mpi_runtime_module("/usr/lib/x86_64-linux-gnu/openmpi/lib/openmpi3/mca_btl_vader.so"));
  CHECK(is_mpi_runtime_module("/usr/lib/x86_64-linux-gnu/libpmix.so.2"));
  CHECK(is_mpi_runtime_module("libmpich.so.12"));
  CHECK(is_mpi_runtime_module("/opt/ucx/lib/libucs.so.0"));
  // The program's own parallelism stays the program's: OpenMP, OpenBLAS, the C++ runtime, the program.
  CHECK_FALSE(is_mpi_runtime_module("/usr/lib/x86_64-linux-gnu/libgomp.so.1"));
  CHECK_FALSE(is_mpi_runtime_module("/usr/lib/x86_64-linux-gnu/libopenblas.so.0"));
  CHECK_FALSE(is_mpi_runtime_module("/usr/lib/x86_64-linux-gnu/libstdc++.so.6"));
  CHECK_FALSE(is_mpi_runtime_module("/home/me/solver"));
  CHECK_FALSE(is_mpi_runtime_module("/home/me/libmpi-free/solver"));
  CHECK_FALSE(is_mpi_runtime_module(nullptr));
}

TEST_CASE("a start routine in this test program is not the MPI runtime's", "[runtime_threads]") {
  CHECK_FALSE(prof::preload::started_by_mpi_runtime(+[](void*) -> void* { return nullptr; }));
  CHECK_FALSE(prof::preload::started_by_mpi_runtime(nullptr));
}
