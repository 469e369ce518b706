#pragma once
// Which ranks of an MPI job left a snapshot and how each ended: a rank killed by a signal the MPI library
// catches (Open MPI's own SIGSEGV handler) or by mpirun's SIGKILL writes nothing, and a merge of the others
// would otherwise pass for the whole job.
#include <cstdint>
#include <string>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

struct RankCensus {
  std::int64_t size = 0;              // the job's size, the largest any meta says; 0 without ranks
  std::vector<std::int64_t> present;  // ranks with a snapshot, in order (a rank's forked workers not counted)
  std::vector<std::int64_t> missing;  // 0..size-1 without one
  std::vector<std::string> endings;   // "rank 2: SIGSEGV", one per rank that did not exit with 0
};

RankCensus rank_census(const std::vector<Snapshot>& processes);

// "3 of 4 ranks left a snapshot, rank 1 missing; rank 2: SIGSEGV": one line for the top of the report.
// Empty when every rank is there and ended with 0.
std::string rank_census_warning(const RankCensus& census);

// Ranks as "0,2-5,9".
std::string rank_list(const std::vector<std::int64_t>& ranks);

// How a process ended, short: "exit 0", "exit 3", "SIGSEGV", "aborted (SIGABRT)", "running", "?".
std::string ending_text(const ExitStatus& exit);

}  // namespace prof::viewer
