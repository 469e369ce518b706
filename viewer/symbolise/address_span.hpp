#pragma once
// The addresses around a looked-up one that get the same answer (SymbolModule::lookup_span): each thing the
// lookup reads (the unit libdwfl finds, the line-table row, the ranges of the functions and blocks it walks,
// the symbol) narrows the span to where that thing stays the same.
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace prof::viewer::spans {

// The addresses around a looked-up one (absolute) over which everything its answer was read from stays the
// same; each thing read narrows it.
class Around {
 public:
  // Not `wanted`: nothing is narrowed (a plain lookup), and the narrowing functions read nothing for it.
  Around(std::uint64_t at, bool wanted) : at_(at), wanted_(wanted) {}
  bool wanted() const { return wanted_; }
  // Something that holds the address from `first` to `end`.
  void within(std::uint64_t first, std::uint64_t end) {
    first_ = std::max(first_, first);
    end_ = std::min(end_, end);
  }
  // Something that does not hold the address: the addresses from `first` to `end` would read it.
  void outside(std::uint64_t first, std::uint64_t end) {
    if (end <= at_)
      first_ = std::max(first_, end);
    else if (first > at_)
      end_ = std::min(end_, first);
  }
  void only_here() { within(at_, at_ + 1); }
  std::uint64_t first() const { return first_; }
  std::uint64_t end() const { return end_; }

 private:
  std::uint64_t at_;
  bool wanted_;
  std::uint64_t first_ = 0;
  std::uint64_t end_ = UINT64_MAX;
};

// Sorted addresses where something a span depends on may change, read once: per module from .debug_aranges,
// per unit from its line table. Null: not readable, so no span.
struct Cuts {
  std::optional<std::vector<Dwarf_Addr>> aranges;
  bool aranges_read = false;
  std::unordered_map<const Dwarf_Lines*, std::optional<std::vector<Dwarf_Addr>>> rows;
};

// dwarf_haspc(die, pc) == 1, and with `around` (and `region`) its ranges narrow it (DWARF addresses + bias).
// The piece that holds pc goes to `piece` when asked.
bool holds(Dwarf_Die* die, Dwarf_Addr pc, Dwarf_Addr bias, Around* around, Around* region = nullptr,
           std::pair<std::uint64_t, std::uint64_t>* piece = nullptr);
// libdwfl found no unit for the address in .debug_aranges: nor for any other address of the span.
void narrow_outside_aranges(Dwfl_Module* module, std::uint64_t address, Around& around);
// The unit's line-table rows around pc: from the last row at or below it to the first above it.
void narrow_to_row(Dwarf_Die* unit, Dwarf_Addr pc, Dwarf_Addr bias, Around& around, Cuts& known);
// Where libdwfl finds the same unit as for pc (see the definition for why the cuts are where they are).
void narrow_to_unit(Dwfl_Module* module, Dwarf_Die* unit, Dwarf_Addr pc, Dwarf_Addr bias, Around& around,
                    Cuts& known);

}  // namespace prof::viewer::spans
