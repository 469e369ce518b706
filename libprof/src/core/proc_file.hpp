#pragma once
// Reads a small file (from /proc, usually) into a caller's buffer: no allocation, so it is safe at exit and
// in signal handlers.

#include <cstddef>

namespace prof::core {

// Reads up to `capacity` bytes of `path`; returns the number read, or -1 when the file cannot be opened.
long read_file_into(const char* path, char* buffer, std::size_t capacity) noexcept;

}  // namespace prof::core
