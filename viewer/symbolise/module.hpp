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
  std::vector<SourceFrame> lookup(std::uint64_t address) const {
    return answer(address, false, nullptr, nullptr).frames;
  }
  // The same, with the addresses around `address` that get the same answer: [first, end), first <= address
  // < end. It ends where anything the answer depends on may change (a line-table row, the address ranges of
  // a function or inlined call, a unit, a symbol); end == address + 1 when that cannot be told.
  struct Span {
    std::vector<SourceFrame> frames;
    std::uint64_t first = 0;
    std::uint64_t end = 0;
    // The function the address is in (its DWARF subprogram's address range, or its symbol), as far as it is
    // known; [first, end) when not.
    std::uint64_t function_first = 0;
    std::uint64_t function_end = 0;
  };
  Span lookup_span(std::uint64_t address) const { return answer(address, true, nullptr, nullptr); }
  // lookup_span(address) first, then up to `more` spans of the rest of its function (walked from the
  // function itself, not from its unit: a fraction of the cost).
  std::vector<Span> lookup_function(std::uint64_t address, int more) const;
  // The symbol table's name for the function at `address`, demangled; "" when none. At a function's entry it
  // is the fully qualified name (DWARF names a member defined in its class without its class).
  std::string symbol_name(std::uint64_t address) const;
  // The separate debug file the DWARF was read from (after a lookup), its name and the size of the file
  // libdw holds (a decompressed copy is larger than the compressed original); "" and 0 when none.
  std::string debug_file() const;
  std::uint64_t debug_file_bytes() const;

 private:
  struct Function;
  Span answer(std::uint64_t address, bool with_span, const Function* from,
              std::optional<Function>* found) const;

  struct Handles;
  std::unique_ptr<Handles> handles_;
  std::string error_;
};

std::string demangle(const char* name);

}  // namespace prof::viewer
