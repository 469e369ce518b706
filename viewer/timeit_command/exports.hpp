#pragma once
// `prof timeit`'s results in the files hyperfine users feed to their scripts and documents: --export-json
// (hyperfine's schema: results[] with command, mean, stddev, median, user, system, min, max, times,
// exit_codes), --export-csv (one row per command) and --export-markdown (a table with the relative speed).
#include <string>
#include <vector>

#include "timeit_command/results.hpp"

namespace prof::viewer {

std::string export_json(const std::vector<CommandTiming>& timings,
                        const std::vector<std::vector<int>>& exit_codes);
std::string export_csv(const std::vector<CommandTiming>& timings);
std::string export_markdown(const std::vector<CommandTiming>& timings);

}  // namespace prof::viewer
