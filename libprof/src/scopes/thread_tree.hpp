#pragma once
// A thread's call tree: nodes in allocation order (a parent always before its children), in chunks mapped
// on demand and never moved, so another thread can read every node below the published count without a lock.
// When its thread ends the tree is folded into a compact copy (its counts only, in the shared arena) and its
// pages are returned: an ended thread costs memory in proportion to its own nodes, not a chunk table and a
// first chunk (about 40 KiB resident, 96 KiB mapped) until the process exits.

#include <atomic>
#include <cstdint>

#include <prof/detail/scope_node.hpp>

#include "scopes/child_index.hpp"

namespace prof::scopes {

// Counter values at the last prof::reset(), subtracted when a snapshot is written.
struct Baseline {
  std::uint32_t count;     // nodes that existed at the reset
  std::uint64_t values[];  // calls and ticks of node i at 2*i and 2*i+1
};

enum NodeFlags : std::uint16_t {
  kRootNode = 1,    // the synthetic root of a thread (not written)
  kDeeperNode = 2,  // the "(deeper)" node below max_depth
  kSinkNode = 4,    // absorbs scopes that are not recorded
};

// A node of an ended thread's compact tree: what the snapshot writes, 24 bytes instead of 64.
struct CompactNode {
  std::uint32_t parent;     // index of the parent node (the root, index 0, is its own parent)
  std::uint32_t site_slot;  // as in detail::ScopeNode
  std::uint64_t calls;      // since the last reset
  std::uint64_t ticks;
};

class ThreadTree {
 public:
  static constexpr std::uint32_t kNodesPerChunk = 1024;
  static constexpr std::uint32_t kMaxChunks = 4096;

  // A tree with its root node; null when memory is refused. Its header is placed in `header` when given
  // (a private tree's, returned with it), else in the shared arena (a listed tree's, kept until exit).
  static ThreadTree* create(long tid, void* header = nullptr) noexcept;

  // Live trees have nodes; folded ones (ended threads) compact nodes. Which one, under the list's lock.
  bool folded() const noexcept { return compact_ != nullptr; }
  CompactNode* compact_nodes() noexcept { return compact_; }
  // Owner thread, at its end, holding the list's lock, with no call open: copies the counts since the
  // baseline into `into` (published_nodes() entries) and makes it the tree's storage. Then, without the lock,
  // release_pages() returns the nodes, chunk table, index and baseline.
  void fold_into(CompactNode* into) noexcept;
  void release_pages() noexcept;
  // Returns every page of a tree that was never listed (a discarded private tree).
  void release_private() noexcept;

  detail::ScopeNode* root() noexcept { return node(0); }
  detail::ScopeNode* node(std::uint32_t index) noexcept {
    return &chunks_[index / kNodesPerChunk][index % kNodesPerChunk];
  }
  // Nodes a reader may look at (acquire: their fields are complete).
  std::uint32_t published_nodes() const noexcept { return node_count_.load(std::memory_order_acquire); }

  // Owner thread only: a new node, its fields set, not yet visible to readers; null when full.
  detail::ScopeNode* allocate_node() noexcept;
  // Owner thread only: makes every allocated node visible.
  void publish() noexcept { node_count_.store(allocated_, std::memory_order_release); }

  ThreadTree* next = nullptr;  // the process's list of trees, under its lock
  int id = 0;
  long tid = 0;
  char name[16] = {};      // at the first scope
  char end_name[16] = {};  // at the hand-over, before `ended` is set
  std::atomic<bool> ended{false};
  bool is_private = false;       // calibration: never written, its sites not registered
  Baseline* baseline = nullptr;  // under the list lock
  ChildIndex children;           // owner thread only
  std::uint64_t baseline_bytes = 0;

 private:
  detail::ScopeNode** chunks_ = nullptr;  // kMaxChunks pointers, mapped; null once folded
  CompactNode* compact_ = nullptr;
  std::uint32_t allocated_ = 0;
  std::atomic<std::uint32_t> node_count_{0};
};

}  // namespace prof::scopes
