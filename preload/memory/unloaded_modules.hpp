#pragma once
// Modules the program closed with dlclose: the sites keep their return addresses, so the snapshot must still
// name the module those addresses were in. dlclose is interposed (dl_hooks.cpp); the modules that vanish
// across the real call are copied here, paths included (the loader frees its own copy).

#include "memory/modules.hpp"

namespace prof::preload::memory::unloaded_modules {

using CloseFn = int (*)(void*);

// Calls `real_close(handle)` and remembers every module it unmapped. After an unmapping, the stack caches
// keyed by return address (memory_stack_cache, libunwind's) are invalidated: a later module may reuse the
// range.
int close(void* handle, CloseFn real_close) noexcept;

// Copies the remembered modules to `out` (room for `capacity`), marked unloaded, oldest first. Lock-free:
// runs in the snapshot writer, possibly in a signal handler.
int append(modules::Module* out, int capacity) noexcept;

// In a fork child: the lock may have been held by a thread that does not exist there.
void reset_after_fork() noexcept;

}  // namespace prof::preload::memory::unloaded_modules
