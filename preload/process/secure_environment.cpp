#include "process/secure_environment.hpp"

#include <sys/auxv.h>
#include <cstddef>

namespace prof::preload::secure_environment {

bool is_secure() noexcept {
  return ::getauxval(AT_SECURE) != 0;
}

const char* find(char* const* envp, const char* name, bool secure) noexcept {
  if (secure || !envp || !name) return nullptr;
  // No libc string functions: this runs in the constructor, possibly before the real ones are resolved.
  std::size_t length = __builtin_strlen(name);
  for (char* const* e = envp; *e; ++e) {
    if (__builtin_strncmp(*e, name, length) == 0 && (*e)[length] == '=') return *e + length + 1;
  }
  return nullptr;
}

const char* lookup(char* const* envp, const char* name) noexcept {
  return find(envp, name, is_secure());
}

}  // namespace prof::preload::secure_environment
