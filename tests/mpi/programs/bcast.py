# mpi4py under `prof run`: the Bcast goes through the preloaded MPI layer like a C program's.
import array

from mpi4py import MPI

comm = MPI.COMM_WORLD
numbers = array.array("i", range(100) if comm.Get_rank() == 0 else [0] * 100)
comm.Bcast([numbers, MPI.INT], root=0)
assert list(numbers) == list(range(100))
print("rank", comm.Get_rank(), "of", comm.Get_size(), "ok")
