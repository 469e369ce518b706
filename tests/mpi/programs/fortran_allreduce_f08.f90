! 10 MPI_Allreduce of 1000 doubles per rank through `use mpi_f08` (mpi_allreduce_f08_ in libmpi_usempif08),
! then an MPI_Reduce whose root passes MPI_IN_PLACE (it sends nothing of its own buffer).
! tests/mpi/mpi_fortran_test.cpp runs it under mpirun -np 2 prof run.
program fortran_allreduce_f08
  use mpi_f08
  implicit none
  integer :: rank, size, i
  double precision :: values(1000), sums(1000)
  call MPI_Init()
  call MPI_Comm_rank(MPI_COMM_WORLD, rank)
  call MPI_Comm_size(MPI_COMM_WORLD, size)
  values = rank + 1
  do i = 1, 10
    call MPI_Allreduce(values, sums, 1000, MPI_DOUBLE_PRECISION, MPI_SUM, MPI_COMM_WORLD)
  end do
  if (rank == 0) then
    call MPI_Reduce(MPI_IN_PLACE, values, 1000, MPI_DOUBLE_PRECISION, MPI_SUM, 0, MPI_COMM_WORLD)
  else
    call MPI_Reduce(values, sums, 1000, MPI_DOUBLE_PRECISION, MPI_SUM, 0, MPI_COMM_WORLD)
  end if
  print '(a, i0, a, f0.1)', 'rank ', rank, ': sum ', sums(1)
  call MPI_Finalize()
end program fortran_allreduce_f08
