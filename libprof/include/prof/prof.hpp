#pragma once
// libprof's public API for instrumented programs. Link libprof::prof (CMake) or `pkg-config --libs libprof`.

#include <prof/control.hpp>
#include <prof/scopes.hpp>
#include <prof/timeit.hpp>
#include <prof/version.hpp>

namespace prof {

// The libprof version this program was linked against, e.g. "0.1.0".
const char* version() noexcept;

}  // namespace prof
