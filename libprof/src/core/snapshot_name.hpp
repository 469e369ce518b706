#pragma once
// File names of snapshots (docs/SNAPSHOT.md, "Files"): PROGRAM[.rRANK].PID[.SEQ][-K].prof.json.

#include <cstddef>

namespace prof::core {

inline constexpr std::size_t kMaxProgramName = 64;
inline constexpr char kSnapshotSuffix[] = ".prof.json";

// Writes the base name of `argv0` with characters outside [A-Za-z0-9._+-] replaced by '_', cut to 64 bytes,
// NUL-terminated; "unknown" when argv0 is null or has an empty base name. `out` holds kMaxProgramName + 1.
void sanitize_program_name(const char* argv0, char* out) noexcept;

// Writes "PROGRAM[.rNNNN].PID[.SEQ]": rank < 0 means none, sequence 0 means an exit snapshot. Returns the
// length, or 0 when `capacity` is too small.
std::size_t format_snapshot_stem(char* out, std::size_t capacity, const char* program, long pid, long rank,
                                 int sequence) noexcept;

// Writes STEM + ("-K" when attempt K > 1) + ".prof.json". Returns the length, or 0 when it does not fit.
std::size_t format_snapshot_file_name(char* out, std::size_t capacity, const char* stem,
                                      int attempt) noexcept;

}  // namespace prof::core
