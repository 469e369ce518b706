#pragma once
// The sampled threads' names, by thread id, for `prof report --samples --threads`: a thread names itself
// (pthread_setname_np) after it starts, so the name is read again in its samples now and then and at its end.
// Lock-free and allocation-free: filled from the signal handler and from thread ends at once.

#include <sys/types.h>

#include <cstdint>

namespace prof::preload::sampling::threads {

constexpr int kNameBytes = 16;  // the kernel's TASK_COMM_LEN, terminator included

// Reserves the table; false when the kernel refused the address space.
bool init() noexcept;

// Reads the calling thread's name (prctl PR_GET_NAME: a system call, no descriptor) into its entry.
// Async-signal-safe.
void note_current(pid_t tid) noexcept;

// The entries for the snapshot: `count()` of them, each a thread id (0: not written yet, skip it) and its
// last name seen.
std::uint32_t count() noexcept;
pid_t tid(std::uint32_t entry) noexcept;
const char* name(std::uint32_t entry) noexcept;

// In a fork child: the parent's threads are not the child's.
void reset() noexcept;

}  // namespace prof::preload::sampling::threads
