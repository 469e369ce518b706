// The shim is built without exceptions and links libstdc++ statically. A range-checked call left in an
// unoptimised build (std::string_view::substr) still names libstdc++'s throwing helper, and its object file
// would bring the exception machinery along, whose initialiser allocates an emergency pool (72 704 bytes) on
// the program's heap at load: every later block of the program would sit 16 bytes off its plain place
// (tests/preload "...land where they land without the shim"). This definition takes the helper's place, so
// none of that is linked; reaching it would be a bug of the shim's, and it ends the process as a failed
// check.

#include <cstdlib>

namespace std {

[[noreturn]] void __throw_out_of_range_fmt(const char*, ...) {
  std::abort();
}

}  // namespace std
