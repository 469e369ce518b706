#include "memory/stack_cache.hpp"

#include <atomic>

#include "memory/frame_rules.hpp"
#include "memory/sites.hpp"

namespace prof::preload::memory::stack_cache {

namespace {

constexpr int kEntries = 32;
constexpr int kMaxFrames = 64;  // deeper stacks are always unwound in full
constexpr int kRules = 256;

struct Entry {
  std::uintptr_t return_address;
  std::uintptr_t cfa;
  std::uint32_t entry;
  std::uint32_t site;  // kNoSite: empty
  std::uint32_t depth;
  // slots[j]: where frame j + 1's return address is stored, as an offset from the caller's CFA.
  std::uint32_t slots[kMaxFrames - 1];
};

struct RuleSlot {
  std::uintptr_t return_address;  // 0: empty
  frame_rules::Rule rule;
};

// Zero-initialised TLS (.tbss): no constructor runs, so the first use on any thread is safe inside malloc.
thread_local Entry tl_entries[kEntries] __attribute__((tls_model("initial-exec")));
thread_local RuleSlot tl_rules[kRules] __attribute__((tls_model("initial-exec")));
thread_local bool tl_used __attribute__((tls_model("initial-exec"))) = false;
// The invalidate_all() generation this thread's entries and rules were made in.
thread_local std::uint32_t tl_generation __attribute__((tls_model("initial-exec"))) = 0;
std::atomic<std::uint32_t> g_generation{0};

// True (after forgetting everything) when this thread's caches predate the last invalidate_all().
bool stale() noexcept {
  std::uint32_t now = g_generation.load(std::memory_order_relaxed);
  if (tl_generation == now) return false;
  tl_generation = now;
  tl_used = false;
  for (RuleSlot& slot : tl_rules)
    slot.return_address = 0;
  return true;
}

std::uint64_t mix(const Caller& caller) noexcept {
  std::uint64_t h = (caller.return_address ^ (caller.cfa << 17) ^ caller.entry) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 32);
}

Entry& slot_of(const Caller& caller) noexcept {
  return tl_entries[mix(caller) % kEntries];
}

frame_rules::Rule rule_of(std::uintptr_t return_address) noexcept {
  RuleSlot& slot = tl_rules[(return_address * 0x9E3779B97F4A7C15ull) >> 56];
  if (slot.return_address != return_address) {
    slot.rule = frame_rules::at_return_address(return_address);
    slot.return_address = return_address;
  }
  return slot.rule;
}

}  // namespace

std::uint32_t find(const Caller& caller) noexcept {
  if (!tl_used || stale()) return sites::kNoSite;
  const Entry& e = slot_of(caller);
  if (e.site == sites::kNoSite || e.return_address != caller.return_address || e.cfa != caller.cfa ||
      e.entry != caller.entry || e.site >= sites::count())
    return sites::kNoSite;
  const std::uintptr_t* frames = sites::frames(sites::site(e.site));
  // Inner frames first, stopping at the first difference: a slot is only read once the slot below it named
  // the same frame, so every read is one the full unwind of the current stack would make as well.
  for (std::uint32_t j = 1; j < e.depth; ++j) {
    auto stored = *reinterpret_cast<const std::uintptr_t*>(caller.cfa + e.slots[j - 1]);
    if (stored != frames[j]) return sites::kNoSite;
  }
  return e.site;
}

void remember(const Caller& caller, std::uint32_t site, const std::uintptr_t* frames, int depth,
              bool cut) noexcept {
  if (depth < 1 || depth > kMaxFrames || frames[0] != caller.return_address) return;
  stale();
  if (!tl_used) {
    for (Entry& e : tl_entries)
      e.site = sites::kNoSite;
    tl_used = true;
  }
  Entry& e = slot_of(caller);
  e.site = sites::kNoSite;
  std::uintptr_t stack_pointer = caller.cfa;
  for (int j = 0; j < depth; ++j) {
    frame_rules::Rule rule = rule_of(frames[j]);
    bool last = j + 1 == depth;
    if (last && (cut || rule.kind == frame_rules::Kind::kOutermost)) break;
    if (rule.kind != frame_rules::Kind::kStackPointer || last) return;
    std::uintptr_t cfa = stack_pointer + static_cast<std::uintptr_t>(rule.cfa_offset);
    std::uintptr_t offset = cfa - 8 - caller.cfa;
    // The walk from this caller must read exactly what the full unwind found, or the entry would be wrong.
    if (offset > 0xFFFFFFFFu || *reinterpret_cast<const std::uintptr_t*>(cfa - 8) != frames[j + 1]) return;
    e.slots[j] = static_cast<std::uint32_t>(offset);
    stack_pointer = cfa;
  }
  e.return_address = caller.return_address;
  e.cfa = caller.cfa;
  e.entry = caller.entry;
  e.depth = static_cast<std::uint32_t>(depth);
  e.site = site;
}

void clear() noexcept {
  tl_used = false;
}

void invalidate_all() noexcept {
  g_generation.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace prof::preload::memory::stack_cache
