// Oversubscription: more runnable threads on a host than it has cores, the classic being ranks that each
// run a parallel BLAS or OpenMP with as many threads as the node has cores.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "aggregate.hpp"
#include "process_relations.hpp"

namespace prof::viewer {

namespace {

// "8" or "8,4" (OpenMP's nested list): the first level's count.
std::int64_t leading_number(const std::string& text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  (void)end;
  return error == std::errc() ? value : 0;
}

struct Running {
  double start = NAN, end = NAN;  // NaN: unknown, counted as overlapping everything
  std::int64_t threads = 1;
};

bool overlap(const Running& a, const Running& b) {
  if (std::isnan(a.start) || std::isnan(b.start)) return true;
  return a.start < b.end && b.start < a.end;
}

std::string who(const Meta& meta) {
  return meta.rank ? fmt::format("rank {}", *meta.rank) : fmt::format("pid {}", meta.pid);
}

}  // namespace

std::int64_t threads_wanted(const Meta& meta) {
  std::int64_t threads = std::max<std::int64_t>(1, meta.threads_seen);
  for (const char* name : {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"})
    if (auto it = meta.env.find(name); it != meta.env.end())
      threads = std::max(threads, leading_number(it->second));
  return threads;
}

std::vector<std::string> oversubscription_warnings(const std::vector<Snapshot>& processes) {
  std::map<std::string, std::vector<const Meta*>> by_host;
  for (const auto& process : processes)
    by_host[process.meta.host].push_back(&process.meta);
  std::vector<std::string> warnings;
  for (const auto& [host, metas] : by_host) {
    // A parent that waits for its children (a launcher, a fork pool's master) takes no core meanwhile.
    std::vector<Running> runs;
    std::int64_t cores = 0;
    for (const auto* meta : metas) {
      bool is_parent = std::any_of(metas.begin(), metas.end(), [&](const Meta* other) {
        return other != meta && other->ppid == meta->pid;
      });
      auto cpus = meta->cpus_allowed && *meta->cpus_allowed > 0
                      ? std::min(meta->cores_online, *meta->cpus_allowed)
                      : meta->cores_online;
      if (cpus > 0) cores = cores ? std::min(cores, cpus) : cpus;
      if (is_parent && metas.size() > 1) continue;
      double start = parse_utc_time(meta->start_time);
      runs.push_back({start, start + meta->wall_seconds, threads_wanted(*meta)});
    }
    // The most threads running at once: checked at each process's start, where a maximum begins.
    std::size_t most_processes = 0;
    std::int64_t most_threads = 0;
    for (const auto& run : runs) {
      std::size_t count = 0;
      std::int64_t threads = 0;
      for (const auto& other : runs)
        if (&other == &run ||
            (overlap(run, other) && (std::isnan(other.start) || other.start <= run.start))) {
          ++count;
          threads += other.threads;
        }
      if (threads > most_threads) {
        most_threads = threads;
        most_processes = count;
      }
    }
    auto where = host.empty() ? std::string("the host") : fmt::format("host {}", host);
    if (cores > 0 && most_threads > cores)
      warnings.push_back(fmt::format(
          "{}: {} process{} ran at once with {} threads in all, on {} cores: oversubscribed (threads: "
          "max of threads seen and OMP/OPENBLAS/MKL_NUM_THREADS)",
          where, most_processes, most_processes == 1 ? "" : "es", most_threads, cores));
    std::vector<std::string> threaded;
    std::size_t ranks = 0;
    for (const auto* meta : metas) {
      if (!meta->rank) continue;
      ++ranks;
      if (threads_wanted(*meta) > 1)
        threaded.push_back(fmt::format("{} ({})", who(*meta), threads_wanted(*meta)));
    }
    if (ranks > 1 && !threaded.empty()) {
      if (threaded.size() > 8) {
        auto more = threaded.size() - 8;
        threaded.resize(8);
        threaded.push_back(fmt::format("and {} more", more));
      }
      warnings.push_back(
          fmt::format("{}: {} ranks share the host and these ran several threads (parallel "
                      "BLAS or OpenMP next to other ranks?): {}",
                      where, ranks, fmt::join(threaded, ", ")));
    }
  }
  return warnings;
}

}  // namespace prof::viewer
