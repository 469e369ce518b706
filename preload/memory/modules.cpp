#include "memory/modules.hpp"

#include <elf.h>
#include <link.h>
#include <unistd.h>
#include <cstring>

namespace prof::preload::memory::modules {

namespace {

char g_exe_path[4096];

struct Collector {
  Module* out;
  int count;
};

void read_build_id(const dl_phdr_info* info, const ElfW(Phdr) & header, Module& m) noexcept {
  auto* at = reinterpret_cast<const unsigned char*>(info->dlpi_addr + header.p_vaddr);
  const unsigned char* end = at + header.p_memsz;
  while (at + sizeof(ElfW(Nhdr)) <= end) {
    auto* note = reinterpret_cast<const ElfW(Nhdr)*>(at);
    const unsigned char* name = at + sizeof(ElfW(Nhdr));
    const unsigned char* desc = name + ((note->n_namesz + 3) & ~3u);
    const unsigned char* next = desc + ((note->n_descsz + 3) & ~3u);
    if (next > end) return;
    if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0 &&
        note->n_descsz <= kMaxBuildId) {
      std::memcpy(m.build_id, desc, note->n_descsz);
      m.build_id_size = static_cast<int>(note->n_descsz);
      return;
    }
    at = next;
  }
}

int visit(dl_phdr_info* info, std::size_t, void* data) noexcept {
  auto* collector = static_cast<Collector*>(data);
  if (collector->count >= kMaxModules) return 1;
  Module& m = collector->out[collector->count];
  m.path = info->dlpi_name ? info->dlpi_name : "";
  m.base = info->dlpi_addr;
  m.low = ~std::uintptr_t{0};
  m.high = 0;
  m.build_id_size = 0;
  m.unloaded = false;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = info->dlpi_phdr[i];
    if (header.p_type == PT_LOAD) {
      std::uintptr_t low = info->dlpi_addr + header.p_vaddr;
      if (low < m.low) m.low = low;
      if (low + header.p_memsz > m.high) m.high = low + header.p_memsz;
    } else if (header.p_type == PT_NOTE && m.build_id_size == 0) {
      read_build_id(info, header, m);
    }
  }
  if (m.high == 0) return 0;  // nothing mapped (vdso without segments, say)
  if (m.path[0] == '\0' && collector->count == 0) {
    ssize_t n = ::readlink("/proc/self/exe", g_exe_path, sizeof g_exe_path - 1);
    g_exe_path[n > 0 ? n : 0] = '\0';
    m.path = g_exe_path;
  }
  ++collector->count;
  return 0;
}

}  // namespace

int collect(Module* out) noexcept {
  Collector collector{out, 0};
  dl_iterate_phdr(visit, &collector);
  return collector.count;
}

int find(const Module* list, int count, std::uintptr_t address) noexcept {
  for (int i = 0; i < count; ++i) {
    if (address >= list[i].low && address < list[i].high) return i;
  }
  return -1;
}

}  // namespace prof::preload::memory::modules
