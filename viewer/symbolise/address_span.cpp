#include "symbolise/address_span.hpp"

namespace prof::viewer::spans {

bool holds(Dwarf_Die* die, Dwarf_Addr pc, Dwarf_Addr bias, Around* around, Around* region,
           std::pair<std::uint64_t, std::uint64_t>* piece) {
  const bool held = dwarf_haspc(die, pc) == 1;
  if (!around) return held;
  Dwarf_Addr base = 0, start = 0, end = 0;
  ptrdiff_t offset = 0;
  bool found = false;
  while ((offset = dwarf_ranges(die, offset, &base, &start, &end)) > 0) {
    for (Around* narrowed : {around, region}) {
      if (!narrowed) continue;
      if (start <= pc && pc < end)
        narrowed->within(start + bias, end + bias);
      else
        narrowed->outside(start + bias, end + bias);
    }
    if (start <= pc && pc < end) {
      found = true;
      if (piece) *piece = {start + bias, end + bias};
    }
  }
  if (offset < 0 || found != held) {  // not read as dwarf_haspc read it
    around->only_here();
    if (region) region->only_here();
  }
  return held;
}

void narrow_outside_aranges(Dwfl_Module* module, std::uint64_t address, Around& around) {
  if (!around.wanted()) return;
  Dwarf_Addr bias = 0;
  Dwarf* dwarf = dwfl_module_getdwarf(module, &bias);
  if (!dwarf) return;  // no DWARF: no unit anywhere
  Dwarf_Aranges* aranges = nullptr;
  std::size_t count = 0;
  if (dwarf_getaranges(dwarf, &aranges, &count) != 0) return around.only_here();
  for (std::size_t i = 0; i < count; ++i) {
    Dwarf_Addr start = 0;
    Dwarf_Word length = 0;
    if (dwarf_getarangeinfo(dwarf_onearange(aranges, i), &start, &length, nullptr) != 0 ||
        (start + bias <= address && address < start + bias + length))
      return around.only_here();
    around.outside(start + bias, start + bias + length);
  }
}

void sort_cuts(std::vector<Dwarf_Addr>& cuts) {
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
}

// From the last cut at or below pc to the first above it.
void narrow_to_cuts(const std::optional<std::vector<Dwarf_Addr>>& cuts, Dwarf_Addr pc, Dwarf_Addr bias,
                    Around& around) {
  if (!cuts) return around.only_here();
  auto above = std::upper_bound(cuts->begin(), cuts->end(), pc);
  if (above != cuts->end()) around.within(0, *above + bias);
  if (above != cuts->begin()) around.within(*std::prev(above) + bias, UINT64_MAX);
}

void narrow_to_row(Dwarf_Die* unit, Dwarf_Addr pc, Dwarf_Addr bias, Around& around, Cuts& known) {
  if (!around.wanted()) return;
  Dwarf_Lines* lines = nullptr;
  std::size_t count = 0;
  if (dwarf_getsrclines(unit, &lines, &count) != 0) return around.only_here();
  auto [rows, added] = known.rows.try_emplace(lines);
  if (added) {
    // libdwfl answers an address equal to a row's with that row even where it ends a sequence, and the
    // addresses after it with none: the address after the end of a sequence is a cut too.
    std::vector<Dwarf_Addr> cuts;
    for (std::size_t i = 0; i < count; ++i) {
      Dwarf_Line* line = dwarf_onesrcline(lines, i);
      Dwarf_Addr row = 0;
      bool ends = false;
      if (dwarf_lineaddr(line, &row) != 0 || dwarf_lineendsequence(line, &ends) != 0)
        return around.only_here();
      cuts.push_back(row);
      if (ends) cuts.push_back(row + 1);
    }
    sort_cuts(cuts);
    rows->second = std::move(cuts);
  }
  narrow_to_cuts(rows->second, pc, bias, around);
}

// Which unit libdwfl finds for an address comes from a binary search of .debug_aranges' entries by their
// starts (entries of several units may start at one address: a template's copies in each unit that used it),
// where an address equal to a start ends the search early: the answer stays the same strictly between one
// start and the next (and up to the last entry's end). Cut at every entry's start, the address after it, its
// end and the address after that; and the same unit at both ends of the span left.
void narrow_to_unit(Dwfl_Module* module, Dwarf_Die* unit, Dwarf_Addr pc, Dwarf_Addr bias, Around& around,
                    Cuts& known) {
  if (!around.wanted()) return;
  Dwarf_Addr dwarf_bias = 0;
  Dwarf* dwarf = dwfl_module_getdwarf(module, &dwarf_bias);
  if (!dwarf || dwarf_bias != bias) return around.only_here();
  if (!known.aranges_read) {
    known.aranges_read = true;
    Dwarf_Aranges* aranges = nullptr;
    std::size_t count = 0;
    if (dwarf_getaranges(dwarf, &aranges, &count) != 0) return around.only_here();
    std::vector<Dwarf_Addr> cuts;
    for (std::size_t i = 0; i < count; ++i) {
      Dwarf_Addr start = 0;
      Dwarf_Word length = 0;
      if (dwarf_getarangeinfo(dwarf_onearange(aranges, i), &start, &length, nullptr) != 0)
        return around.only_here();
      cuts.insert(cuts.end(), {start, start + 1, start + length, start + length + 1});
    }
    sort_cuts(cuts);
    known.aranges = std::move(cuts);
  }
  narrow_to_cuts(known.aranges, pc, bias, around);
  for (std::uint64_t end : {around.first(), around.end() - 1}) {
    Dwarf_Addr end_bias = 0;
    Dwarf_Die* other = dwfl_module_addrdie(module, end, &end_bias);
    if (!other || end_bias != bias || dwarf_dieoffset(other) != dwarf_dieoffset(unit))
      return around.only_here();
  }
}

}  // namespace prof::viewer::spans
