// Oversubscription: more runnable threads on a host than it has cores, the classic being ranks that each
// run a parallel BLAS or OpenMP with as many threads as the node has cores.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "merge/run_totals.hpp"
#include "report/processes/oversubscription.hpp"

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
  // An MPI runtime's progress and event threads sleep in poll(): they take no core worth counting.
  std::int64_t threads = std::max<std::int64_t>(1, meta.threads_seen - meta.runtime_threads);
  for (const char* name : {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"})
    if (auto it = meta.env.find(name); it != meta.env.end())
      threads = std::max(threads, leading_number(it->second));
  return threads;
}

namespace {

struct Busiest {
  std::size_t processes = 0;
  std::int64_t threads = 0;
};

// The most threads running at once: checked at each process's start, where a maximum begins.
Busiest busiest_moment(const std::vector<const Running*>& runs) {
  Busiest most;
  for (const auto* run : runs) {
    Busiest now;
    for (const auto* other : runs)
      if (other == run ||
          (overlap(*run, *other) && (std::isnan(other->start) || other->start <= run->start))) {
        ++now.processes;
        now.threads += other->threads;
      }
    if (now.threads > most.threads) most = now;
  }
  return most;
}

std::string processes_text(std::size_t n) {
  return fmt::format("{} process{}", n, n == 1 ? "" : "es");
}

}  // namespace

std::vector<std::string> oversubscription_warnings(const std::vector<Snapshot>& processes) {
  std::map<std::string, std::vector<const Meta*>> by_host;
  for (const auto& process : processes)
    by_host[process.meta.host].push_back(&process.meta);
  std::vector<std::string> warnings;
  for (const auto& [host, metas] : by_host) {
    auto where = host.empty() ? std::string("the host") : fmt::format("host {}", host);
    // A parent that waits for its children (a launcher, a fork pool's master) takes no core meanwhile.
    std::vector<Running> runs;
    std::vector<const Meta*> running;
    std::int64_t cores = 0;
    for (const auto* meta : metas) {
      if (meta->cores_online > 0) cores = cores ? std::min(cores, meta->cores_online) : meta->cores_online;
      bool is_parent = std::any_of(metas.begin(), metas.end(), [&](const Meta* other) {
        return other != meta && other->ppid == meta->pid;
      });
      if (is_parent && metas.size() > 1) continue;
      double start = parse_utc_time(meta->start_time);
      runs.push_back({start, start + meta->wall_seconds, threads_wanted(*meta)});
      running.push_back(meta);
    }
    std::vector<const Running*> all;
    for (const auto& run : runs)
      all.push_back(&run);
    const Busiest host_most = busiest_moment(all);
    if (cores > 0 && host_most.threads > cores)
      warnings.push_back(fmt::format(
          "{}: {} ran at once with {} threads in all, on {} cores: oversubscribed (threads: max of the "
          "program's threads and OMP/OPENBLAS/MKL_NUM_THREADS)",
          where, processes_text(host_most.processes), host_most.threads, cores));
    // Bound to fewer CPUs than the host has: processes bound to the same CPUs share just those, however many
    // cores the host has (a rank bound to one core whose forked workers inherit that one core).
    std::map<std::string, std::vector<const Running*>> by_binding;
    std::map<std::string, std::int64_t> binding_cpus;
    for (std::size_t i = 0; i < running.size(); ++i) {
      const auto* meta = running[i];
      if (!meta->cpu_list || !meta->cpus_allowed || *meta->cpus_allowed >= meta->cores_online) continue;
      by_binding[*meta->cpu_list].push_back(&runs[i]);
      binding_cpus[*meta->cpu_list] = *meta->cpus_allowed;
    }
    for (const auto& [list, bound] : by_binding) {
      const Busiest most = busiest_moment(bound);
      const auto cpus = binding_cpus[list];
      if (most.threads > cpus)
        warnings.push_back(fmt::format(
            "{}: {} bound to CPU{} {} ran at once with {} threads on {} core{}: oversubscribed (forked "
            "workers share the cores their parent was bound to; see the launcher's binding options)",
            where, processes_text(most.processes), cpus == 1 ? "" : "s", list, most.threads, cpus,
            cpus == 1 ? "" : "s"));
    }
    std::vector<std::string> threaded;
    std::set<std::int64_t> rank_numbers;  // the workers a rank forks carry its rank too
    for (const auto* meta : metas) {
      if (!meta->rank) continue;
      rank_numbers.insert(*meta->rank);
      if (threads_wanted(*meta) > 1)
        threaded.push_back(fmt::format("{} ({})", who(*meta), threads_wanted(*meta)));
    }
    const std::size_t ranks = rank_numbers.size();
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
