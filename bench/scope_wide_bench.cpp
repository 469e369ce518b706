// What a scope costs when its parent has K distinct children, entered in turn (issue 17, item 4): with the
// child index the cost stays that of the narrow case (K = 1) however wide the tree. Results and the command
// are in docs/PERFORMANCE.md ("Scope profiler: wide trees").
#include <benchmark/benchmark.h>

#include <prof/prof.hpp>

#include <cstddef>
#include <memory>
#include <new>
#include <vector>

namespace {

// Sites made at run time as the macro makes them at compile time, one per "line": K distinct children.
class Sites {
 public:
  explicit Sites(std::size_t count) : storage_(new unsigned char[sizeof(prof::detail::ScopeSite) * count]) {
    for (std::size_t i = 0; i < count; ++i)
      new (storage_.get() + sizeof(prof::detail::ScopeSite) * i)
          prof::detail::ScopeSite("bench wide child", __FILE__, static_cast<int>(i + 1));
  }
  const prof::detail::ScopeSite& operator[](std::size_t i) const {
    return *std::launder(reinterpret_cast<const prof::detail::ScopeSite*>(
        storage_.get() + sizeof(prof::detail::ScopeSite) * i));
  }

 private:
  std::unique_ptr<unsigned char[]> storage_;
};

// The trees keep the sites' addresses until exit: every benchmark's sites stay alive.
std::vector<std::unique_ptr<Sites>> g_all_sites;

void scope_among_k_siblings(benchmark::State& state) {
  prof::enable(true);
  auto k = static_cast<std::size_t>(state.range(0));
  g_all_sites.push_back(std::make_unique<Sites>(k));
  const Sites& sites = *g_all_sites.back();
  PROF_SCOPE("bench wide parent");
  for (std::size_t i = 0; i < k; ++i) {  // creates the K nodes: only lookups are timed
    const prof::detail::ScopeGuard child(sites[i]);
  }
  std::size_t next = 0;
  for (auto _ : state) {
    {
      const prof::detail::ScopeGuard child(sites[next]);
      benchmark::ClobberMemory();
    }
    if (++next == k) next = 0;
  }
}
BENCHMARK(scope_among_k_siblings)->Arg(1)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Arg(100000);

}  // namespace

BENCHMARK_MAIN();
