// What a scope costs when its parent has K distinct children, entered in turn (issue 17, item 4), and the
// floor the machine sets for the same pattern without the profiler. Results and the command are in
// docs/PERFORMANCE.md ("Scope profiler: wide trees").
//
// - scope_among_k_siblings: one loop enters K sites in turn under one parent (the profiler's own cost: its
//   child lookup and the K nodes' counters, without K functions' code); _random_order: in no fixed order;
// - k_functions_floor: K distinct functions, each adding one to its own static counter, called in turn;
// - k_functions_with_scope: the same K functions, each also entering a scope of its own;
// - k_functions_*_random_order: both, the functions called in no fixed order;
// - counter_lines_*_random_order: the memory's floor in no fixed order, without the profiler: one counter per
//   path, alone or found through a hashed index (see RandomLines).
// The K functions are generated at run time (x86-64): compiling 100 000 of them takes minutes.
#include <benchmark/benchmark.h>

#include <prof/prof.hpp>

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <utility>

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

// The K sites of a benchmark, made once: Google Benchmark calls a benchmark several times (to choose its
// iteration count), and new sites each time would grow the tree to several times K nodes. They stay alive
// until exit, as the trees keep their addresses.
const Sites& sites_of(const char* benchmark, std::size_t count) {
  static std::map<std::pair<std::string, std::size_t>, std::unique_ptr<Sites>> all;
  auto& sites = all[{benchmark, count}];
  if (!sites) sites = std::make_unique<Sites>(count);
  return *sites;
}

// K = 1 .. 100 000, the range, for every benchmark of this file.
void k_values(benchmark::internal::Benchmark* benchmark) {
  for (int k : {1, 10, 100, 1000, 10000, 100000})
    benchmark->Arg(k);
}

void scope_among_k_siblings(benchmark::State& state) {
  prof::enable(true);
  auto k = static_cast<std::size_t>(state.range(0));
  const Sites& sites = sites_of("siblings", k);
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
BENCHMARK(scope_among_k_siblings)->Apply(k_values);

// The same K children entered in no fixed order (a xorshift sequence): what the order costs, since the
// profiler learns a parent's order of calls.
void scope_among_k_siblings_random_order(benchmark::State& state) {
  prof::enable(true);
  auto k = static_cast<std::size_t>(state.range(0));
  const Sites& sites = sites_of("random", k);
  PROF_SCOPE("bench wide parent (random order)");
  for (std::size_t i = 0; i < k; ++i) {
    const prof::detail::ScopeGuard child(sites[i]);
  }
  std::uint64_t random = 88172645463325252ull;
  for (auto _ : state) {
    random ^= random << 13;
    random ^= random >> 7;
    random ^= random << 17;
    {
      const prof::detail::ScopeGuard child(sites[random % k]);
      benchmark::ClobberMemory();
    }
  }
}
BENCHMARK(scope_among_k_siblings_random_order)->Apply(k_values);

// What any per-path counter costs in no fixed order: K counters, one 64-byte line each (as the nodes), in
// 2 MiB-aligned memory with MADV_HUGEPAGE (as the nodes past the first 2 MiB), each call adds one to a line
// chosen at random: one cache miss a call once K lines outgrow the caches. _behind_an_index: the line's
// number is first read from a table of 16-byte slots, twice K rounded up to a power of two (as the child
// index), at a random slot: two dependent misses, the floor of a tree whose children are found by hashing.
class RandomLines {
 public:
  explicit RandomLines(std::size_t count) : count_(count) {
    slots_ = std::size_t{1} << (64 - __builtin_clzll((2 * count - 1) | 1));
    line_bytes_ = round_up(count * 64), slot_bytes_ = round_up(slots_ * 16);
    lines_ = static_cast<unsigned char*>(map(line_bytes_));
    slots_memory_ = static_cast<std::uint64_t*>(map(slot_bytes_));
    for (std::size_t i = 0; i < slots_; ++i)
      slots_memory_[2 * i + 1] = i % count;
  }
  ~RandomLines() {
    munmap(lines_, line_bytes_);
    munmap(slots_memory_, slot_bytes_);
  }
  RandomLines(const RandomLines&) = delete;
  RandomLines& operator=(const RandomLines&) = delete;

  // Adds one to the line's counter and returns its new value.
  std::uint64_t add(std::size_t line) const {
    auto* counter = reinterpret_cast<volatile std::uint64_t*>(lines_ + line * 64);
    std::uint64_t value = *counter + 1;
    *counter = value;
    return value;
  }
  std::size_t line_of_slot(std::size_t slot) const {
    return *static_cast<volatile std::uint64_t*>(&slots_memory_[2 * (slot & (slots_ - 1)) + 1]);
  }
  std::size_t count() const { return count_; }

 private:
  static constexpr std::size_t kHuge = std::size_t{2} << 20;
  static std::size_t round_up(std::size_t bytes) { return (bytes + kHuge - 1) & ~(kHuge - 1); }
  static void* map(std::size_t bytes) {
    void* memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    madvise(memory, bytes, MADV_HUGEPAGE);
    std::memset(memory, 0, bytes);
    return memory;
  }
  std::size_t count_, slots_;
  std::size_t line_bytes_, slot_bytes_;
  unsigned char* lines_;
  std::uint64_t* slots_memory_;
};

// `Chained`: the next line waits for this one's counter (a zero bit of it), as each scope reads the node of
// the one before: the misses' latency in a row. Unchained, the machine overlaps several misses at a time.
template <bool Chained, bool BehindAnIndex>
void counter_lines(benchmark::State& state) {
  RandomLines lines(static_cast<std::size_t>(state.range(0)));
  std::uint64_t random = 88172645463325252ull;
  for (auto _ : state) {
    random ^= random << 13;
    random ^= random >> 7;
    random ^= random << 17;
    std::size_t line =
        BehindAnIndex ? lines.line_of_slot(random * 0x9E3779B97F4A7C15ull >> 20) : random % lines.count();
    std::uint64_t value = lines.add(line);
    if (Chained) random ^= value >> 62;
  }
}
BENCHMARK(counter_lines<false, false>)->Name("counter_lines_random_order")->Apply(k_values);
BENCHMARK(counter_lines<false, true>)->Name("counter_lines_behind_an_index_random_order")->Apply(k_values);
BENCHMARK(counter_lines<true, false>)->Name("counter_lines_chained_random_order")->Apply(k_values);
BENCHMARK(counter_lines<true, true>)
    ->Name("counter_lines_behind_an_index_chained_random_order")
    ->Apply(k_values);

#if defined(__x86_64__)

// The body every scoped function shares: the scope the macro would open in it.
__attribute__((noinline)) void scoped_body(const prof::detail::ScopeSite* site) {
  const prof::detail::ScopeGuard scope(*site);
  benchmark::ClobberMemory();
}

// K functions of machine code, 32 bytes apart as a compiler aligns small functions, each with its own 8-byte
// counter (packed as a translation unit's statics are). Without a site, function i is
//     add qword ptr [rip + counter_i], 1 ; ret
// with one,
//     add qword ptr [rip + counter_i], 1 ; mov rdi, site_i ; mov rax, scoped_body ; jmp rax
class Functions {
 public:
  static constexpr std::size_t kStride = 32;

  Functions(std::size_t count, const Sites* sites) : count_(count) {
    code_bytes_ = (count * kStride + 4095) & ~std::size_t{4095};
    bytes_ = code_bytes_ + count * sizeof(std::uint64_t);
    void* memory = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    code_ = static_cast<unsigned char*>(memory);
    std::memset(code_, 0xcc, code_bytes_);  // int3 between functions
    auto* counters = code_ + code_bytes_;
    for (std::size_t i = 0; i < count; ++i) {
      unsigned char* f = code_ + i * kStride;
      unsigned char* p = f;
      auto rel32 = [](const unsigned char* target, const unsigned char* next) {
        return static_cast<std::int32_t>(target - next);
      };
      *p++ = 0x48, *p++ = 0x83, *p++ = 0x05;  // add qword ptr [rip + disp32], imm8
      std::int32_t disp = rel32(counters + i * sizeof(std::uint64_t), p + 5);
      std::memcpy(p, &disp, 4), p += 4;
      *p++ = 0x01;
      if (!sites) {
        *p++ = 0xc3;  // ret
        continue;
      }
      *p++ = 0x48, *p++ = 0xbf;  // mov rdi, imm64
      auto site = reinterpret_cast<std::uint64_t>(&(*sites)[i]);
      std::memcpy(p, &site, 8), p += 8;
      *p++ = 0x48, *p++ = 0xb8;  // mov rax, imm64 (the code may be far from scoped_body's)
      auto body = reinterpret_cast<std::uint64_t>(&scoped_body);
      std::memcpy(p, &body, 8), p += 8;
      *p++ = 0xff, *p++ = 0xe0;  // jmp rax
    }
    if (mprotect(code_, code_bytes_, PROT_READ | PROT_EXEC) != 0) throw std::bad_alloc();
  }
  ~Functions() { munmap(code_, bytes_); }
  Functions(const Functions&) = delete;
  Functions& operator=(const Functions&) = delete;

  void call(std::size_t i) const { reinterpret_cast<void (*)()>(code_ + i * kStride)(); }
  std::size_t count() const { return count_; }

 private:
  std::size_t count_;
  std::size_t code_bytes_ = 0, bytes_ = 0;
  unsigned char* code_ = nullptr;
};

void call_in_turn(benchmark::State& state, const Functions& functions) {
  std::size_t next = 0;
  for (std::size_t i = 0; i < functions.count(); ++i)  // first calls: page faults, and nodes created
    functions.call(i);
  for (auto _ : state) {
    functions.call(next);
    if (++next == functions.count()) next = 0;
  }
}

// The same K functions called in no fixed order (a xorshift sequence).
void call_at_random(benchmark::State& state, const Functions& functions) {
  for (std::size_t i = 0; i < functions.count(); ++i)
    functions.call(i);
  std::uint64_t random = 88172645463325252ull;
  for (auto _ : state) {
    random ^= random << 13;
    random ^= random >> 7;
    random ^= random << 17;
    functions.call(random % functions.count());
  }
}

void k_functions_floor(benchmark::State& state) {
  Functions functions(static_cast<std::size_t>(state.range(0)), nullptr);
  call_in_turn(state, functions);
}
BENCHMARK(k_functions_floor)->Apply(k_values);

void k_functions_with_scope(benchmark::State& state) {
  prof::enable(true);
  auto k = static_cast<std::size_t>(state.range(0));
  const Sites& sites = sites_of("functions", k);
  Functions functions(k, &sites);
  PROF_SCOPE("bench wide parent (functions)");
  call_in_turn(state, functions);
}
BENCHMARK(k_functions_with_scope)->Apply(k_values);

void k_functions_floor_random_order(benchmark::State& state) {
  Functions functions(static_cast<std::size_t>(state.range(0)), nullptr);
  call_at_random(state, functions);
}
BENCHMARK(k_functions_floor_random_order)->Apply(k_values);

void k_functions_with_scope_random_order(benchmark::State& state) {
  prof::enable(true);
  auto k = static_cast<std::size_t>(state.range(0));
  const Sites& sites = sites_of("functions, random order", k);
  Functions functions(k, &sites);
  PROF_SCOPE("bench wide parent (functions, random order)");
  call_at_random(state, functions);
}
BENCHMARK(k_functions_with_scope_random_order)->Apply(k_values);

#endif

}  // namespace

BENCHMARK_MAIN();
