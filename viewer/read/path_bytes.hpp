#pragma once
// Strings are bytes (docs/SNAPSHOT.md, "Strings are bytes"): a path or a command line need not be UTF-8, and
// a writer escapes each byte outside well-formed UTF-8 as \udcXX (U+DC80..U+DCFF, Python's surrogateescape).
// JSON parsers that insist on Unicode (simdjson among them) refuse a lone surrogate, so the reader first
// rewrites each such escape as the code point U+10FFXX (plane 16's private use area, which the writers never
// emit as such), parses, then maps U+10FF80..U+10FFFF in the strings of the model back to the byte XX.
#include <optional>
#include <string>
#include <string_view>

#include "model/snapshot.hpp"

namespace prof::viewer {

// The document with every lone \udc80..\udcff escape rewritten for the parser, or nullopt when it has none
// (the common case: nothing is copied).
std::optional<std::string> with_byte_escapes_rewritten(std::string_view json);

// Maps U+10FF80..U+10FFFF back to the bytes 0x80..0xFF, in place.
void restore_bytes(std::string& text);
void restore_bytes(Meta& meta);
void restore_bytes(Snapshot& snapshot);

}  // namespace prof::viewer
