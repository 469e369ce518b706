#pragma once
// One ELF module opened with libdwfl, answering "which functions, files and lines is this address?".
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace prof::viewer {

struct SourceFrame {
  std::string function;  // demangled; "" when unknown
  std::string file;      // "" when unknown
  std::int64_t line = 0;
  bool inlined = false;  // a call inlined into the next frame
};

class SymbolModule {
 public:
  // Opens `path` as loaded at `base`. On failure `error()` says why and lookups return nothing.
  SymbolModule(const std::string& path, std::int64_t base);
  ~SymbolModule();
  SymbolModule(const SymbolModule&) = delete;
  SymbolModule& operator=(const SymbolModule&) = delete;

  const std::string& error() const { return error_; }
  // The module's GNU build id as lowercase hex; "" when it has none.
  std::string build_id() const;
  // A hash of everything lookup()'s answers depend on besides the address: this module file (device, inode,
  // size, mtime, build id), each place a separate debug file could come from, and the symboliser's own
  // build; 0 when they cannot be told (no module, no build of ours to name, a debuginfod server in use).
  std::uint64_t cache_key() const;
  // The frames at `address` (an absolute address in the process), innermost first; empty when unknown.
  std::vector<SourceFrame> lookup(std::uint64_t address) const;
  // The symbol table's name for the function at `address`, demangled; "" when none. At a function's entry it
  // is the fully qualified name (DWARF names a member defined in its class without its class).
  std::string symbol_name(std::uint64_t address) const;
  // The separate debug file the DWARF was read from (after a lookup), its name and the size of the file
  // libdw holds (a decompressed copy is larger than the compressed original); "" and 0 when none.
  std::string debug_file() const;
  std::uint64_t debug_file_bytes() const;

 private:
  struct Handles;
  std::unique_ptr<Handles> handles_;
  std::string error_;
};

std::string demangle(const char* name);

}  // namespace prof::viewer
