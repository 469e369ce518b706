#pragma once
// Threads an MPI runtime starts for itself (Open MPI's progress and event threads, PMIx's listener, UCX's
// async thread) sleep in poll() almost all the time. They are counted apart (meta.runtime_threads) so that
// the viewer's oversubscription check does not take every rank for a multi-threaded one.

namespace prof::preload {

// Whether a module file (a path or a bare name) belongs to an MPI runtime.
bool is_mpi_runtime_module(const char* path) noexcept;

// Whether a thread start routine lives in such a module.
bool started_by_mpi_runtime(void* (*start)(void*)) noexcept;

}  // namespace prof::preload
