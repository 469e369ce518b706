! A Fortran program whose MPI calls are half its own (`use mpi`), half made by C code it calls: 5
! MPI_Allreduce of 1000 doubles from Fortran, then 5 from C (fortran_mixed_part.c). Both reach the same
! operation and the same scope, MPI_Allreduce (tests/mpi/mpi_fortran_test.cpp).
program fortran_mixed
  use mpi
  use iso_c_binding, only: c_int
  implicit none
  interface
    subroutine c_allreduce(times) bind(C, name="c_allreduce")
      import :: c_int
      integer(c_int), value :: times
    end subroutine c_allreduce
  end interface
  integer :: ierr, i
  double precision :: values(1000), sums(1000)
  call MPI_Init(ierr)
  values = 1
  do i = 1, 5
    call MPI_Allreduce(values, sums, 1000, MPI_DOUBLE_PRECISION, MPI_SUM, MPI_COMM_WORLD, ierr)
  end do
  call c_allreduce(5)
  call MPI_Finalize(ierr)
end program fortran_mixed
