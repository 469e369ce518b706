#include "symbolise/module.hpp"

#include <cxxabi.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <libelf.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "symbolise/address_span.hpp"
#include "symbolise/debug_cache.hpp"
#include "symbolise/identity_hash.hpp"
#include "symbolise/symbol_cache.hpp"
#include "symbolise/symbol_names.hpp"

namespace prof::viewer {

using spans::Around;
using spans::Cuts;
using spans::holds;
using spans::narrow_outside_aranges;
using spans::narrow_to_row;
using spans::narrow_to_unit;

namespace {

char* no_debuginfo_path = nullptr;

enum class Candidate { kMissing, kRegular, kOther };

Candidate candidate_kind(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Candidate::kMissing;
  return S_ISREG(st.st_mode) ? Candidate::kRegular : Candidate::kOther;
}

std::string build_id_debug_path(const unsigned char* id, int id_length) {
  std::string path = "/usr/lib/debug/.build-id/" + fmt::format("{:02x}/", id[0]);
  for (int i = 1; i < id_length; ++i)
    path += fmt::format("{:02x}", id[i]);
  return path + ".debug";
}

// What the places of a module's separate debug file hold.
enum class Candidates {
  kNone,     // no file at any of them
  kRegular,  // some regular file, nothing else
  kUnsafe,   // a FIFO, a device or a folder at one of them
};

// The places libdwfl's standard search opens for a separate debug file (elfutils' find-debuginfo with the
// default path ":.debug:/usr/lib/debug"): by build id, then the .gnu_debuglink name beside the module, in its
// .debug folder and under /usr/lib/debug. A snapshot names its modules, so a crafted one can make any of
// these a FIFO or a device, whose open would block for ever: the search runs only when none of them is.
std::vector<std::string> debug_candidate_paths(Dwfl_Module* module, const char* file_name,
                                               const char* debuglink) {
  std::vector<std::string> paths;
  const unsigned char* id = nullptr;
  GElf_Addr id_address = 0;
  int id_length = dwfl_module_build_id(module, &id, &id_address);
  if (id_length > 1) paths.push_back(build_id_debug_path(id, id_length));
  if (debuglink && file_name) {
    auto dir = std::filesystem::path(file_name).parent_path();
    for (const auto& candidate : {dir / debuglink, dir / ".debug" / debuglink,
                                  std::filesystem::path("/usr/lib/debug") / dir.relative_path() / debuglink})
      paths.push_back(candidate.string());
  }
  return paths;
}

Candidates debug_candidates(Dwfl_Module* module, const char* file_name, const char* debuglink) {
  Candidates found = Candidates::kNone;
  for (const std::string& path : debug_candidate_paths(module, file_name, debuglink)) {
    Candidate kind = candidate_kind(path);
    if (kind == Candidate::kOther) return Candidates::kUnsafe;
    if (kind == Candidate::kRegular) found = Candidates::kRegular;
  }
  return found;
}

// libdwfl (elfutils 0.188) asks debuginfod for every debug file it does not find on disk, and to do so loads
// libdebuginfod with its 30 libraries (curl, gnutls, Kerberos, LDAP): 20 ms of CPU in every `prof run` whose
// program uses a library without a debug package, even with no server configured. Without DEBUGINFOD_URLS
// that question has no answer anyway.
bool debuginfod_configured() {
  const char* urls = std::getenv("DEBUGINFOD_URLS");
  return urls && *urls;
}

int give_name(int fd, const std::string& path, char** debug_file_name) {
  // libdwfl frees the name it is given.
  std::free(*debug_file_name);
  *debug_file_name = ::strdup(path.c_str());
  return fd;
}

// A debug file with compressed DWARF is read from its decompressed copy in the cache (debug_cache.hpp), made
// the first time it is found. The file found by build id is looked up before libdwfl's search: that search
// keeps the Elf it opened for the build id's check and uses it whatever descriptor is returned.
int find_debuginfo_safely(Dwfl_Module* module, void** user_data, const char* module_name, Dwarf_Addr base,
                          const char* file_name, const char* debuglink, GElf_Word crc,
                          char** debug_file_name) {
  const Candidates candidates = debug_candidates(module, file_name, debuglink);
  if (candidates == Candidates::kUnsafe) return -1;
  if (candidates == Candidates::kNone && !debuginfod_configured()) return -1;
  const unsigned char* id = nullptr;
  GElf_Addr id_address = 0;
  int id_length = dwfl_module_build_id(module, &id, &id_address);
  std::string by_id = id_length > 1 ? build_id_debug_path(id, id_length) : std::string();
  std::string copy;
  if (!by_id.empty()) {
    int original = ::open(by_id.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    int cached = original < 0 ? -1 : cached_copy(original, id, id_length, copy);
    if (original >= 0) ::close(original);
    if (cached >= 0) {
      return give_name(cached, copy, debug_file_name);
    }
  }
  int found = dwfl_standard_find_debuginfo(module, user_data, module_name, base, file_name, debuglink, crc,
                                           debug_file_name);
  if (found < 0 || id_length <= 0) return found;
  if (!by_id.empty() && *debug_file_name && by_id == *debug_file_name) {
    make_copy(found, id, id_length);  // for the next run: this one reads the Elf libdwfl holds already
    return found;
  }
  int fd = decompressed_debug(found, id, id_length, copy);
  return fd == found ? fd : give_name(fd, copy, debug_file_name);
}

// Offline: the process is gone, modules are read from their files (separate debug files through the
// standard search: .gnu_debuglink, /usr/lib/debug/.build-id), never through a file that is not regular.
const Dwfl_Callbacks offline_callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = find_debuginfo_safely,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = &no_debuginfo_path,
};

std::string attribute_string(Dwarf_Die* die, int name) {
  Dwarf_Attribute attribute;
  if (!dwarf_attr_integrate(die, name, &attribute)) return {};
  const char* text = dwarf_formstring(&attribute);
  return text ? text : "";
}

// The linkage name demangled says which overload and which namespace; the plain name is the fallback.
std::string function_name(Dwarf_Die* die) {
  for (int attribute : {DW_AT_linkage_name, DW_AT_MIPS_linkage_name}) {
    auto linkage = attribute_string(die, attribute);
    if (!linkage.empty()) return demangle(linkage.c_str());
  }
  return attribute_string(die, DW_AT_name);
}

bool unsigned_attribute(Dwarf_Die* die, int name, Dwarf_Word& value) {
  Dwarf_Attribute attribute;
  return dwarf_attr(die, name, &attribute) && dwarf_formudata(&attribute, &value) == 0;
}

// libdw 0.188 finds no unit for some addresses of clang's DWARF 5 (no .debug_aranges, addrx/rnglistx
// ranges) and says "address out of range": ask each unit whether it holds the address. The units asked before
// narrow `around` and `region` to none of theirs, the one found to its piece: every address left finds it
// too.
bool unit_by_scan(Dwfl_Module* module, Dwarf_Addr address, Dwarf_Die& unit, Dwarf_Addr& bias, Around* around,
                  Around* region) {
  Dwarf* dwarf = dwfl_module_getdwarf(module, &bias);
  if (!dwarf) return false;
  Dwarf_CU* cu = nullptr;
  Dwarf_Die die;
  while (dwarf_get_units(dwarf, cu, &cu, nullptr, nullptr, &die, nullptr) == 0)
    if (holds(&die, address - bias, bias, around, region)) {
      unit = die;
      return true;
    }
  return false;
}

struct Walk {
  Dwarf_Addr pc = 0;
  Dwarf_Addr bias = 0;
  Around* around = nullptr;
  // Narrowed only by what the walk reads before it meets the outermost function: within it, a walk from that
  // function finds what a walk from the unit finds.
  Around* region = nullptr;
  std::pair<std::uint64_t, std::uint64_t> subprogram{0, 0};  // the outermost function's piece holding pc
  std::optional<Dwarf_Die> outermost;
};

// Appends, outermost first, the subprogram and inlined instances below `parent` that contain `pc`.
void enclosing_functions(Dwarf_Die& parent, Walk& walk, std::vector<Dwarf_Die>& chain) {
  Dwarf_Die child;
  if (dwarf_child(&parent, &child) != 0) return;
  do {
    int tag = dwarf_tag(&child);
    bool function = tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine;
    bool container = function || tag == DW_TAG_lexical_block || tag == DW_TAG_namespace ||
                     tag == DW_TAG_class_type || tag == DW_TAG_structure_type || tag == DW_TAG_try_block ||
                     tag == DW_TAG_catch_block;
    if (!container) continue;
    // Namespaces and classes have no address range: look inside them for the function that has it.
    bool scoped = tag == DW_TAG_namespace || tag == DW_TAG_class_type || tag == DW_TAG_structure_type;
    const bool outermost = function && chain.empty();
    if (!scoped && !holds(&child, walk.pc, walk.bias, walk.around, chain.empty() ? walk.region : nullptr,
                          outermost ? &walk.subprogram : nullptr))
      continue;
    if (outermost) walk.outermost = child;
    if (function) chain.push_back(child);
    auto before = chain.size();
    enclosing_functions(child, walk, chain);
    if (!scoped || chain.size() > before) return;
  } while (dwarf_siblingof(&child, &child) == 0);
}

}  // namespace

std::string demangle(const char* name) {
  int status = 0;
  char* readable = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  if (status != 0 || !readable) return name;
  std::string result = readable;
  std::free(readable);
  return result;
}

struct SymbolModule::Handles {
  Dwfl* dwfl = nullptr;
  Dwfl_Module* module = nullptr;
  std::string path;
  struct stat file {};               // the module file as opened
  std::optional<SymbolNames> names;  // made at the first name asked for
  Cuts cuts;                         // read at the first span asked for
  const char* name_at(std::uint64_t address) {
    if (!names) names.emplace(module);
    return names->at(address);
  }
  ~Handles() {
    if (dwfl) dwfl_end(dwfl);
  }
};

namespace {

// Larger than any real binary with its debug information; a bound on what one module may cost to read.
constexpr off_t kMaxModuleBytes = off_t{16} << 30;

// The module's file, opened only when it is a regular file of a sane size: a module path in a snapshot is
// untrusted, and a FIFO or a device there would block the open or the reads for ever. O_NONBLOCK makes the
// open of a FIFO return at once; the descriptor is checked with fstat, so a file swapped after a stat cannot
// slip through. Returns -1 with `error` set.
int open_module_file(const std::string& path, std::string& error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return -1;
  }
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    error = "not a regular file";
  } else if (status.st_size <= 0 || status.st_size > kMaxModuleBytes) {
    error = fmt::format("unlikely size for a binary: {} bytes", static_cast<long long>(status.st_size));
  } else {
    // Back to blocking reads: a regular file never blocks, and libelf expects ordinary reads.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
  }
  ::close(fd);
  return -1;
}

}  // namespace

SymbolModule::SymbolModule(const std::string& path, std::int64_t base) : handles_(new Handles) {
  int fd = open_module_file(path, error_);
  if (fd < 0) return;
  handles_->path = path;
  ::fstat(fd, &handles_->file);
  handles_->dwfl = dwfl_begin(&offline_callbacks);
  if (!handles_->dwfl) {
    error_ = dwfl_errmsg(-1);
    ::close(fd);
    return;
  }
  dwfl_report_begin(handles_->dwfl);
  // On success libdwfl owns the descriptor (closed by dwfl_end).
  handles_->module =
      dwfl_report_elf(handles_->dwfl, path.c_str(), path.c_str(), fd, static_cast<Dwarf_Addr>(base), false);
  if (!handles_->module) {
    error_ = dwfl_errmsg(-1);
    ::close(fd);
  }
  dwfl_report_end(handles_->dwfl, nullptr, nullptr);
}

SymbolModule::~SymbolModule() = default;

std::string SymbolModule::build_id() const {
  if (!handles_->module) return {};
  const unsigned char* bits = nullptr;
  GElf_Addr vaddr = 0;
  int length = dwfl_module_build_id(handles_->module, &bits, &vaddr);
  std::string hex;
  for (int i = 0; i < length; ++i)
    hex += fmt::format("{:02x}", bits[i]);
  return hex;
}

std::uint64_t SymbolModule::cache_key() const {
  Dwfl_Module* module = handles_->module;
  const std::string& symboliser = symboliser_build_id();
  if (!module || symboliser.empty() || debuginfod_configured()) return 0;
  IdentityHash key;
  key.add(symboliser);
  key.add(handles_->file);
  key.add(build_id());
  GElf_Addr bias = 0;
  Elf* elf = dwfl_module_getelf(module, &bias);
  GElf_Word crc = 0;
  const char* debuglink = elf ? dwelf_elf_gnu_debuglink(elf, &crc) : nullptr;
  for (const std::string& path : debug_candidate_paths(module, handles_->path.c_str(), debuglink)) {
    key.add(path);
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) continue;
    if (!S_ISREG(status.st_mode)) return 0;
    key.add(status);
  }
  return key.value() == 0 ? 1 : key.value();
}

namespace {

// clang records the headers it found through its own directory: "/usr/bin/../lib/gcc/x86_64-linux-gnu/12/
// ../../../../include/c++/12/bits/new_allocator.h" is /usr/include/c++/12/bits/new_allocator.h, and must be
// recognised as such (a system header) and shown as such.
std::string normal_path(const std::string& file) {
  if (file.find("/.") == std::string::npos) return file;
  return std::filesystem::path(file).lexically_normal().string();
}

}  // namespace

// Where lookup_function's first answer found its outermost function, for the walks of the rest of it.
struct SymbolModule::Function {
  Dwarf_Die unit{};
  bool scanned = false;  // the unit was found by unit_by_scan: the region holds only addresses of that unit
  Dwarf_Addr bias = 0;
  Dwarf_Die outermost{};
  std::uint64_t first = 0;  // the region (Walk::region) as absolute addresses
  std::uint64_t end = 0;
};

std::vector<SymbolModule::Span> SymbolModule::lookup_function(std::uint64_t address, int more) const {
  std::optional<Function> function;
  std::vector<Span> spans{answer(address, true, nullptr, &function)};
  if (!function) return spans;
  const std::uint64_t first = std::max(function->first, spans[0].function_first);
  const std::uint64_t end = std::min(function->end, spans[0].function_end);
  for (auto at = spans[0].end; at < end && more-- > 0;) {
    auto next = answer(at, true, &*function, nullptr);
    if (next.first > at || next.end <= at) break;
    at = next.end;
    spans.push_back(std::move(next));
  }
  for (auto at = spans[0].first; at > first && more-- > 0;) {
    auto next = answer(at - 1, true, &*function, nullptr);
    if (next.first >= at || next.end < at) break;
    at = next.first;
    spans.push_back(std::move(next));
  }
  return spans;
}

SymbolModule::Span SymbolModule::answer(std::uint64_t address, bool with_span, const Function* from,
                                        std::optional<Function>* found) const {
  Span span{.frames = {}, .first = address, .end = address + 1, .function_first = 0, .function_end = 0};
  Dwfl_Module* module = handles_->module;
  if (!module) return span;
  Around around(address, with_span);
  Around region(address, true);
  std::vector<SourceFrame>& frames = span.frames;
  std::string file;
  std::int64_t line = 0;
  if (Dwfl_Line* source = dwfl_module_getsrc(module, address)) {
    int number = 0;
    if (const char* name = dwfl_lineinfo(source, nullptr, &number, nullptr, nullptr, nullptr)) file = name;
    line = number;
  }
  Dwarf_Addr bias = 0;
  Dwarf_Die found_unit;
  Dwarf_Die* unit = dwfl_module_addrdie(module, address, &bias);
  const bool by_aranges = unit != nullptr;
  Dwarf_Die from_unit = from ? from->unit : Dwarf_Die{};
  if (from && (by_aranges ? bias != from->bias || dwarf_dieoffset(unit) != dwarf_dieoffset(&from_unit)
                          : !from->scanned))
    return answer(address, with_span, nullptr, nullptr);  // not the function's unit here after all
  if (from) around.within(from->first, from->end);
  Walk walk{.pc = address - bias,
            .bias = bias,
            .around = with_span ? &around : nullptr,
            .region = found ? &region : nullptr,
            .subprogram = {0, 0},
            .outermost = std::nullopt};
  if (unit) {
    narrow_to_unit(module, unit, walk.pc, bias, around, handles_->cuts);
    narrow_to_row(unit, walk.pc, bias, around, handles_->cuts);
  } else {
    narrow_outside_aranges(module, address, around);
    if (walk.region) narrow_outside_aranges(module, address, region);
    bool scanned = false;
    if (from) {  // within a function found by scan: its region (`around` is inside it) finds its unit again
      found_unit = from_unit;
      bias = from->bias;
      scanned = true;
    } else {
      scanned = unit_by_scan(module, address, found_unit, bias, walk.around, walk.region);
    }
    if (scanned) {
      unit = &found_unit;
      walk.pc = address - bias;
      walk.bias = bias;
      narrow_to_row(unit, walk.pc, bias, around, handles_->cuts);
      if (file.empty())
        if (Dwarf_Line* source = dwarf_getsrc_die(unit, address - bias)) {
          if (const char* name = dwarf_linesrc(source, nullptr, nullptr)) file = name;
          int number = 0;
          if (dwarf_lineno(source, &number) == 0) line = number;
        }
    }
  }
  if (unit) {
    Dwarf_Files* files = nullptr;
    if (dwarf_getsrcfiles(unit, &files, nullptr) != 0) files = nullptr;
    // The chain of functions containing the address, innermost first, walked from the unit down: libdw's
    // dwarf_getscopes() misses clang's DWARF 5 inlined instances (addrx ranges) in elfutils 0.188.
    std::vector<Dwarf_Die> scopes;
    if (from) {
      Dwarf_Die outermost = from->outermost;
      scopes.push_back(outermost);
      enclosing_functions(outermost, walk, scopes);
    } else {
      enclosing_functions(*unit, walk, scopes);
    }
    if (found && walk.region && walk.outermost && with_span)
      *found = Function{.unit = *unit,
                        .scanned = !by_aranges,
                        .bias = bias,
                        .outermost = *walk.outermost,
                        .first = region.first(),
                        .end = region.end()};
    // Walk outwards: each inlined instance is a frame whose caller is at its DW_AT_call_file:call_line.
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
      Dwarf_Die* scope = &*it;
      int tag = dwarf_tag(scope);
      frames.push_back({function_name(scope), file, line, tag == DW_TAG_inlined_subroutine});
      if (tag == DW_TAG_subprogram) break;
      Dwarf_Word value = 0;
      file.clear();
      if (files && unsigned_attribute(scope, DW_AT_call_file, value))
        if (const char* name = dwarf_filesrc(files, value, nullptr, nullptr)) file = name;
      line = unsigned_attribute(scope, DW_AT_call_line, value) ? static_cast<std::int64_t>(value) : 0;
    }
  }
  std::pair<std::uint64_t, std::uint64_t> function = walk.subprogram;
  if (frames.empty() || frames.back().inlined) {
    // No DWARF (or a truncated chain): the symbol table still names the function.
    const char* symbol = handles_->name_at(address);
    std::uint64_t first = 0, end = 0;
    if (handles_->names->same_answer(address, first, end)) {
      around.within(first, end);
      function = {first, end};
    } else {
      around.only_here();
    }
    if (symbol || !file.empty())
      frames.push_back({symbol ? demangle(symbol) : std::string(), file, line, false});
  }
  for (auto& frame : frames)
    frame.file = normal_path(frame.file);
  span.first = around.first();
  span.end = around.end();
  // The span lies within the function's range, which narrowed it; a function not read stands as the span.
  const bool known = function.first <= span.first && span.end <= function.second;
  span.function_first = known ? function.first : span.first;
  span.function_end = known ? function.second : span.end;
  return span;
}

std::string SymbolModule::symbol_name(std::uint64_t address) const {
  if (!handles_->module) return {};
  const char* symbol = handles_->name_at(address);
  return symbol ? demangle(symbol) : std::string();
}

std::string SymbolModule::debug_file() const {
  const char* main_file = nullptr;
  const char* debug = nullptr;
  if (!handles_->module ||
      !dwfl_module_info(handles_->module, nullptr, nullptr, nullptr, nullptr, nullptr, &main_file, &debug))
    return {};
  return debug ? debug : "";
}

std::uint64_t SymbolModule::debug_file_bytes() const {
  Dwarf_Addr bias = 0;
  Dwarf* dwarf = handles_->module ? dwfl_module_getdwarf(handles_->module, &bias) : nullptr;
  Elf* elf = dwarf ? dwarf_getelf(dwarf) : nullptr;
  std::size_t size = 0;
  if (!elf || !elf_rawfile(elf, &size)) return 0;
  return size;
}

}  // namespace prof::viewer
