#pragma once
// The exec family: the snapshot of the old image is written before the program is replaced (a failed exec
// leaves the process running, and its exit snapshot comes later under the next free name), and with
// --no-follow the new program gets an environment without the shim. posix_spawn execs a new process, not
// this one: nothing to do there.

namespace prof::preload::exec_hooks {

// Looks the real functions up (dlsym may allocate: never in a vfork child or a signal handler).
void resolve() noexcept;

}  // namespace prof::preload::exec_hooks
