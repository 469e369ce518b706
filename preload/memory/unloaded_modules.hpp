#pragma once
// Modules the program closed with dlclose: the sites keep their return addresses, so the snapshot must still
// name the module those addresses were in. dlclose is interposed (dl_hooks.cpp); the modules that vanish
// across the real call are copied here, paths included (the loader frees its own copy).

#include <cstdint>

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

// Load generations. A later dlopen may map another module over a closed one's range (Open MPI loads and
// unloads dozens of plugins), so an address alone cannot say which module it was recorded in. At each
// dlclose, every store of recorded return addresses rewrites its addresses inside the vanished modules as
// tagged ones: bit 63 (never set in a user-space address), the unloaded module's index (bits 40..55, as
// append() lists them) and the offset from its load bias (bits 0..39). The stores' hashes stay those of the
// old addresses, so a stack met again in the new module becomes a site or entry of its own.
constexpr std::uintptr_t kTagBit = std::uintptr_t{1} << 63;
constexpr int kTagIndexShift = 40;
constexpr std::uintptr_t kTagOffsetMask = (std::uintptr_t{1} << kTagIndexShift) - 1;

// Rewrites `address` as a tagged one when it lies in a module the current dlclose unmapped. Call only from
// a store's walk (below), which runs inside close().
void retag(std::uintptr_t& address) noexcept;
// The span [low, high) that holds every module the current dlclose unmapped: a walk calls retag() only for
// addresses inside it (one compare per frame; the walks run at every dlclose, Open MPI makes hundreds).
void vanished_span(std::uintptr_t& low, std::uintptr_t& high) noexcept;

// A store of return addresses (memory sites, sampled stacks) walks its frames and calls retag() on each.
// Registered once at start-up; up to four.
using StoreWalk = void (*)() noexcept;
void add_store(StoreWalk walk) noexcept;

// For the snapshot writer: a tagged address's unloaded index (into append()'s list) and its offset from the
// module's load bias; false for an ordinary address.
bool untag(std::uintptr_t address, int& unloaded_index, std::uintptr_t& offset) noexcept;

// In a fork child: the lock may have been held by a thread that does not exist there.
void reset_after_fork() noexcept;

}  // namespace prof::preload::memory::unloaded_modules
