#include "scopes/thread_tree.hpp"

#include <new>

#include "scopes/hot_state.hpp"
#include "scopes/page_memory.hpp"

namespace prof::scopes {

ThreadTree* ThreadTree::create(long tid) noexcept {
  void* memory = map_pages(sizeof(ThreadTree));
  if (!memory) return nullptr;
  auto* tree = new (memory) ThreadTree();
  tree->tid = tid;
  detail::ScopeNode* root = tree->allocate_node();
  if (!root) return nullptr;  // the mapping stays: a failure this early is not worth the bookkeeping
  root->flags = kRootNode;
  tree->publish();
  return tree;
}

detail::ScopeNode* ThreadTree::allocate_node() noexcept {
  std::uint32_t index = allocated_;
  std::uint32_t chunk = index / kNodesPerChunk;
  if (chunk >= kMaxChunks) return nullptr;
  if (!chunks_[chunk]) {
    void* memory = map_pages(kNodesPerChunk * sizeof(detail::ScopeNode));
    if (!memory) return nullptr;
    chunks_[chunk] = static_cast<detail::ScopeNode*>(memory);
  }
  auto* node = new (&chunks_[chunk][index % kNodesPerChunk]) detail::ScopeNode(&g_never_matching_node);
  node->index = index;
  ++allocated_;
  return node;
}

}  // namespace prof::scopes
