#pragma once
// The snapshot `prof timeit` leaves (docs/SNAPSHOT.md): meta of the prof process itself (writer "prof") and a
// timers section with one timing per command (source "command") and the comparisons.
#include <string>
#include <vector>

#include "timeit_command/results.hpp"

namespace prof::viewer {

struct TimeitProcess {
  double start_monotonic = 0;  // CLOCK_MONOTONIC when prof started timing
  std::string start_time;      // UTC, ISO 8601 with microseconds
};

TimeitProcess timeit_process_start();

std::string timeit_snapshot_json(const TimeitProcess& process, const std::vector<CommandTiming>& timings,
                                 const std::vector<Comparison>& comparisons);

// Publishes `contents` as the format's writers do: a hidden temporary in the same directory created with
// O_EXCL|O_NOFOLLOW|O_CLOEXEC, renamed without replacing anything. A taken `path` is an error unless
// `number_if_taken`, which adds -2, -3, ... before ".prof.json". Returns the name it got.
std::string publish_new_file(const std::string& path, const std::string& contents, bool number_if_taken);

}  // namespace prof::viewer
