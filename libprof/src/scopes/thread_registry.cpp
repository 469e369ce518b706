#include "scopes/thread_registry.hpp"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cstring>

#include "scopes/hot_state.hpp"
#include "scopes/page_memory.hpp"
#include "scopes/site_table.hpp"
#include "scopes/spin_lock.hpp"

namespace prof::scopes {

namespace {

constinit detail::ScopeSite g_deeper_site("(deeper)", "", 0);

SpinLock g_lock;
ThreadTree* g_first = nullptr;
ThreadTree* g_last = nullptr;
int g_trees = 0;
std::atomic<int> g_max_depth{256};
std::atomic<std::uint64_t> g_ended_elsewhere{0};

// This thread's tree: null before its first scope, kHandedOver after its hand-over.
ThreadTree* const kHandedOver = reinterpret_cast<ThreadTree*>(2);
thread_local constinit ThreadTree* t_tree __attribute__((tls_model("initial-exec"))) = nullptr;

long current_tid() noexcept {
  return static_cast<long>(::syscall(SYS_gettid));
}

void read_thread_name(char (&name)[16]) noexcept {
  if (pthread_getname_np(pthread_self(), name, sizeof name) != 0) name[0] = '\0';
}

// Set while this thread changes its tree (enter_slow, the hand-over): a scope entered then can only come from
// a signal handler that interrupted the change, and is not recorded (README, "the scope profiler").
thread_local constinit volatile bool t_in_tree __attribute__((tls_model("initial-exec"))) = false;
std::atomic<std::uint64_t> g_dropped_in_handlers{0};

bool any_call_open(ThreadTree& tree) noexcept {
  for (std::uint32_t i = 1, count = tree.published_nodes(); i < count; ++i)
    if (tree.node(i)->open_since.load(std::memory_order_relaxed) != 0) return true;
  return false;
}

// Folds an ended thread's tree into its compact copy and returns its pages. A tree with a call still open
// (a coroutine suspended inside a scope, to be ended on another thread) keeps its nodes: that call's end
// will still write into them.
void fold(ThreadTree& tree) noexcept {
  if (any_call_open(tree)) return;
  std::uint32_t count = tree.published_nodes();
  auto* compact = static_cast<CompactNode*>(arena_allocate(sizeof(CompactNode) * count));
  if (!compact) return;
  // The pages go inside the lock too: a snapshot writer that sees the tree folded must not meet its pages
  // (or its baseline) half released.
  g_lock.lock();
  tree.fold_into(compact);
  tree.release_pages();
  g_lock.unlock();
}

// Hands the tree over when its thread ends, from a pthread key's destructor: glibc runs those after every
// thread_local destructor, so scopes in the thread's thread_local destructors still count; and it re-arms
// itself for the later destructor rounds, after other libraries' key destructors that may enter scopes too.
// The main thread never hands over: its thread_local destructors run inside exit(), before the exit
// snapshot, and scopes in static destructors should still count.
pthread_key_t g_hand_over_key;
pthread_once_t g_hand_over_once = PTHREAD_ONCE_INIT;
bool g_hand_over_key_made = false;
thread_local constinit int t_hand_over_rounds __attribute__((tls_model("initial-exec"))) = 0;

// ThreadSanitizer finishes a thread from its own key destructor, re-armed into the last rounds too: after
// that no instrumented code may run on the thread, so under TSan the tree is handed over in the first round
// (still after every thread_local destructor).
#if defined(__SANITIZE_THREAD__)
constexpr int kHandOverRounds = 1;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr int kHandOverRounds = 1;
#else
constexpr int kHandOverRounds = PTHREAD_DESTRUCTOR_ITERATIONS;
#endif
#else
constexpr int kHandOverRounds = PTHREAD_DESTRUCTOR_ITERATIONS;
#endif

void hand_over(void* value) noexcept {
  ThreadTree* tree = t_tree;
  if (!tree || tree == kHandedOver) return;
  if (++t_hand_over_rounds < kHandOverRounds) {
    pthread_setspecific(g_hand_over_key, value);
    return;
  }
  t_in_tree = true;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  t_tree = kHandedOver;
  detail::t_current_scope = &g_boot_node;
  read_thread_name(tree->end_name);
  tree->ended.store(true, std::memory_order_release);
  fold(*tree);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  t_in_tree = false;
}

void make_hand_over_key() noexcept {
  g_hand_over_key_made = pthread_key_create(&g_hand_over_key, hand_over) == 0;
}

void arm_hand_over(ThreadTree* tree) noexcept {
  pthread_once(&g_hand_over_once, make_hand_over_key);
  if (g_hand_over_key_made) pthread_setspecific(g_hand_over_key, tree);
}

ThreadTree* start_tree() noexcept {
  long tid = current_tid();
  ThreadTree* tree = ThreadTree::create(tid);
  if (!tree) return nullptr;
  read_thread_name(tree->name);
  g_lock.lock();
  tree->id = g_trees++;
  if (g_last) {
    g_last->next = tree;
  } else {
    g_first = tree;
  }
  g_last = tree;
  g_lock.unlock();
  t_tree = tree;
  if (tid != static_cast<long>(::getpid())) arm_hand_over(tree);
  return tree;
}

detail::ScopeNode* add_child(ThreadTree& tree, detail::ScopeNode* parent, const detail::ScopeSite& site,
                             std::uint16_t flags) noexcept {
  std::uint32_t slot = 0;
  if (!tree.is_private && (slot = register_site(site)) == 0) return nullptr;
  detail::ScopeNode* child = tree.allocate_node();
  if (!child) return nullptr;
  child->site = &site;
  child->site_slot = slot;
  child->parent = parent;
  child->depth = static_cast<std::uint16_t>(parent->depth + 1);
  child->flags = flags;
  // Unindexed, the node would be created again at each call: give it up while the node is still unpublished.
  if (!tree.children.insert(parent->index, &site, child->index)) return nullptr;
  tree.publish();
  return child;
}

// The child entered after `previous` (the parent's last child) the last two times, if it is the child of
// `parent` for `site`: a dispatcher that calls its K children in the same order each time finds each one
// without the index, whose slots are a cache miss apiece in a wide tree. A guess not yet confirmed is not
// read, so children called in no fixed order pay no extra miss.
constexpr std::uint32_t kConfirmed = 1u << 31;

detail::ScopeNode* predicted_child(ThreadTree& tree, const detail::ScopeNode* previous,
                                   const detail::ScopeNode* parent, const detail::ScopeSite& site) noexcept {
  std::uint32_t guess = previous->next_sibling;
  if (!(guess & kConfirmed)) return nullptr;
  detail::ScopeNode* candidate = tree.node(guess & ~kConfirmed);
  return candidate->site == &site && candidate->parent == parent ? candidate : nullptr;
}

// `child` is the index of the child entered, taken from the index slot or the guess: reading it from the
// node would wait for the node's cache line inside the lookup, where the caller's stores need not wait.
void learn_next_sibling(detail::ScopeNode* previous, std::uint32_t child) noexcept {
  if (previous == &g_never_matching_node) return;
  std::uint32_t guess = previous->next_sibling;
  previous->next_sibling = (guess & ~kConfirmed) == child ? child | kConfirmed : child;
}

detail::ScopeNode* enter_locked(const detail::ScopeSite& site) noexcept {
  using detail::ScopeNode;
  using detail::t_current_scope;
  ScopeNode* parent = t_current_scope;
  ThreadTree* tree = t_tree;
  if (parent == &g_boot_node) {
    if (tree == kHandedOver) return &g_sink_node;
    if (!tree) tree = start_tree();
    if (!tree) return &g_sink_node;
    parent = tree->root();
    t_current_scope = parent;
  }
  if (parent == &g_sink_node || (parent->flags & kDeeperNode) || !tree || tree == kHandedOver)
    return &g_sink_node;
  ScopeNode* previous = parent->last_child;
  ScopeNode* child = predicted_child(*tree, previous, parent, site);
  std::uint32_t found =
      child ? previous->next_sibling & ~kConfirmed : tree->children.find(parent->index, &site);
  if (!child && found) child = tree->node(found);
  if (!child) {
    if (parent->depth >= g_max_depth.load(std::memory_order_relaxed)) {
      std::uint32_t deeper_found = tree->children.find(parent->index, &g_deeper_site);
      ScopeNode* deeper = deeper_found ? tree->node(deeper_found) : nullptr;
      if (!deeper) deeper = add_child(*tree, parent, g_deeper_site, kDeeperNode);
      return deeper ? deeper : &g_sink_node;
    }
    child = add_child(*tree, parent, site, 0);
    if (!child) return &g_sink_node;
    found = child->index;
  }
  learn_next_sibling(previous, found);
  // A handler may read last_child between here and our return: the node it names must be complete.
  std::atomic_signal_fence(std::memory_order_seq_cst);
  parent->last_child = child;
  return child;
}

}  // namespace

void set_max_depth(int depth) noexcept {
  if (depth < 1) depth = 1;
  if (depth > 60000) depth = 60000;
  g_max_depth.store(depth, std::memory_order_relaxed);
}

int max_depth() noexcept {
  return g_max_depth.load(std::memory_order_relaxed);
}

std::uint64_t scopes_dropped_in_handlers() noexcept {
  return g_dropped_in_handlers.load(std::memory_order_relaxed);
}

std::uint64_t scopes_ended_elsewhere() noexcept {
  return g_ended_elsewhere.load(std::memory_order_relaxed);
}

bool any_tree() noexcept {
  g_lock.lock();
  bool any = g_first != nullptr;
  g_lock.unlock();
  return any;
}

void reset_all_trees() noexcept {
  g_lock.lock();
  for (ThreadTree* tree = g_first; tree; tree = tree->next) {
    std::uint32_t count = tree->published_nodes();
    if (tree->folded()) {  // an ended thread's counts: they only change here
      for (std::uint32_t i = 0; i < count; ++i)
        tree->compact_nodes()[i].calls = tree->compact_nodes()[i].ticks = 0;
      continue;
    }
    std::uint64_t bytes = sizeof(Baseline) + 2ull * count * sizeof(std::uint64_t);
    auto* baseline = static_cast<Baseline*>(map_pages(bytes));
    if (!baseline) continue;  // keeps the previous baseline: counts then include what came before
    baseline->count = count;
    for (std::uint32_t i = 0; i < count; ++i) {
      detail::ScopeNode* node = tree->node(i);
      baseline->values[2 * i] = node->calls.load(std::memory_order_relaxed);
      baseline->values[2 * i + 1] = node->ticks.load(std::memory_order_relaxed);
    }
    unmap_pages(tree->baseline, tree->baseline_bytes);
    tree->baseline = baseline;
    tree->baseline_bytes = bytes;
  }
  g_lock.unlock();
}

void with_private_tree(void (*body)(ThreadTree& tree, void* context), void* context) noexcept {
  // Its header is mapped and returned with it: calibrations come again at every reset and snapshot.
  void* header = map_pages(sizeof(ThreadTree));
  if (!header) return;
  ThreadTree* tree = ThreadTree::create(current_tid(), header);
  if (!tree) {
    unmap_pages(header, sizeof(ThreadTree));
    return;
  }
  tree->is_private = true;
  ThreadTree* saved_tree = t_tree;
  detail::ScopeNode* saved_current = detail::t_current_scope;
  t_tree = tree;
  detail::t_current_scope = tree->root();
  body(*tree, context);
  t_tree = saved_tree;
  detail::t_current_scope = saved_current;
  // Its sites stay registered (they are few and static); its nodes, index and header go.
  tree->release_private();
  tree->~ThreadTree();
  unmap_pages(header, sizeof(ThreadTree));
}

void before_fork() noexcept {
  g_lock.lock();
}

void after_fork_in_parent() noexcept {
  g_lock.unlock();
}

void after_fork_in_child() noexcept {
  g_lock.reset_in_child();
  arena_reset_in_child();
  reset_site_table_in_child();
  if (t_tree && t_tree != kHandedOver) t_tree->tid = current_tid();
  // The child's open scopes began, for the child, at the fork: their guards take the later of their entry
  // and this mark, so the child is not charged the time its parent spent in them. The other threads' open
  // scopes do not exist here and never close.
  std::uint64_t now = detail::read_clock();
  for (ThreadTree* tree = g_first; tree; tree = tree->next) {
    if (tree->folded()) continue;
    std::uint64_t mark = tree == t_tree ? now : 0;
    for (std::uint32_t i = 0, count = tree->published_nodes(); i < count; ++i) {
      std::atomic<std::uint64_t>& since = tree->node(i)->open_since;
      if (since.load(std::memory_order_relaxed) != 0) since.store(mark, std::memory_order_relaxed);
    }
  }
  reset_all_trees();
}

namespace registry_detail {

ThreadTree* lock_trees(int spins) noexcept {
  if (!g_lock.try_lock_for(spins)) return kNotLocked;
  return g_first;
}

void unlock_trees() noexcept {
  g_lock.unlock();
}

}  // namespace registry_detail

}  // namespace prof::scopes

namespace prof::detail {

ScopeNode* enter_slow(const ScopeSite& site) noexcept {
  using namespace prof::scopes;
  if (t_in_tree) {
    g_dropped_in_handlers.fetch_add(1, std::memory_order_relaxed);
    return &g_sink_node;
  }
  t_in_tree = true;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  ScopeNode* node = enter_locked(site);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  t_in_tree = false;
  return node;
}

void exit_elsewhere(ScopeNode& node, std::uint64_t ticks) noexcept {
  // The node belongs to the thread the scope began on, which may be updating it too: atomic additions.
  node.calls.fetch_add(1, std::memory_order_relaxed);
  node.ticks.fetch_add(ticks, std::memory_order_relaxed);
  prof::scopes::g_ended_elsewhere.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace prof::detail
