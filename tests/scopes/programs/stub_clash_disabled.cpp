// A unit built with PROF_ENABLED=0 in a program whose other units record: it takes the address of the
// disabled prof::write_snapshot, which makes the compiler emit the stub as a weak definition. The stub must
// not carry the real function's name, or the linker may let it replace the real one program-wide.
#include <prof/prof.hpp>

using WriteSnapshot = bool (*)(const char*) noexcept;

WriteSnapshot disabled_unit_write_snapshot() {
  return &prof::write_snapshot;
}
