// SymbolNames answers what libdwfl's dwfl_module_addrname answers, for every address asked in any order: it
// only remembers answers for the ranges where the symbols below an address stay the same.
#include <elfutils/libdwfl.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "symbolise/symbol_names.hpp"

using prof::viewer::SymbolNames;

namespace {

char* no_debuginfo_path = nullptr;
const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = &no_debuginfo_path,
};

// Compares both answers at addresses of the module in a fixed pseudo-random order, each followed by a run of
// neighbours up and down (where a remembered range would end too late or start too early); returns how many
// addresses differ and counts the named ones in `named`.
int differences(const std::string& path, int& named) {
  Dwfl* dwfl = dwfl_begin(&callbacks);
  REQUIRE(dwfl);
  Dwfl_Module* module = dwfl_report_offline(dwfl, path.c_str(), path.c_str(), -1);
  REQUIRE(module);
  dwfl_report_end(dwfl, nullptr, nullptr);
  Dwarf_Addr low = 0, high = 0;
  dwfl_module_info(module, nullptr, &low, &high, nullptr, nullptr, nullptr, nullptr);
  REQUIRE(high > low);
  SymbolNames names(module);
  int differing = 0;
  std::uint64_t random = 88172645463325252ull;
  auto compare = [&](std::uint64_t address) {
    const char* expected = dwfl_module_addrname(module, address);
    const char* got = names.at(address);
    if ((expected == nullptr) != (got == nullptr) || (expected && std::string(expected) != got)) {
      if (differing < 5)
        UNSCOPED_INFO(path << " at " << std::hex << address - low << ": " << (expected ? expected : "(none)")
                           << " / " << (got ? got : "(none)"));
      ++differing;
    }
    if (expected) ++named;
  };
  for (int i = 0; i < 100; ++i) {
    random ^= random << 13;
    random ^= random >> 7;
    random ^= random << 17;
    std::uint64_t address = low + random % (high - low);
    compare(address);
    for (std::uint64_t step = 1; step <= 48 && address + step < high; ++step)
      compare(address + step * 7);
    for (std::uint64_t step = 1; step <= 48 && address - step * 7 >= low; ++step)
      compare(address - step * 7);
  }
  // Around each symbol without a size (a label): the address just above it first, then just below, where a
  // range remembered from above would reach too far down.
  int labels = 0;
  for (int i = 1, count = dwfl_module_getsymtab(module); i < count && labels < 300; ++i) {
    GElf_Sym symbol;
    GElf_Addr address = 0;
    const char* name = dwfl_module_getsym_info(module, i, &symbol, &address, nullptr, nullptr, nullptr);
    if (!name || !*name || symbol.st_size != 0 || address <= low + 1 || address + 1 >= high) continue;
    ++labels;
    compare(address + 1);
    compare(address - 1);
  }
  // The first and the last byte of sized symbols spread over the table: where a symbol nested in another
  // (an alias of a part, a local symbol inside a global one) makes libdwfl's answer depend on its rules.
  const int count = dwfl_module_getsymtab(module);
  for (int i = 1, seen = 0; i < count && seen < 1500; i += 1 + count / 1500) {
    GElf_Sym symbol;
    GElf_Addr address = 0;
    const char* name = dwfl_module_getsym_info(module, i, &symbol, &address, nullptr, nullptr, nullptr);
    if (!name || !*name || symbol.st_size == 0 || address < low || address + symbol.st_size > high) continue;
    ++seen;
    compare(address + symbol.st_size - 1);
    compare(address);
  }
  dwfl_end(dwfl);
  return differing;
}

}  // namespace

TEST_CASE(
    "symbol names: the same answer as libdwfl in a stripped program, libc, libstdc++, gcc's cc1 (28 898 "
    "exported symbols) and a binary with local symbols") {
  std::vector<std::string> paths = {"/proc/self/exe"};
  for (const char* path : {"/usr/bin/python3.11", "/lib/x86_64-linux-gnu/libc.so.6",
                           "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/gcc/x86_64-linux-gnu/12/cc1"})
    if (access(path, R_OK) == 0) paths.push_back(path);
  for (const std::string& path : paths) {
    int named = 0;
    CHECK(differences(path, named) == 0);
    INFO(path);
    CHECK(named > 1000);  // the comparison saw names, not only gaps
  }
}
