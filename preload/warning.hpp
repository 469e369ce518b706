#pragma once
// The shim's one-line warnings on stderr, written only while fd 2 is still the stderr the process started
// with: a program that closed stderr and opened its own data file on fd 2 must not find our words in it. The
// shim keeps no descriptor of its own (the program could see or close it): it remembers which file fd 2 was
// (device and inode) and looks again before each line.

#include <cstddef>
#include <string_view>

namespace prof::preload::warning {

// Remembers the file behind fd 2; called first thing in the shim's constructor (and again in a new image).
void remember_stderr() noexcept;

// Writes `line` (ending in '\n') to fd 2 if fd 2 is still that file; silent otherwise. Async-signal-safe.
void write_line(const char* line, std::size_t length) noexcept;

// "prof: warning: NAME=VALUE is not EXPECTED; using USED" (VALUE cut to 64 bytes), through write_line.
void bad_setting(const char* name, std::string_view value, const char* expected, const char* used) noexcept;

}  // namespace prof::preload::warning
