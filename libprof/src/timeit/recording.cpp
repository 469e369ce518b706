#include "timeit/recording.hpp"

#include <atomic>
#include <mutex>

#include "core/json_writer.hpp"
#include "core/snapshot_writer.hpp"

namespace prof::timeit_internal {

namespace {

struct TimingNode {
  Timing timing;
  std::atomic<TimingNode*> next{nullptr};
};

struct ComparisonNode {
  Comparison comparison;
  std::string verdict;  // made here: the writer must not build strings
  std::atomic<ComparisonNode*> next{nullptr};
};

// Appends keep the order records were made in. Writers only follow the atomic links, so a snapshot taken in a
// signal handler while another thread appends sees a consistent prefix.
template <typename Node>
struct List {
  std::atomic<Node*> head{nullptr};
  Node* tail = nullptr;  // guarded by g_append

  void append(Node* node) {
    if (tail) {
      tail->next.store(node, std::memory_order_release);
    } else {
      head.store(node, std::memory_order_release);
    }
    tail = node;
  }
};

std::mutex g_append;
List<TimingNode> g_timings;
List<ComparisonNode> g_comparisons;
std::atomic<bool> g_registered{false};

void register_once() {
  if (g_registered.exchange(true)) return;
  core::register_section("timers", write_timers_section, nullptr);
}

void write_timing(core::JsonWriter& out, const Timing& t) noexcept {
  out.begin_object();
  out.field("name", std::string_view(t.name));
  out.field("source", "timeit");
  out.field("runs", static_cast<std::uint64_t>(t.runs));
  out.field("loops", t.loops);
  out.key("samples");
  out.begin_array();
  for (double s : t.samples)
    out.value(s);
  out.end_array();
  out.field("min", t.min);
  out.field("median", t.median);
  out.field("mean", t.mean);
  out.field("stddev", t.stddev);
  out.field("mad", t.mad);
  out.field("ci_low", t.ci_low);
  out.field("ci_high", t.ci_high);
  out.field("loop_overhead", t.loop_overhead);
  out.field("noisy", t.noisy);
  out.field("noisy_reason", std::string_view(t.noisy_reason));
  out.end_object();
}

void write_comparison(core::JsonWriter& out, const Comparison& c, std::string_view verdict) noexcept {
  out.begin_object();
  out.field("a", std::string_view(c.name_a));
  out.field("b", std::string_view(c.name_b));
  out.field("ratio", c.ratio);
  out.field("low", c.low);
  out.field("high", c.high);
  out.field("confidence", c.confidence);
  out.field("threshold", c.threshold);
  out.field("rounds", static_cast<std::uint64_t>(c.rounds));
  out.field("significant", c.significant);
  out.field("verdict", verdict);
  out.end_object();
}

}  // namespace

void record(const Timing& timing) {
  auto* node = new TimingNode{timing};
  {
    std::lock_guard lock(g_append);
    g_timings.append(node);
  }
  register_once();
}

void record(const Comparison& comparison) {
  auto* node = new ComparisonNode{comparison, comparison.verdict()};
  {
    std::lock_guard lock(g_append);
    g_comparisons.append(node);
  }
  register_once();
}

bool has_records() noexcept {
  return g_registered.load();
}

void write_timers_section(core::JsonWriter& out, void*) noexcept {
  out.begin_object();
  out.key("timings");
  out.begin_array();
  for (auto* n = g_timings.head.load(std::memory_order_acquire); n;
       n = n->next.load(std::memory_order_acquire))
    write_timing(out, n->timing);
  out.end_array();
  out.key("comparisons");
  out.begin_array();
  for (auto* n = g_comparisons.head.load(std::memory_order_acquire); n;
       n = n->next.load(std::memory_order_acquire))
    write_comparison(out, n->comparison, n->verdict);
  out.end_array();
  out.end_object();
}

}  // namespace prof::timeit_internal
