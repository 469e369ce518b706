#pragma once
// The symbol table's name for an address of one module, as libdwfl's dwfl_module_addrname gives it, without
// its cost: elfutils 0.188 reads the whole symbol table at every call (python3.11's 2 200 symbols for each of
// its 2 500 frames in a snapshot: 45 % of `prof run`'s symbolisation; gcc's cc1 exports 28 898 symbols). The
// table is read once, sorted; an address that only one sized symbol can answer for is named from it, and
// libdwfl is asked only where its rules could pick among several. A name found once stands for the rest of
// its function, up to where the next symbol of the table starts.
#include <cstdint>
#include <map>
#include <vector>

#include <elfutils/libdwfl.h>

namespace prof::viewer {

class SymbolNames {
 public:
  explicit SymbolNames(Dwfl_Module* module) : module_(module) {}
  // The raw (mangled) name of the function at `address`; null when none. Valid while the module is open.
  const char* at(std::uint64_t address);
  // After at(address): the addresses around it that get the same answer, [first, end); false when only the
  // address itself is known to.
  bool same_answer(std::uint64_t address, std::uint64_t& first, std::uint64_t& end) const;

 private:
  struct Known {
    std::uint64_t end;  // where the function ends, or the next symbol starts, whichever is first
    const char* name;
  };
  void read_starts();
  const char* sole_holder(std::uint64_t address, std::uint64_t& start, std::uint64_t& end) const;
  bool surely_nameless(std::uint64_t address) const;
  bool uniform_range(std::uint64_t address, std::uint64_t& first, std::uint64_t& end) const;
  bool in_section(std::uint64_t address) const;

  Dwfl_Module* module_;
  bool starts_read_ = false;
  std::vector<std::uint64_t> starts_;  // every symbol libdwfl may answer with, sorted by address
  // The symbols with a size, by start, and the furthest end of those starting at or below each one.
  std::vector<std::uint64_t> sized_starts_;
  std::vector<std::uint64_t> sized_reach_;
  std::vector<std::uint64_t> sized_ends_;  // each one's own end
  std::vector<int> sized_indices_;         // and its index in libdwfl's table
  std::vector<std::uint64_t> boundaries_;  // where the module's sections start and end, sorted
  // The sections by start, and the furthest end of those starting at or below each one.
  std::vector<std::uint64_t> section_starts_;
  std::vector<std::uint64_t> section_reach_;
  std::vector<std::uint64_t> section_ends_;  // each one's own end
  std::vector<std::uint64_t> labels_;        // the symbols without a size, sorted
  std::map<std::uint64_t, Known> known_;
};

}  // namespace prof::viewer
