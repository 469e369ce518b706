#pragma once
// A raw snapshot (frames as module + offset, as the shim writes them) of the call sites of this test program.
#include <cstdint>
#include <string>

#include "model/snapshot.hpp"

namespace symtest {

struct Loaded {
  std::string path;
  std::int64_t base = 0;
};

// This test program: its file and where it is loaded.
Loaded this_program();
std::int64_t offset_of(const void* address, const Loaded& module);
std::string program_build_id(const Loaded& module);

// Every recorded frame is a return address, looked up one byte before; the innermost one here is made to
// point one byte past the entry of returns_its_return_address, as a call ending there would. Stack 0: [entry
// of returns_its_return_address (innermost), return address in plain_caller] Stack 1: [entry of
// returns_its_return_address, return address in outer_with_inlined_call]
prof::viewer::Snapshot raw_snapshot(const Loaded& module, const std::string& build_id);

}  // namespace symtest
