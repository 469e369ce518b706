#include "report/processes/rank_census.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace prof::viewer {

std::string ending_text(const ExitStatus& exit) {
  switch (exit.kind) {
    case ExitStatus::Kind::exited:
      return fmt::format("exit {}", exit.code);
    case ExitStatus::Kind::signaled: {
      std::string name = exit.signal_name.empty() ? fmt::format("signal {}", exit.signal) : exit.signal_name;
      // SIGABRT is abort(): an assert, MPI_Abort's default handler, or std::terminate.
      return exit.signal == 6 ? fmt::format("aborted ({})", name) : name;
    }
    case ExitStatus::Kind::running:
      return "running";
    case ExitStatus::Kind::unknown:
      return "?";
  }
  return "?";
}

RankCensus rank_census(const std::vector<Snapshot>& processes) {
  RankCensus census;
  std::map<std::int64_t, std::int64_t> rank_of_pid;
  for (const auto& s : processes) {
    if (s.meta.rank) rank_of_pid[s.meta.pid] = *s.meta.rank;
    if (s.meta.size) census.size = std::max(census.size, *s.meta.size);
    if (s.mpi && s.mpi->size) census.size = std::max(census.size, *s.mpi->size);
  }
  std::set<std::int64_t> present;
  std::map<std::int64_t, std::vector<std::string>> endings;
  for (const auto& s : processes) {
    if (!s.meta.rank) continue;
    // A worker a rank forks carries the rank's number: the rank is the process whose parent is not that rank.
    auto parent = rank_of_pid.find(s.meta.ppid);
    if (parent != rank_of_pid.end() && parent->second == *s.meta.rank) continue;
    present.insert(*s.meta.rank);
    const auto& exit = s.meta.exit;
    if (exit.kind == ExitStatus::Kind::signaled || (exit.kind == ExitStatus::Kind::exited && exit.code != 0))
      endings[*s.meta.rank].push_back(ending_text(exit));
  }
  census.present.assign(present.begin(), present.end());
  for (std::int64_t r = 0; r < census.size; ++r)
    if (!present.contains(r)) census.missing.push_back(r);
  for (const auto& [rank, texts] : endings)
    for (const auto& text : texts)
      census.endings.push_back(fmt::format("rank {}: {}", rank, text));
  return census;
}

std::string rank_list(const std::vector<std::int64_t>& ranks) {
  // Runs of consecutive ranks as ranges: a job of 512 that lost a node of 64 stays one short line.
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < ranks.size();) {
    std::size_t j = i;
    while (j + 1 < ranks.size() && ranks[j + 1] == ranks[j] + 1)
      ++j;
    parts.push_back(j > i ? fmt::format("{}-{}", ranks[i], ranks[j]) : std::to_string(ranks[i]));
    i = j + 1;
  }
  return fmt::format("{}", fmt::join(parts, ","));
}

std::string rank_census_warning(const RankCensus& census) {
  std::vector<std::string> parts;
  if (!census.missing.empty())
    parts.push_back(fmt::format("{} of {} ranks left a snapshot, rank{} {} missing", census.present.size(),
                                census.size, census.missing.size() > 1 ? "s" : "",
                                rank_list(census.missing)));
  if (!census.endings.empty()) parts.push_back(fmt::format("{}", fmt::join(census.endings, ", ")));
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace prof::viewer
