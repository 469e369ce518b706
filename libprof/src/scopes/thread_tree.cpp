#include "scopes/thread_tree.hpp"

#include <new>

#include "scopes/hot_state.hpp"
#include "scopes/page_memory.hpp"

namespace prof::scopes {

namespace {
constexpr std::size_t kChunkBytes = ThreadTree::kNodesPerChunk * sizeof(detail::ScopeNode);
constexpr std::size_t kTableBytes = ThreadTree::kMaxChunks * sizeof(detail::ScopeNode*);
// The first 2 MiB of nodes come a chunk (64 KiB) at a time, so a small tree stays small; past them, a wide
// tree's nodes come in huge-page slabs of 32 chunks, whose chunks are then unmapped one by one like the rest.
constexpr std::uint32_t kChunksPerSlab = kLargePageBytes / kChunkBytes;
constexpr std::uint32_t kSmallChunks = kChunksPerSlab;
static_assert(ThreadTree::kMaxChunks % kChunksPerSlab == 0);

bool map_chunk(detail::ScopeNode** chunks, std::uint32_t chunk) noexcept {
  if (chunk < kSmallChunks) {
    chunks[chunk] = static_cast<detail::ScopeNode*>(map_pages(kChunkBytes));
    return chunks[chunk] != nullptr;
  }
  auto* slab = static_cast<char*>(map_large_pages(kLargePageBytes));
  if (!slab) return false;
  for (std::uint32_t i = 0; i < kChunksPerSlab; ++i)
    chunks[chunk + i] = reinterpret_cast<detail::ScopeNode*>(slab + i * kChunkBytes);
  return true;
}
}  // namespace

ThreadTree* ThreadTree::create(long tid, void* header) noexcept {
  // The header stays in the list for ever (the snapshot names ended threads too): it comes from the arena.
  void* memory = header ? header : arena_allocate(sizeof(ThreadTree));
  if (!memory) return nullptr;
  auto* tree = new (memory) ThreadTree();
  tree->tid = tid;
  tree->chunks_ = static_cast<detail::ScopeNode**>(map_pages(kTableBytes));
  if (!tree->chunks_) return nullptr;
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
  if (!chunks_[chunk] && !map_chunk(chunks_, chunk)) return nullptr;
  auto* node = new (&chunks_[chunk][index % kNodesPerChunk]) detail::ScopeNode(&g_never_matching_node);
  node->index = index;
  ++allocated_;
  return node;
}

void ThreadTree::fold_into(CompactNode* into) noexcept {
  std::uint32_t count = published_nodes();
  for (std::uint32_t i = 0; i < count; ++i) {
    detail::ScopeNode* n = node(i);
    std::uint64_t calls = n->calls.load(std::memory_order_relaxed);
    std::uint64_t ticks = n->ticks.load(std::memory_order_relaxed);
    if (baseline && i < baseline->count) {
      calls -= calls < baseline->values[2 * i] ? calls : baseline->values[2 * i];
      ticks -= ticks < baseline->values[2 * i + 1] ? ticks : baseline->values[2 * i + 1];
    }
    into[i] = CompactNode{n->parent ? n->parent->index : 0, n->site_slot, calls, ticks};
  }
  compact_ = into;
}

void ThreadTree::release_pages() noexcept {
  children.release();
  for (std::uint32_t chunk = 0; chunk < kMaxChunks && chunks_[chunk]; ++chunk)
    unmap_pages(chunks_[chunk], kChunkBytes);
  unmap_pages(chunks_, kTableBytes);
  chunks_ = nullptr;
  unmap_pages(baseline, baseline_bytes);
  baseline = nullptr;
  baseline_bytes = 0;
}

void ThreadTree::release_private() noexcept {
  release_pages();
}

}  // namespace prof::scopes
