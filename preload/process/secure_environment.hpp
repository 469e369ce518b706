#pragma once
// The shim's settings (PROF_*) come from the environment, which the user of a setuid or setgid program does
// not own: there, as secure_getenv does, every setting is refused and the defaults apply. The constructor
// reads the envp glibc hands it (environ may already be edited by then), so secure_getenv alone is not
// enough.

namespace prof::preload::secure_environment {

// True when the process runs with privileges its invoker lacks (getauxval(AT_SECURE)).
bool is_secure() noexcept;

// The value of `name` in `envp` (null-terminated "NAME=value" strings), or null; null as well when `secure`.
const char* find(char* const* envp, const char* name, bool secure) noexcept;

// find() with this process's is_secure(): what the shim calls.
const char* lookup(char* const* envp, const char* name) noexcept;

}  // namespace prof::preload::secure_environment
