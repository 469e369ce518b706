#include "export/chrome.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "error.hpp"
#include "export/flame_layout.hpp"
#include "export/json_text.hpp"

namespace prof::viewer {

namespace {

// Writes the events of the list, a comma before every one but the first.
class EventList {
 public:
  explicit EventList(std::ostream& out) : out_(out) {}
  void add(const std::string& event) {
    out_ << (first_ ? "\n" : ",\n") << event;
    first_ = false;
  }

 private:
  std::ostream& out_;
  bool first_ = true;
};

std::string micros(std::int64_t ns) {
  return json_number(static_cast<double>(ns) / 1000.0);
}

// A trace's process per snapshot, numbered from 1 in the order read: pids repeat across the hosts of a
// run (and across a pid namespace's restarts), so the pid is only in the name.
std::size_t trace_pid(std::size_t process) {
  return process + 1;
}

std::string process_name(const Meta& meta) {
  auto where =
      meta.host.empty() ? fmt::format("pid {}", meta.pid) : fmt::format("{}, pid {}", meta.host, meta.pid);
  return meta.rank ? fmt::format("rank {} ({})", *meta.rank, where)
                   : fmt::format("{} ({})", meta.program, where);
}

void add_process_names(const ExportData& data, EventList& events) {
  const auto& processes = data.merge().processes();
  for (std::size_t p = 0; p < processes.size(); ++p) {
    const auto& meta = processes[p].meta;
    events.add(fmt::format(R"({{"name":"process_name","ph":"M","pid":{},"tid":0,"args":{{"name":{}}}}})",
                           trace_pid(p), json_string(process_name(meta))));
    if (meta.rank)
      events.add(fmt::format(
          R"({{"name":"process_sort_index","ph":"M","pid":{},"tid":0,"args":{{"sort_index":{}}}}})",
          trace_pid(p), *meta.rank));
  }
}

void add_thread_tree(const ScopeThreadTree& thread, std::size_t pid, EventList& events) {
  auto tid = thread.thread.tid.value_or(thread.thread.id);
  auto name = thread.thread.name.empty() ? fmt::format("thread {}", tid)
                                         : fmt::format("{} ({})", thread.thread.name, tid);
  events.add(fmt::format(R"({{"name":"thread_name","ph":"M","pid":{},"tid":{},"args":{{"name":{}}}}})", pid,
                         tid, json_string(name)));
  const auto& tree = thread.tree;
  for (const auto& span : flame_layout(tree)) {
    if (!span.open) continue;
    const auto& node = tree.nodes[span.node];
    const auto& site = tree.sites[node.site];
    events.add(fmt::format(
        R"({{"name":{},"cat":"scope","ph":"X","pid":{},"tid":{},"ts":{},"dur":{},"args":{{"file":{},"line":{},"calls":{},"self_ns":{},"total_ns":{}}}}})",
        json_string(site.name), pid, tid, micros(span.start_ns), micros(span.end_ns - span.start_ns),
        json_string(site.file), site.line, node.calls, node.self_ns, node.total_ns));
  }
}

void add_heap_counters(const ExportData& data, EventList& events) {
  for (const auto& timeline : data.timelines())
    for (const auto& point : timeline.points)
      events.add(fmt::format(
          R"({{"name":"live heap","cat":"memory","ph":"C","pid":{},"ts":{},"args":{{"bytes":{}}}}})",
          trace_pid(timeline.process), json_number(point.wall_seconds * 1e6), point.live_bytes));
}

void add_mpi_operations(const ExportData& data, EventList& events) {
  const auto& processes = data.merge().processes();
  for (std::size_t p = 0; p < processes.size(); ++p) {
    const auto& process = processes[p];
    if (!process.mpi) continue;
    for (const auto& op : process.mpi->operations)
      events.add(fmt::format(
          R"({{"name":{},"cat":"mpi","ph":"i","s":"p","pid":{},"tid":0,"ts":0,"args":{{"calls":{},"bytes_sent":{},"bytes_received":{},"seconds":{}}}}})",
          json_string(op.name), trace_pid(p), op.calls, op.bytes_sent, op.bytes_received,
          json_number(static_cast<double>(op.total_ns) * 1e-9)));
  }
}

}  // namespace

void write_chrome(const ExportData& data, std::ostream& out) {
  if (!data.has_scopes() && data.timelines().empty() &&
      std::none_of(data.merge().processes().begin(), data.merge().processes().end(),
                   [](const Snapshot& s) { return s.mpi && !s.mpi->operations.empty(); }))
    throw UserError("--format chrome", "these snapshots hold no scopes, heap timeline or MPI operations");
  out << R"({"displayTimeUnit":"ns","otherData":{"exporter":"prof export"},"traceEvents":[)";
  EventList events(out);
  add_process_names(data, events);
  const auto& threads = data.merge().scopes().thread_trees();
  for (std::size_t t = 0; t < threads.size(); ++t)
    add_thread_tree(threads[t], trace_pid(data.thread_processes()[t]), events);
  add_heap_counters(data, events);
  add_mpi_operations(data, events);
  out << "\n]}\n";
}

}  // namespace prof::viewer
