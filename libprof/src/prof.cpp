#include <prof/prof.hpp>

#include "scopes/lifetime.hpp"

namespace prof {

const char* version() noexcept {
  return PROF_VERSION_STRING;
}

namespace {

// glibc passes argc, argv and envp to the constructors of shared objects, so the snapshot's meta has the
// command line without reading /proc.
__attribute__((constructor)) void start(int argc, char** argv, char** envp) {
  scopes::start_library(argc, argv, envp);
}

__attribute__((destructor)) void stop() {
  scopes::stop_library();
}

}  // namespace

}  // namespace prof
