// Closes stderr and opens its own data file (argv[1]), which gets fd 2, as daemons do; writes one line of
// data into it and exits 0. The file must hold exactly that line, with or without the shim.
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  ::close(2);
  int fd = ::open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd != 2) return 3;
  static const char kData[] = "data\n";
  if (::write(fd, kData, sizeof kData - 1) != sizeof kData - 1) return 4;
  return 0;
}
