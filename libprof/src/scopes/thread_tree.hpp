#pragma once
// A thread's call tree: nodes in allocation order (a parent always before its children), in chunks mapped
// on demand and never moved, so another thread can read every node below the published count without a lock.

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

class ThreadTree {
 public:
  static constexpr std::uint32_t kNodesPerChunk = 1024;
  static constexpr std::uint32_t kMaxChunks = 4096;

  // Maps a tree with its root node; null when memory is refused.
  static ThreadTree* create(long tid) noexcept;

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
  detail::ScopeNode* chunks_[kMaxChunks] = {};
  std::uint32_t allocated_ = 0;
  std::atomic<std::uint32_t> node_count_{0};
};

}  // namespace prof::scopes
