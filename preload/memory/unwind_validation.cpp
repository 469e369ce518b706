#include "memory/unwind_validation.hpp"

#define UNW_LOCAL_ONLY
#include <dlfcn.h>
#include <elf.h>
#include <libunwind.h>
#include <link.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstring>
#include <utility>

namespace prof::preload::memory::unwind_validation {

namespace {

// The "pipe" libunwind is given: negative, so even a call we did not redirect fails with EBADF and touches
// none of the program's files. Not -1: libunwind only closes descriptors other than -1.
constexpr int kFakeRead = -0x10001;
constexpr int kFakeWrite = -0x10002;

// rt_sigprocmask with an invalid `how` copies the new mask from user memory first: EFAULT when the 8 bytes
// cannot be read, EINVAL otherwise, and the mask never changes. No descriptor, no side effect, and allowed
// wherever signals are (process_vm_readv may be filtered by seccomp or ptrace policy).
constexpr long kInvalidHow = 0x7fffffff;

long validate_write(const void* address, std::size_t count) noexcept {
  if (!readable(address)) {
    errno = EFAULT;
    return -1;
  }
  return count > 0 ? 1 : 0;  // libunwind writes one byte and only checks for -1
}

int prof_unwind_pipe2(int fds[2], int) noexcept {
  fds[0] = kFakeRead;
  fds[1] = kFakeWrite;
  return 0;
}

// The pipe is always "empty": libunwind reads one byte to drain it, EAGAIN tells it the pipe is fine.
ssize_t prof_unwind_read(int fd, void* buffer, std::size_t count) {
  if (fd == kFakeRead) {
    errno = EAGAIN;
    return -1;
  }
  return ::read(fd, buffer, count);
}

ssize_t prof_unwind_write(int fd, const void* buffer, std::size_t count) {
  if (fd == kFakeWrite) return validate_write(buffer, count);
  return ::write(fd, buffer, count);
}

int prof_unwind_close(int fd) {
  if (fd == kFakeRead || fd == kFakeWrite) return 0;
  return ::close(fd);
}

// libunwind calls syscall(SYS_write, ...) (so that ASan does not see the read of invalid memory).
long prof_unwind_syscall(long number, ...) {
  va_list list;
  va_start(list, number);
  long a[6];
  for (long& argument : a)
    argument = va_arg(list, long);
  va_end(list);
  // The descriptor was passed as an int: the upper half of its register is not part of it.
  if (number == SYS_write && static_cast<int>(a[0]) == kFakeWrite)
    return validate_write(reinterpret_cast<const void*>(a[1]), static_cast<std::size_t>(a[2]));
  return ::syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

// libunwind blocks every signal around its locks (sigfillset, then sigprocmask(SIG_SETMASK)) and restores
// the saved mask after. glibc's sigprocmask never blocks its internal signals (SIGCANCEL, which is also
// SIGTIMER, and SIGSETXID): it clears them from every mask it sets, the saved one included, so the restore
// unblocked SIGTIMER in glibc's SIGEV_THREAD helper thread, and the timer's next expiry killed the program
// (tests/sampling/timers_test.cpp). The raw system call sets masks as given; "block all" is SIG_BLOCK, which
// leaves the internal signals as they were.
int prof_unwind_sigprocmask(int how, const sigset_t* set, sigset_t* old) noexcept {
  if (how == SIG_SETMASK && set) {
    sigset_t full, kept;
    ::sigfillset(&full);
    ::sigandset(&kept, &full, set);
    if (std::memcmp(&kept, &full, sizeof full) == 0) how = SIG_BLOCK;
  }
  return static_cast<int>(::syscall(SYS_rt_sigprocmask, how, set, old, _NSIG / 8));
}

struct Redirect {
  const char* name;
  void* function;
};

const Redirect kRedirects[] = {
    {"pipe2", reinterpret_cast<void*>(&prof_unwind_pipe2)},
    {"read", reinterpret_cast<void*>(&prof_unwind_read)},
    {"write", reinterpret_cast<void*>(&prof_unwind_write)},
    {"close", reinterpret_cast<void*>(&prof_unwind_close)},
    {"syscall", reinterpret_cast<void*>(&prof_unwind_syscall)},
    {"sigprocmask", reinterpret_cast<void*>(&prof_unwind_sigprocmask)},
};

// Dynamic-section pointers are relocated in place by glibc on x86-64; older loaders leave them relative.
std::uintptr_t absolute(const link_map* module, ElfW(Addr) pointer) noexcept {
  return pointer < module->l_addr ? module->l_addr + pointer : pointer;
}

// The module's PT_GNU_RELRO range: slots there are read-only once the loader is done (BIND_NOW).
struct Range {
  std::uintptr_t low = 0, high = 0;
};

int find_relro(dl_phdr_info* info, std::size_t, void* data) noexcept {
  auto* found = static_cast<std::pair<const link_map*, Range>*>(data);
  if (info->dlpi_addr != found->first->l_addr) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = info->dlpi_phdr[i];
    if (header.p_type != PT_GNU_RELRO) continue;
    found->second.low = info->dlpi_addr + header.p_vaddr;
    found->second.high = found->second.low + header.p_memsz;
  }
  return 1;
}

// Writes `function` into a GOT slot; a slot under RELRO is made writable for the write, then read-only again.
bool patch(std::uintptr_t slot, void* function, const Range& relro) noexcept {
  auto* target = reinterpret_cast<void**>(slot);
  if (slot < relro.low || slot >= relro.high) {
    __atomic_store_n(target, function, __ATOMIC_RELEASE);
    return true;
  }
  const auto page_size = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  void* page = reinterpret_cast<void*>(slot & ~(page_size - 1));
  if (::mprotect(page, page_size, PROT_READ | PROT_WRITE) != 0) return false;
  __atomic_store_n(target, function, __ATOMIC_RELEASE);
  ::mprotect(page, page_size, PROT_READ);
  return true;
}

int patch_relocations(const link_map* module, const Range& relro, const ElfW(Rela) * relocations,
                      std::size_t bytes, const ElfW(Sym) * symbols, const char* strings) noexcept {
  int patched = 0;
  for (std::size_t i = 0; i < bytes / sizeof(ElfW(Rela)); ++i) {
    const ElfW(Rela)& r = relocations[i];
    const unsigned type = ELF64_R_TYPE(r.r_info);
    if (type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT) continue;
    const char* name = strings + symbols[ELF64_R_SYM(r.r_info)].st_name;
    for (const Redirect& redirect : kRedirects) {
      if (std::strcmp(name, redirect.name) != 0) continue;
      if (patch(module->l_addr + r.r_offset, redirect.function, relro)) ++patched;
    }
  }
  return patched;
}

}  // namespace

bool readable(const void* address) noexcept {
  auto word = reinterpret_cast<std::uintptr_t>(address) & ~std::uintptr_t{7};
  if (word == 0) return false;  // a null new mask is "no change" to the kernel, not a fault
  long rc = ::syscall(SYS_rt_sigprocmask, kInvalidHow, word, 0L, 8L);
  return !(rc == -1 && errno == EFAULT);
}

bool install() noexcept {
  Dl_info info{};
  link_map* module = nullptr;
  if (!dladdr1(reinterpret_cast<void*>(&unw_backtrace), &info, reinterpret_cast<void**>(&module),
               RTLD_DL_LINKMAP) ||
      !module || !module->l_ld)
    return false;
  const ElfW(Sym)* symbols = nullptr;
  const char* strings = nullptr;
  const ElfW(Rela)* plt = nullptr;
  const ElfW(Rela)* rela = nullptr;
  std::size_t plt_bytes = 0, rela_bytes = 0;
  for (const ElfW(Dyn)* d = module->l_ld; d->d_tag != DT_NULL; ++d) {
    switch (d->d_tag) {
      case DT_SYMTAB:
        symbols = reinterpret_cast<const ElfW(Sym)*>(absolute(module, d->d_un.d_ptr));
        break;
      case DT_STRTAB:
        strings = reinterpret_cast<const char*>(absolute(module, d->d_un.d_ptr));
        break;
      case DT_JMPREL:
        plt = reinterpret_cast<const ElfW(Rela)*>(absolute(module, d->d_un.d_ptr));
        break;
      case DT_PLTRELSZ:
        plt_bytes = d->d_un.d_val;
        break;
      case DT_RELA:
        rela = reinterpret_cast<const ElfW(Rela)*>(absolute(module, d->d_un.d_ptr));
        break;
      case DT_RELASZ:
        rela_bytes = d->d_un.d_val;
        break;
      default:
        break;
    }
  }
  if (!symbols || !strings) return false;
  std::pair<const link_map*, Range> relro{module, Range{}};
  dl_iterate_phdr(find_relro, &relro);
  int patched = 0;
  if (plt) patched += patch_relocations(module, relro.second, plt, plt_bytes, symbols, strings);
  if (rela) patched += patch_relocations(module, relro.second, rela, rela_bytes, symbols, strings);
  return patched > 0;
}

}  // namespace prof::preload::memory::unwind_validation
