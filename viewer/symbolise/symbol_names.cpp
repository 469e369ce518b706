#include "symbolise/symbol_names.hpp"

#include <gelf.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <utility>

namespace prof::viewer {

// The symbols libdwfl's search considers: named, defined, and not a section, file or thread-local symbol.
void SymbolNames::read_starts() {
  starts_read_ = true;
  struct Sized {
    std::uint64_t start, end;
    int index;
  };
  std::vector<Sized> sized;
  int count = dwfl_module_getsymtab(module_);
  for (int i = 1; i < count; ++i) {
    GElf_Sym symbol;
    GElf_Addr address = 0;
    GElf_Word section = 0;
    const char* name = dwfl_module_getsym_info(module_, i, &symbol, &address, &section, nullptr, nullptr);
    int type = GELF_ST_TYPE(symbol.st_info);
    if (!name || !*name || section == SHN_UNDEF || type == STT_SECTION || type == STT_FILE || type == STT_TLS)
      continue;
    starts_.push_back(address);
    if (symbol.st_size != 0)
      sized.push_back(Sized{address, address + symbol.st_size, i});
    else
      labels_.push_back(address);
  }
  std::sort(starts_.begin(), starts_.end());
  std::sort(labels_.begin(), labels_.end());
  std::sort(sized.begin(), sized.end(), [](const Sized& a, const Sized& b) { return a.start < b.start; });
  std::uint64_t reach = 0;
  for (const Sized& symbol : sized) {
    reach = std::max(reach, symbol.end);
    sized_starts_.push_back(symbol.start);
    sized_reach_.push_back(reach);
    sized_ends_.push_back(symbol.end);
    sized_indices_.push_back(symbol.index);
  }
  // libdwfl answers with a label (a symbol without a size) only within its section.
  GElf_Addr bias = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> sections;  // start, end
  if (Elf* elf = dwfl_module_getelf(module_, &bias)) {
    for (Elf_Scn* section = elf_nextscn(elf, nullptr); section; section = elf_nextscn(elf, section)) {
      GElf_Shdr header;
      if (!gelf_getshdr(section, &header) || !(header.sh_flags & SHF_ALLOC)) continue;
      boundaries_.push_back(header.sh_addr + bias);
      boundaries_.push_back(header.sh_addr + bias + header.sh_size);
      sections.emplace_back(header.sh_addr + bias, header.sh_addr + bias + header.sh_size);
    }
  }
  std::sort(boundaries_.begin(), boundaries_.end());
  std::sort(sections.begin(), sections.end());
  std::uint64_t section_reach = 0;
  for (const auto& [start, end] : sections) {
    section_reach = std::max(section_reach, end);
    section_starts_.push_back(start);
    section_reach_.push_back(section_reach);
    section_ends_.push_back(end);
  }
}

bool SymbolNames::in_section(std::uint64_t address) const {
  auto above = std::upper_bound(section_starts_.begin(), section_starts_.end(), address);
  return above != section_starts_.begin() && address < section_reach_[above - section_starts_.begin() - 1];
}

// The one sized symbol that holds `address` when nothing else could be libdwfl's answer: it is the only
// symbol to start at its address, no symbol starts between it and `address`, and no other sized symbol holds
// `address`. libdwfl then names it whatever the order of its table (globals first, locals only when no
// global holds the address), and does so in a search over the whole table; this is two binary searches.
const char* SymbolNames::sole_holder(std::uint64_t address, std::uint64_t& start, std::uint64_t& end) const {
  auto next = std::upper_bound(starts_.begin(), starts_.end(), address);
  if (next == starts_.begin()) return nullptr;
  start = *std::prev(next);
  if (std::prev(next) != starts_.begin() && *std::prev(next, 2) == start) return nullptr;
  auto sized = std::lower_bound(sized_starts_.begin(), sized_starts_.end(), start);
  if (sized == sized_starts_.end() || *sized != start) return nullptr;
  auto k = static_cast<std::size_t>(sized - sized_starts_.begin());
  if (address >= sized_ends_[k] || (k > 0 && sized_reach_[k - 1] > address)) return nullptr;
  end = sized_ends_[k];
  if (next != starts_.end() && *next < end) end = *next;
  GElf_Sym symbol;
  GElf_Addr value = 0;
  return dwfl_module_getsym_info(module_, sized_indices_[k], &symbol, &value, nullptr, nullptr, nullptr);
}

// Where libdwfl's answer for `address` is surely the same: the address's nearest symbols start together at
// one address (aliases, C++'s complete and base constructors), all of them sized and holding it, and no
// symbol below them reaches it. Whichever libdwfl picks among them, it picks it for every address they all
// hold that no other symbol starts at or reaches: [first, end).
bool SymbolNames::uniform_range(std::uint64_t address, std::uint64_t& first, std::uint64_t& end) const {
  auto next = std::upper_bound(starts_.begin(), starts_.end(), address);
  if (next == starts_.begin()) return false;
  const std::uint64_t start = *std::prev(next);
  auto all = std::equal_range(starts_.begin(), starts_.end(), start);
  auto sized = std::equal_range(sized_starts_.begin(), sized_starts_.end(), start);
  if (all.second - all.first != sized.second - sized.first) return false;  // a label among them
  auto from = static_cast<std::size_t>(sized.first - sized_starts_.begin());
  auto to = static_cast<std::size_t>(sized.second - sized_starts_.begin());
  end = next == starts_.end() ? UINT64_MAX : *next;
  for (std::size_t k = from; k < to; ++k)
    end = std::min(end, sized_ends_[k]);
  first = from > 0 ? std::max(start, sized_reach_[from - 1]) : start;
  return first <= address && address < end;
}

// True when libdwfl surely has no name for `address`: no sized symbol holds it, and no label (a symbol
// without a size, which libdwfl answers with only within its section) lies between the start of the one
// section that holds it and the address. A stripped program's static functions (gcc's cc1: thousands, between
// 28 898 exported symbols) are such addresses.
bool SymbolNames::surely_nameless(std::uint64_t address) const {
  auto sized = std::upper_bound(sized_starts_.begin(), sized_starts_.end(), address);
  if (sized != sized_starts_.begin() && sized_reach_[sized - sized_starts_.begin() - 1] > address)
    return false;
  auto section = std::upper_bound(section_starts_.begin(), section_starts_.end(), address);
  if (section == section_starts_.begin()) return false;
  auto k = static_cast<std::size_t>(section - section_starts_.begin()) - 1;
  if (address >= section_ends_[k] || (k > 0 && section_reach_[k - 1] > address)) return false;
  auto label = std::upper_bound(labels_.begin(), labels_.end(), address);
  return label == labels_.begin() || *std::prev(label) < section_starts_[k];
}

const char* SymbolNames::at(std::uint64_t address) {
  auto known = known_.upper_bound(address);
  if (known != known_.begin() && address < std::prev(known)->second.end) return std::prev(known)->second.name;
  if (!starts_read_) read_starts();
  std::uint64_t start = 0, end = 0;
  if (const char* name = sole_holder(address, start, end)) {
    known_[start] = Known{end, name};
    return name;
  }
  if (surely_nameless(address)) return nullptr;
  GElf_Off offset = 0;
  GElf_Sym symbol;
  const char* name = dwfl_module_addrinfo(module_, address, &offset, &symbol, nullptr, nullptr, nullptr);
  if (uniform_range(address, start, end)) {
    known_[start] = Known{end, name};
    return name;
  }
  if (name && symbol.st_size != 0 && offset < symbol.st_size) {
    // A sized symbol that holds the address answers for the rest of it, unless another symbol starts at the
    // same address (versions of one symbol, aliases of other sizes: which one libdwfl names depends on the
    // address) or inside it (an alias of a part, a local label with a size).
    std::uint64_t start = address - offset;
    auto same = std::equal_range(starts_.begin(), starts_.end(), start);
    if (same.second - same.first != 1) return name;
    std::uint64_t end = start + symbol.st_size;
    if (same.second != starts_.end() && *same.second < end) end = *same.second;
    if (address < end) known_[start] = Known{end, name};
  } else if (in_section(address)) {
    // No sized symbol holds it (a stripped binary's static function): the answer, a label below or none, is
    // the same from here up to the next symbol's start or section boundary, whichever is first; and down to
    // the last symbol's start, section boundary or end of a sized symbol, whichever is last: in between, the
    // symbols below an address and those that could hold it are the same. Frames of one gap come in any
    // order: python3.11's 2 745 frames in a snapshot took 668 calls to libdwfl with the range from the
    // address up, 511 with the whole gap.
    auto next = std::upper_bound(starts_.begin(), starts_.end(), address);
    auto boundary = std::upper_bound(boundaries_.begin(), boundaries_.end(), address);
    std::uint64_t end = next == starts_.end() ? UINT64_MAX : *next;
    if (boundary != boundaries_.end() && *boundary < end) end = *boundary;
    std::uint64_t from = address;
    auto sized = std::upper_bound(sized_starts_.begin(), sized_starts_.end(), address);
    std::uint64_t reach =
        sized == sized_starts_.begin() ? 0 : sized_reach_[sized - sized_starts_.begin() - 1];
    if (reach <= address) {
      from = reach;
      if (next != starts_.begin()) from = std::max(from, *std::prev(next));
      if (boundary != boundaries_.begin()) from = std::max(from, *std::prev(boundary));
    }
    known_[from] = Known{end, name};
  }
  // Otherwise the address is in no section (the padding between .data and .bss): libdwfl names no label
  // there but may name one at the label's own address, so its answer is not remembered for others.
  return name;
}

bool SymbolNames::same_answer(std::uint64_t address, std::uint64_t& first, std::uint64_t& end) const {
  auto known = known_.upper_bound(address);
  if (known == known_.begin() || address >= std::prev(known)->second.end) return false;
  first = std::prev(known)->first;
  end = std::prev(known)->second.end;
  return true;
}

}  // namespace prof::viewer
