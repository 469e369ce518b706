#pragma once
// libunwind (1.6, built with conservative checks) validates each stack word it reads by writing it into a
// pipe it opens at initialisation and reopens whenever a read from it fails. Those two descriptors belong to
// the program's number space: a daemon that closes every fd from 3 up and opens its own files gets them read
// from, written to and closed by the unwinder. This redirects libunwind's pipe2, read, write, close and
// syscall (its PLT slots, nowhere else) so that its "pipe" is two numbers no kernel call ever sees, and an
// address is validated by a system call that copies from it without any descriptor.

namespace prof::preload::memory::unwind_validation {

// Patches libunwind's PLT slots; call before the first libunwind call (which would open the pipe). False when
// libunwind's slots were not found (then libunwind keeps its pipe, as before).
bool install() noexcept;

// Whether the 8-byte word holding `address` can be read: the answer libunwind's validation now gets.
bool readable(const void* address) noexcept;

}  // namespace prof::preload::memory::unwind_validation
