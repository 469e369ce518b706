#pragma once
// Sizes on prof run's command line (--mem-sample 512K): bytes, or a number with a binary suffix K, M, G, T
// (KiB, MiB... and KB, MB... mean the same), as the shim reads PROF_MEMORY_SAMPLE.
#include <cstdint>
#include <optional>
#include <string_view>

namespace prof::viewer::run {

// The bytes `text` names, or nothing when it names none (or more than 1 TiB, the largest the shim takes).
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

}  // namespace prof::viewer::run
