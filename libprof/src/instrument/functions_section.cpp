#include "instrument/functions_section.hpp"

#include <elf.h>
#include <link.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "core/json_writer.hpp"
#include "instrument/function_sites.hpp"
#include "scopes/page_memory.hpp"

namespace prof::instrument {

namespace {

constexpr int kMaxModules = 1024;

struct ModuleRange {
  const char* path;
  std::uintptr_t base, low, high;
  unsigned char build_id[64];
  std::uint32_t build_id_size;
  std::int64_t row;  // -1 until a function site lies in it
};

struct Modules {
  ModuleRange* ranges;
  int count;
  char exe[4096];  // the main program's path (dl_iterate_phdr names it "")
};

void read_build_id(const dl_phdr_info& info, ModuleRange& range) noexcept {
  for (int i = 0; i < info.dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = info.dlpi_phdr[i];
    if (header.p_type != PT_NOTE) continue;
    auto* note = reinterpret_cast<const unsigned char*>(info.dlpi_addr + header.p_vaddr);
    const unsigned char* end = note + header.p_memsz;
    while (note + sizeof(ElfW(Nhdr)) <= end) {
      auto* n = reinterpret_cast<const ElfW(Nhdr)*>(note);
      std::size_t name = (n->n_namesz + 3) & ~std::size_t{3};
      std::size_t desc = (n->n_descsz + 3) & ~std::size_t{3};
      const unsigned char* data = note + sizeof(ElfW(Nhdr)) + name;
      if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
          std::memcmp(note + sizeof(ElfW(Nhdr)), "GNU", 4) == 0 && n->n_descsz <= sizeof range.build_id) {
        std::memcpy(range.build_id, data, n->n_descsz);
        range.build_id_size = n->n_descsz;
        return;
      }
      note = data + desc;
    }
  }
}

int add_module(dl_phdr_info* info, std::size_t, void* context) noexcept {
  auto* modules = static_cast<Modules*>(context);
  if (modules->count >= kMaxModules) return 1;
  ModuleRange& range = modules->ranges[modules->count];
  range = ModuleRange{};
  range.row = -1;
  range.path = info->dlpi_name && info->dlpi_name[0] ? info->dlpi_name : modules->exe;
  range.base = info->dlpi_addr;
  range.low = ~std::uintptr_t{0};
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = info->dlpi_phdr[i];
    if (header.p_type != PT_LOAD) continue;
    std::uintptr_t start = info->dlpi_addr + header.p_vaddr;
    if (start < range.low) range.low = start;
    if (start + header.p_memsz > range.high) range.high = start + header.p_memsz;
  }
  if (range.high == 0) return 0;
  read_build_id(*info, range);
  ++modules->count;
  return 0;
}

ModuleRange* module_of(Modules& modules, const void* function) noexcept {
  auto address = reinterpret_cast<std::uintptr_t>(function);
  for (int i = 0; i < modules.count; ++i)
    if (address >= modules.ranges[i].low && address < modules.ranges[i].high) return &modules.ranges[i];
  return nullptr;
}

void write_build_id(core::JsonWriter& out, const ModuleRange& range) noexcept {
  char hex[2 * sizeof range.build_id + 1];
  constexpr char kDigits[] = "0123456789abcdef";
  for (std::uint32_t i = 0; i < range.build_id_size; ++i) {
    hex[2 * i] = kDigits[range.build_id[i] >> 4];
    hex[2 * i + 1] = kDigits[range.build_id[i] & 15];
  }
  hex[2 * range.build_id_size] = '\0';
  out.value(static_cast<const char*>(hex));
}

}  // namespace

void write_functions_section(core::JsonWriter& out, void*) noexcept {
  // The modules as they are now: a plugin closed since its functions ran is not among them, and its
  // functions keep their addresses as names (module -1).
  auto* modules =
      static_cast<Modules*>(scopes::map_pages(sizeof(Modules) + sizeof(ModuleRange) * kMaxModules));
  std::uint32_t sites = function_site_count();
  if (modules) {
    modules->ranges = reinterpret_cast<ModuleRange*>(modules + 1);
    ssize_t length = ::readlink("/proc/self/exe", modules->exe, sizeof modules->exe - 1);
    modules->exe[length > 0 ? length : 0] = '\0';
    dl_iterate_phdr(add_module, modules);
  }
  out.begin_object();
  out.key("modules");
  out.begin_array();
  std::int64_t rows = 0;
  for (std::uint32_t i = 0; i < sites && modules; ++i) {
    const FunctionSite& site = function_site_at(i);
    if (site.site.table_slot.load(std::memory_order_acquire) == 0) continue;
    ModuleRange* range = module_of(*modules, site.function);
    if (!range || range->row >= 0) continue;
    range->row = rows++;
    out.begin_object();
    out.field("path", range->path);
    out.key("build_id");
    write_build_id(out, *range);
    out.field("base", static_cast<std::uint64_t>(range->base));
    out.end_object();
  }
  out.end_array();
  out.key("sites");
  out.begin_object();
  out.key("columns");
  out.begin_array();
  for (const char* column : {"site", "module", "offset"})
    out.value(column);
  out.end_array();
  out.key("rows");
  out.begin_array();
  for (std::uint32_t i = 0; i < sites; ++i) {
    const FunctionSite& site = function_site_at(i);
    std::uint32_t slot = site.site.table_slot.load(std::memory_order_acquire);
    if (slot == 0) continue;
    ModuleRange* range = modules ? module_of(*modules, site.function) : nullptr;
    auto address = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(site.function));
    out.begin_array();
    out.value(static_cast<std::uint64_t>(slot - 1));
    out.value(range ? range->row : std::int64_t{-1});
    out.value(range ? address - range->base : address);
    out.end_array();
  }
  out.end_array();
  out.end_object();
  out.end_object();
  if (modules) scopes::unmap_pages(modules, sizeof(Modules) + sizeof(ModuleRange) * kMaxModules);
}

}  // namespace prof::instrument
