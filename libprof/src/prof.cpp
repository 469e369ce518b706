#include <prof/prof.hpp>

namespace prof {

const char* version() noexcept { return PROF_VERSION_STRING; }

}  // namespace prof
