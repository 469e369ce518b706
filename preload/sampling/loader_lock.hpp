#pragma once
// Whether some thread holds the dynamic loader's lock on its list of loaded objects (glibc's
// dl_load_write_lock, taken by dl_iterate_phdr, dlopen and dlclose). libunwind calls dl_iterate_phdr to find
// a frame's unwind tables, so a sample that unwinds while its own thread holds that lock, or takes or
// releases it, waits for a lock that will never be free: the program hangs (python3 importing extension
// modules under the sampler; tests/sampling/programs/loader_calls.cpp two threads out of two). Such a sample
// keeps the interrupted instruction alone: its self time counts where it ran, its callers are not known.
//
// The lock's address is not published: locate() finds it inside _rtld_global (ld.so's exported state) as the
// one recursive mutex that this thread owns inside a dl_iterate_phdr callback and nobody owns outside it.

#include <pthread.h>

namespace prof::preload::sampling::loader_lock {

namespace detail {
extern const pthread_mutex_t* g_lock;  // null when not found: samples unwind as before
}

// Once, at the sampler's start, before any timer is armed.
void locate() noexcept;

// Held, or being taken or released, by any thread. Read in the sample's signal handler.
inline bool busy() noexcept {
  const pthread_mutex_t* lock = detail::g_lock;
  return lock && __atomic_load_n(&lock->__data.__lock, __ATOMIC_RELAXED) != 0;
}

}  // namespace prof::preload::sampling::loader_lock
