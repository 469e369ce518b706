! Every call libprof_mpi wraps, from Fortran, with the counts of programs/mpi_every_call.cpp (integers are 4
! bytes, INTEGER(8) and doubles 8; rank i passes i + 1 elements to the v variants; neighbours form a ring).
! Built twice by tests/mpi/CMakeLists.txt: with `use mpi` and, with -DPROF_F08, with `use mpi_f08`
! (ierror is optional there, and passed here, so the calls read the same).
#ifdef PROF_F08
#define MODULE mpi_f08
#define REQUEST type(MPI_Request)
#else
#define MODULE mpi
#define REQUEST integer
#endif
program fortran_every_call
  use MODULE
  implicit none
  integer :: ierr, rank, nranks, provided
  call MPI_Init_thread(MPI_THREAD_FUNNELED, provided, ierr)
  call MPI_Comm_rank(MPI_COMM_WORLD, rank, ierr)
  call MPI_Comm_size(MPI_COMM_WORLD, nranks, ierr)
  call point_to_point()
  call collectives()
  call MPI_Finalize(ierr)

contains

  integer function right()
    right = mod(rank + 1, nranks)
  end function right

  integer function left()
    left = mod(rank + nranks - 1, nranks)
  end function left

  subroutine point_to_point()
    integer :: outbuf(30), inbuf(30), index, done, indices(2)
    REQUEST :: requests(2)
    logical :: flag
    outbuf = rank
    call MPI_Isend(outbuf, 10, MPI_INTEGER, right(), 1, MPI_COMM_WORLD, requests(1), ierr)
    call MPI_Recv(inbuf, 10, MPI_INTEGER, left(), 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE, ierr)
    call MPI_Wait(requests(1), MPI_STATUS_IGNORE, ierr)

    call MPI_Irecv(inbuf, 20, MPI_INTEGER, left(), 2, MPI_COMM_WORLD, requests(1), ierr)
    call MPI_Send(outbuf, 20, MPI_INTEGER, right(), 2, MPI_COMM_WORLD, ierr)
    call MPI_Waitall(1, requests, MPI_STATUSES_IGNORE, ierr)

    call MPI_Sendrecv(outbuf, 30, MPI_INTEGER, right(), 3, inbuf, 30, MPI_INTEGER, left(), 3, &
                      MPI_COMM_WORLD, MPI_STATUS_IGNORE, ierr)

    call MPI_Isend(outbuf, 5, MPI_INTEGER, right(), 4, MPI_COMM_WORLD, requests(1), ierr)
    call MPI_Probe(left(), 4, MPI_COMM_WORLD, MPI_STATUS_IGNORE, ierr)
    call MPI_Irecv(inbuf, 5, MPI_INTEGER, left(), 4, MPI_COMM_WORLD, requests(2), ierr)
    call MPI_Waitany(2, requests, index, MPI_STATUS_IGNORE, ierr)
    call MPI_Waitsome(2, requests, done, indices, MPI_STATUSES_IGNORE, ierr)

    call MPI_Isend(outbuf, 1, MPI_INTEGER, right(), 5, MPI_COMM_WORLD, requests(1), ierr)
    call MPI_Irecv(inbuf, 1, MPI_INTEGER, left(), 5, MPI_COMM_WORLD, requests(2), ierr)
    flag = .false.
    do while (.not. flag)
      call MPI_Test(requests(2), flag, MPI_STATUS_IGNORE, ierr)
    end do
    call MPI_Wait(requests(1), MPI_STATUS_IGNORE, ierr)
  end subroutine point_to_point

  subroutine collectives()
    double precision :: doubles(8)
    integer(8) :: longs(3), long_sums(3)
    integer :: four(4), four_sums(4), i, total
    integer, allocatable :: counts(:), displs(:), mine(:), all(:), twos(:), two_displs(:), send(:), receive(:)
    doubles = 1
    call MPI_Bcast(doubles, 8, MPI_DOUBLE_PRECISION, mod(1, nranks), MPI_COMM_WORLD, ierr)

    longs = 1
    call MPI_Reduce(longs, long_sums, 3, MPI_INTEGER8, MPI_SUM, 0, MPI_COMM_WORLD, ierr)
    if (rank == 0) then
      call MPI_Reduce(MPI_IN_PLACE, longs, 3, MPI_INTEGER8, MPI_SUM, 0, MPI_COMM_WORLD, ierr)
    else
      call MPI_Reduce(longs, long_sums, 3, MPI_INTEGER8, MPI_SUM, 0, MPI_COMM_WORLD, ierr)
    end if

    four = 1
    call MPI_Allreduce(four, four_sums, 4, MPI_INTEGER, MPI_SUM, MPI_COMM_WORLD, ierr)
    call MPI_Allreduce(MPI_IN_PLACE, four, 4, MPI_INTEGER, MPI_SUM, MPI_COMM_WORLD, ierr)

    allocate(counts(nranks), displs(nranks), twos(nranks), two_displs(nranks))
    do i = 1, nranks
      counts(i) = i  ! rank i - 1: i integers
      twos(i) = 2
      two_displs(i) = 2 * (i - 1)
    end do
    displs(1) = 0
    do i = 2, nranks
      displs(i) = displs(i - 1) + counts(i - 1)
    end do
    total = displs(nranks) + counts(nranks)
    allocate(mine(3 * nranks), all(total + 3 * nranks), send(2 * nranks), receive(2 * nranks))
    mine = rank
    send = 1

    call MPI_Gather(mine, 2, MPI_INTEGER, all, 2, MPI_INTEGER, 0, MPI_COMM_WORLD, ierr)
    call MPI_Gatherv(mine, rank + 1, MPI_INTEGER, all, counts, displs, MPI_INTEGER, 0, MPI_COMM_WORLD, ierr)
    call MPI_Scatter(all, 3, MPI_INTEGER, mine, 3, MPI_INTEGER, 0, MPI_COMM_WORLD, ierr)
    call MPI_Scatterv(all, counts, displs, MPI_INTEGER, mine, rank + 1, MPI_INTEGER, 0, MPI_COMM_WORLD, ierr)
    call MPI_Allgather(mine, 2, MPI_INTEGER, all, 2, MPI_INTEGER, MPI_COMM_WORLD, ierr)
    call MPI_Allgatherv(mine, rank + 1, MPI_INTEGER, all, counts, displs, MPI_INTEGER, MPI_COMM_WORLD, ierr)
    call MPI_Alltoall(mine, 1, MPI_INTEGER, all, 1, MPI_INTEGER, MPI_COMM_WORLD, ierr)
    call MPI_Alltoallv(send, twos, two_displs, MPI_INTEGER, receive, twos, two_displs, MPI_INTEGER, &
                       MPI_COMM_WORLD, ierr)
    call MPI_Reduce_scatter(send, receive, twos, MPI_INTEGER, MPI_SUM, MPI_COMM_WORLD, ierr)
    call MPI_Barrier(MPI_COMM_WORLD, ierr)
  end subroutine collectives

end program fortran_every_call
