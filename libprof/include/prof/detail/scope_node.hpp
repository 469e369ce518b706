#pragma once
// One node of a thread's call tree: one distinct call path. Only its thread writes it; the counters are
// atomics read and written with relaxed order (plain moves on x86) so a snapshot taken from another thread
// reads them without a data race.

#include <atomic>
#include <cstdint>

namespace prof::detail {

struct ScopeSite;

struct alignas(64) ScopeNode {
  // Sentinels and the synthetic roots are built by libprof; the hot path only reads `site` and `last_child`.
  constexpr explicit ScopeNode(ScopeNode* never_matching = nullptr) noexcept : last_child(never_matching) {}
  ScopeNode(const ScopeNode&) = delete;
  ScopeNode& operator=(const ScopeNode&) = delete;

  // Compared, never dereferenced once recorded: the site may live in a plugin that has been unloaded since.
  const ScopeSite* site = nullptr;
  ScopeNode* parent = nullptr;
  // The child entered last: repeated calls of the same callee find it with one compare. Never null, so the
  // hot path needs no null test (a sentinel whose site matches nothing stands for "none"). Other children are
  // found through the thread's child index (libprof), in constant time however many siblings there are.
  ScopeNode* last_child;
  std::atomic<std::uint64_t> calls{0};  // completed entries of this path
  std::atomic<std::uint64_t> ticks{0};  // clock ticks between entry and exit, summed
  std::uint32_t index = 0;              // position in the thread's node storage (allocation order)
  std::uint32_t site_slot = 0;          // the site's row in the snapshot's site table, plus one (0: none)
  std::uint16_t depth = 0;              // 0 for the thread's synthetic root
  std::uint16_t flags = 0;
  // libprof's guess of the sibling entered after this node (its index; the top bit once seen twice in a
  // row): a parent that calls its children in the same order each time finds the next one here, in a node
  // it is about to touch anyway, instead of in the child index.
  std::uint32_t next_sibling = 0;
  // The clock at the entry of the call now open on this path, 0 when none: a snapshot written meanwhile
  // counts that call with its time so far (an exit or a kill inside a scope, a thread still running), and a
  // fork restarts it in the child so the child is not charged its parent's time.
  std::atomic<std::uint64_t> open_since{0};
};

static_assert(sizeof(ScopeNode) == 64, "a call tree node must fit one cache line");

}  // namespace prof::detail
