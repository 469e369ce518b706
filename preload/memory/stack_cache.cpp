#include "memory/stack_cache.hpp"

#include <pthread.h>
#include <atomic>
#include <cstdint>
#include <cstring>

#include "memory/frame_rules.hpp"
#include "memory/pages.hpp"
#include "memory/root_frames.hpp"
#include "memory/sites.hpp"
#include "memory/stack_room.hpp"

namespace prof::preload::memory::stack_cache {

namespace {

// 512 sets of four entries (40 bytes each): an interpreter or a deep recursion allocates from hundreds of
// (return address, CFA) pairs, and one pair from several call paths; the slots live in the site, so an entry
// stays small.
constexpr int kSets = 512;
constexpr int kWays = 4;
// Rules in 256 sets of four return addresses. Direct-mapped, two return addresses that met in one slot, both
// on the stacks walked, made every walk through them read both frames' call-frame information again: 17 % of
// the samples of a run that walks at every allocation (the shuffled distinct stacks), in the address layouts
// where that happens.
constexpr int kRuleSets = 256;
constexpr int kRuleWays = 4;
constexpr int kRuleShift = 56;  // 64 - log2(kRuleSets)

constexpr std::uint32_t kNoCheck = 0xFFFFFFFFu;
constexpr std::int32_t kMostTrust = 16;
constexpr std::int32_t kLeastTrust = -32;
constexpr std::uint32_t kRetry = 16;
constexpr std::uint16_t kThrashing = 64;

struct Entry {
  std::uintptr_t return_address;  // 0: empty
  std::uintptr_t cfa;
  std::uint32_t entry;
  std::uint32_t site;
  // Where this site's stack differs from another site's of the same key: the return address its stack holds
  // at CFA + check_offset (kNoCheck: none). A stack without it there is not this site's, found without
  // reading the site: 117 649 sites of one key do not fit the caches, the stack does.
  std::uint32_t check_offset;
  // How well the guess of the next site (sites::Site::next) served this key: up by one for a right guess,
  // down by two for a wrong one (a wrong guess costs about as much as two right ones save). Below zero the
  // key is guessed for once in kRetry misses only: in a program that does not repeat itself, a guess is a few
  // cache misses for nothing. Carried from entry to entry of the key.
  std::int16_t trust;
  // How many times in a row none of the key's entries named the stack (saturating). From kThrashing on, and
  // once the guesses of the next site fail too (trust below zero), the key's new sites are remembered once in
  // kRetry only: a key reached by more stacks than it has ways, in no order (117 649 in the shuffled distinct
  // stacks), would otherwise read two other sites' frames and offsets at every allocation to tell them apart,
  // for entries that never serve. A program that meets its stacks in the same order again needs every site
  // remembered the first time, for the guesses to serve: its trust stays at zero or above. Carried like
  // `trust`.
  std::uint16_t streak;
  std::uintptr_t check_value;
};

struct RuleSlot {
  std::uintptr_t return_address;  // 0: empty
  frame_rules::Rule rule;
};

// A thread's entries and rules (104 KiB): mapped on the thread's first use, not static TLS, which glibc
// carves out of every thread's stack (a PTHREAD_STACK_MIN thread would not even start). The hot path costs
// one TLS load and a null check.
struct Cache {
  Entry entries[kSets][kWays];
  RuleSlot rules[kRuleSets][kRuleWays];
  // The invalidate_all() generation this thread's entries and rules were made in.
  std::uint32_t generation;
  std::uint32_t misses;   // of keys whose guesses failed (trust below zero)
  std::uint32_t skipped;  // new sites of thrashing keys not remembered
};

thread_local Cache* tl_cache __attribute__((tls_model("initial-exec"))) = nullptr;
// Set once this thread's cache was released at its exit: destructors running later must not map another.
thread_local bool tl_released __attribute__((tls_model("initial-exec"))) = false;
std::atomic<std::uint32_t> g_generation{0};
pthread_key_t g_exit_key;
bool g_exit_key_made = false;

// A site's replay word (sites::Site::replay): the generation it was judged in, plus one, shifted; the low bit
// says whether it may be replayed, the next whether some of its frames compute their CFA from rbp (their
// checks are then in sites::bases). 0: not judged yet.
constexpr std::uint32_t kReplayable = 1;
constexpr std::uint32_t kFrameBases = 2;
std::uint32_t judged(std::uint32_t generation) noexcept {
  return (generation + 1) << 2;
}

// A frame's word in sites::bases: the offset from the caller's CFA of the stack slot its rbp was read from
// (or kInitialBase: the caller's own rbp, never saved on the way) in the high half, the rbp it must hold
// there, as an offset from the caller's CFA, in the low half. kNoBase: a frame of the stack pointer.
constexpr std::uint32_t kNoBase = 0xFFFFFFFFu;
constexpr std::uint32_t kInitialBase = 0xFFFFFFFEu;
std::uint64_t base_word(std::uint32_t at, std::int32_t expected) noexcept {
  return std::uint64_t{at} << 32 | static_cast<std::uint32_t>(expected);
}

// Thread exit (pthread key destructor): the cache goes back to the kernel. A thread that ends without
// destructors (a raw clone, _exit) leaves its pages mapped: a leak, never a use after unmap.
void release_at_exit(void* cache) noexcept {
  tl_released = true;
  if (tl_cache == cache) tl_cache = nullptr;
  pages::unmap(cache, sizeof(Cache));
}

// This thread's cache, mapped on first use; nullptr when the kernel refuses or the thread is exiting.
Cache* cache_of_thread() noexcept {
  if (tl_cache || tl_released) return tl_cache;
  auto* cache = static_cast<Cache*>(pages::map(sizeof(Cache)));
  if (!cache) return nullptr;
  cache->generation = g_generation.load(std::memory_order_relaxed);
  // Without the key nobody unmaps it at exit: kept (leaked) rather than lost while still in use.
  if (g_exit_key_made) pthread_setspecific(g_exit_key, cache);
  tl_cache = cache;
  return cache;
}

void forget_entries(Cache& cache) noexcept {
  std::memset(cache.entries, 0, sizeof cache.entries);
}

// True (after forgetting everything) when this thread's caches predate the last invalidate_all().
bool stale(Cache& cache) noexcept {
  std::uint32_t now = g_generation.load(std::memory_order_relaxed);
  if (cache.generation == now) return false;
  cache.generation = now;
  forget_entries(cache);
  for (RuleSlot(&set)[kRuleWays] : cache.rules)
    for (RuleSlot& slot : set)
      slot.return_address = 0;
  return true;
}

Entry* set_of(Cache& cache, const Caller& caller) noexcept {
  std::uint64_t h = (caller.return_address ^ (caller.cfa << 17) ^ caller.entry) * 0x9E3779B97F4A7C15ull;
  return cache.entries[(h ^ (h >> 32)) % kSets];
}

// A return address not among its set's: looked up in .eh_frame, the newest first, the oldest out.
__attribute__((noinline)) const frame_rules::Rule& new_rule(RuleSlot* set,
                                                            std::uintptr_t return_address) noexcept {
  std::memmove(set + 1, set, sizeof(RuleSlot) * (kRuleWays - 1));
  set[0] = RuleSlot{return_address, frame_rules::at_return_address(return_address)};
  return set[0].rule;
}

// Inline: a walk asks once per frame, and nearly always finds it.
inline const frame_rules::Rule& rule_of(Cache& cache, std::uintptr_t return_address) noexcept {
  RuleSlot* set = cache.rules[(return_address * 0x9E3779B97F4A7C15ull) >> kRuleShift];
  for (int way = 0; way < kRuleWays; ++way)
    if (set[way].return_address == return_address) return set[way].rule;
  return new_rule(set, return_address);
}

bool same_key(const Entry& e, const Caller& caller) noexcept {
  return e.return_address == caller.return_address && e.cfa == caller.cfa && e.entry == caller.entry;
}

// A walk's position: the stack pointer at the current frame's call (its callee's CFA) and, where known, the
// current frame's rbp. `base` is kInitial until a frame restores rbp: it is then still the value the
// interposed function's caller had, found only if a frame needs it (base_at_caller).
struct Position {
  std::uintptr_t stack_pointer;
  std::uintptr_t rbp;
  enum class Base : std::uint8_t { kInitial, kKnown, kLost } base;
};

// One frame outwards by `rule`, the current frame's: its CFA, then the caller's rbp. False when the rule
// allows no such step, rbp is needed but not known, or a read would leave [low, end). Inline: the walk takes
// one per frame, and keeps the position in registers only when no call needs its address.
inline __attribute__((always_inline)) bool step(const frame_rules::Rule& rule, Position& at,
                                                std::uintptr_t low, std::uintptr_t end,
                                                std::uintptr_t& cfa) noexcept {
  if (rule.kind == frame_rules::Kind::kStackPointer)
    cfa = at.stack_pointer + static_cast<std::uintptr_t>(rule.cfa_offset);
  else if (rule.kind == frame_rules::Kind::kFramePointer && at.base == Position::Base::kKnown)
    cfa = at.rbp + static_cast<std::uintptr_t>(rule.cfa_offset);
  else
    return false;
  // Strictly outwards, so that a bad rbp cannot make the walk go round.
  if (cfa <= at.stack_pointer || cfa > end || cfa - 8 < low) return false;
  if (rule.base == frame_rules::SavedBase::kAt) {
    std::uintptr_t saved = cfa - static_cast<std::uintptr_t>(-static_cast<std::int64_t>(rule.base_offset));
    if (saved < low || saved + 8 > end) {
      at.base = Position::Base::kLost;
    } else {
      at.rbp = *reinterpret_cast<const std::uintptr_t*>(saved);
      at.base = Position::Base::kKnown;
    }
  } else if (rule.base == frame_rules::SavedBase::kLost) {
    at.base = Position::Base::kLost;
  }
  at.stack_pointer = cfa;
  return true;
}

// rbp as the interposed function's caller had it. This function has a frame pointer of its own (what
// __builtin_frame_address asks for), so the word it points at is the rbp it was called with; from there the
// shim's own frames are walked out by their rules, restoring rbp where each saved it, up to the interposed
// function's CFA. The interposed functions themselves need no frame pointer, and may save and use rbp as they
// like: their rules say where.
__attribute__((noinline)) bool base_at_caller(Cache& cache, const Caller& caller, std::uintptr_t end,
                                              std::uintptr_t& rbp) noexcept {
  const auto* own = static_cast<const std::uintptr_t*>(__builtin_frame_address(0));
  auto return_address = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  if (own[1] != return_address) return false;  // not the frame layout expected: libunwind decides
  Position at{reinterpret_cast<std::uintptr_t>(__builtin_dwarf_cfa()), own[0], Position::Base::kKnown};
  std::uintptr_t low = at.stack_pointer;
  for (int frame = 0; frame < 32 && at.stack_pointer < caller.cfa; ++frame) {
    std::uintptr_t cfa = 0;
    if (!step(rule_of(cache, return_address), at, low, end, cfa)) return false;
    return_address = *reinterpret_cast<const std::uintptr_t*>(cfa - 8);
  }
  if (at.stack_pointer != caller.cfa || at.base != Position::Base::kKnown) return false;
  rbp = at.rbp;
  return true;
}

// rbp as the interposed function's caller had it: read by the interposed function itself where it could,
// else walked out (base_at_caller).
bool caller_base(Cache& cache, const Caller& caller, std::uintptr_t end, std::uintptr_t& rbp) noexcept {
  if (caller.rbp_known) {
    rbp = caller.rbp;
    return true;
  }
  return end && base_at_caller(cache, caller, end, rbp);
}

// A replay's check of the slots, for a site with frames of rbp: each such frame must first find, where its
// judgement read it, the rbp it saw then; only then is its CFA where the slot offsets say. Out of line: the
// common replay (frames of the stack pointer alone) stays as short as it was.
__attribute__((noinline)) bool slots_hold_with_bases(Cache& cache, const sites::Site& s, const Caller& caller,
                                                     const std::uintptr_t* frames) noexcept {
  // Bounds and the CFA in locals: see slots_hold().
  const std::uint32_t* slot = sites::slots(s);
  const std::uint64_t* base_word = sites::bases(s);
  const std::uintptr_t* const end = frames + s.depth;
  const std::uintptr_t cfa = caller.cfa;
  std::uintptr_t initial = 0;
  bool initial_known = false;
  for (const std::uintptr_t* frame = frames + 1; frame < end; ++frame, ++slot, ++base_word) {
    std::uint64_t base = __atomic_load_n(base_word, __ATOMIC_RELAXED);
    auto at = static_cast<std::uint32_t>(base >> 32);
    if (at != kNoBase) {
      std::uintptr_t rbp = 0;
      if (at == kInitialBase) {
        if (!initial_known &&
            !caller_base(cache, caller, caller.rbp_known ? 0 : stack_room::end(cfa), initial))
          return false;
        initial_known = true;
        rbp = initial;
      } else {
        rbp = *reinterpret_cast<const std::uintptr_t*>(cfa + at);
      }
      auto expected = static_cast<std::int32_t>(static_cast<std::uint32_t>(base));
      if (rbp != cfa + static_cast<std::uintptr_t>(static_cast<std::intptr_t>(expected))) return false;
    }
    std::uint32_t offset = __atomic_load_n(slot, __ATOMIC_RELAXED);
    if (*reinterpret_cast<const std::uintptr_t*>(cfa + offset) != *frame) return false;
  }
  return true;
}

// Whether every slot holds the site's next return address, for a site of frames of the stack pointer alone.
// Inner frames first, stopping at the first difference: a slot is only read once the slot below it named the
// same frame, so every read is one the full unwind of the current stack would make as well.
inline bool slots_hold(const sites::Site& s, const std::uintptr_t* frames, std::uintptr_t cfa) noexcept {
  // The bounds in locals: the atomic loads would otherwise make the compiler read the depth again each frame.
  const std::uint32_t* slot = sites::slots(s);
  const std::uintptr_t* const end = frames + s.depth;
  for (const std::uintptr_t* frame = frames + 1; frame < end; ++frame, ++slot) {
    std::uint32_t offset = __atomic_load_n(slot, __ATOMIC_RELAXED);
    if (*reinterpret_cast<const std::uintptr_t*>(cfa + offset) != *frame) return false;
  }
  return true;
}

// The site's frames when it may be replayed (judged in this generation) and starts at the caller's return
// address; `word` its replay word. nullptr otherwise.
inline const std::uintptr_t* replayable(const sites::Site& s, const Caller& caller, std::uint32_t generation,
                                        std::uint32_t& word) noexcept {
  word = __atomic_load_n(&s.replay, __ATOMIC_ACQUIRE);
  if ((word & ~kFrameBases) != (judged(generation) | kReplayable)) return nullptr;
  const std::uintptr_t* frames = sites::frames(s);
  return frames[0] == caller.return_address ? frames : nullptr;
}

// Whether the caller's stack is `site`'s.
bool replays(Cache& cache, std::uint32_t site, const Caller& caller, std::uint32_t generation) noexcept {
  if (site >= sites::count()) return false;
  const sites::Site& s = sites::site(site);
  std::uint32_t word = 0;
  const std::uintptr_t* frames = replayable(s, caller, generation, word);
  if (!frames) return false;
  if (word & kFrameBases) return slots_hold_with_bases(cache, s, caller, frames);
  return slots_hold(s, frames, caller.cfa);
}

// Judges `site` from its frames, read off the current stack (the one that produced them): each slot offset
// from the frame rules, each checked to hold the frame the unwind found there; for frames that compute their
// CFA from rbp, where that rbp was read and what it was. `first` when the site was never judged before.
std::uint32_t judge(Cache& cache, const Caller& caller, std::uint32_t site, const std::uintptr_t* frames,
                    int depth, bool cut, bool first) noexcept {
  std::uint32_t verdict = judged(cache.generation);
  const sites::Site& s = sites::site(site);
  std::uint32_t* slots = sites::slots(s);
  std::uint64_t* bases = nullptr;  // once a frame of rbp is met
  std::uintptr_t end = stack_room::end(caller.cfa);
  if (!end) return verdict;
  Position at{caller.cfa, 0, Position::Base::kInitial};
  std::uint32_t base_at = kInitialBase;  // where the current rbp was read
  for (int j = 0; j < depth; ++j) {
    frame_rules::Rule rule = rule_of(cache, frames[j]);
    bool last = j + 1 == depth;
    if (last && (cut || rule.kind == frame_rules::Kind::kOutermost))
      return verdict | kReplayable | (bases ? kFrameBases : 0);
    if (last) return verdict;
    if (rule.kind == frame_rules::Kind::kFramePointer) {
      if (at.base == Position::Base::kInitial)
        at.base = caller_base(cache, caller, end, at.rbp) ? Position::Base::kKnown : Position::Base::kLost;
      if (at.base != Position::Base::kKnown) return verdict;
      auto expected = static_cast<std::int64_t>(at.rbp - caller.cfa);
      if (expected < INT32_MIN || expected > INT32_MAX) return verdict;
      if (!bases) {
        bases = sites::bases(s);
        if (first) sites::note_bases(depth);
        for (int k = 0; k < j; ++k)
          __atomic_store_n(&bases[k], base_word(kNoBase, 0), __ATOMIC_RELAXED);
      }
      __atomic_store_n(&bases[j], base_word(base_at, static_cast<std::int32_t>(expected)), __ATOMIC_RELAXED);
    } else if (rule.kind == frame_rules::Kind::kStackPointer) {
      if (bases) __atomic_store_n(&bases[j], base_word(kNoBase, 0), __ATOMIC_RELAXED);
    } else {
      return verdict;
    }
    std::uintptr_t cfa = 0;
    if (!step(rule, at, caller.cfa, end, cfa)) return verdict;
    if (rule.base == frame_rules::SavedBase::kAt && at.base == Position::Base::kKnown)
      base_at = static_cast<std::uint32_t>(
          cfa - static_cast<std::uintptr_t>(-static_cast<std::int64_t>(rule.base_offset)) - caller.cfa);
    std::uintptr_t offset = cfa - 8 - caller.cfa;
    if (offset > 0xFFFFFFFFu || *reinterpret_cast<const std::uintptr_t*>(cfa - 8) != frames[j + 1])
      return verdict;
    __atomic_store_n(&slots[j], static_cast<std::uint32_t>(offset), __ATOMIC_RELAXED);
  }
  return verdict;
}

// judge() for a stack the walk found with frames of the stack pointer alone: the walk stopped at the
// outermost frame or at its depth, and read each frame where judge() would, so its offsets are the slots.
std::uint32_t adopt(const Cache& cache, const sites::Site& s, const Offsets& where, int depth) noexcept {
  std::uint32_t* slots = sites::slots(s);
  for (int j = 0; j + 1 < depth; ++j)
    __atomic_store_n(&slots[j], where.offsets[j], __ATOMIC_RELAXED);
  return judged(cache.generation) | kReplayable;
}

// Gives `fresh` (whose site's stack is frames[0..depth)) and `other` (of the same key, when it has none) the
// first frame where their stacks differ, found from both sites' frames and slot offsets.
void tell_apart(Entry& fresh, const std::uintptr_t* frames, int depth, Entry& other) noexcept {
  if (other.site >= sites::count()) return;
  const sites::Site& mine = sites::site(fresh.site);
  const sites::Site& theirs = sites::site(other.site);
  const std::uintptr_t* their_frames = sites::frames(theirs);
  std::uint32_t shared =
      static_cast<std::uint32_t>(depth) < theirs.depth ? static_cast<std::uint32_t>(depth) : theirs.depth;
  for (std::uint32_t j = 1; j < shared; ++j) {
    if (frames[j] == their_frames[j]) continue;
    fresh.check_offset = __atomic_load_n(&sites::slots(mine)[j - 1], __ATOMIC_RELAXED);
    fresh.check_value = frames[j];
    if (other.check_offset == kNoCheck) {
      other.check_offset = __atomic_load_n(&sites::slots(theirs)[j - 1], __ATOMIC_RELAXED);
      other.check_value = their_frames[j];
    }
    return;
  }
}

// The newest entry first, the others moved down one way, the oldest dropped (or this key's own entry for
// the same site): one key may name several sites, as an allocator's wrapper reached from several callers at
// the same depth does (python3: 1.7 M of 5.4 M allocations met their key with another site below it).
void put_first(Entry* set, const Caller& caller, std::uint32_t site, const std::uintptr_t* frames, int depth,
               std::int32_t trust, std::uint16_t streak) noexcept {
  int last = kWays - 1;
  for (int way = 0; way < kWays; ++way)
    if (same_key(set[way], caller) && set[way].site == site) {
      last = way;
      break;
    }
  for (int way = last; way > 0; --way)
    set[way] = set[way - 1];
  set[0] = Entry{caller.return_address,
                 caller.cfa,
                 caller.entry,
                 site,
                 kNoCheck,
                 static_cast<std::int16_t>(trust),
                 streak,
                 0};
  for (int way = 1; way < kWays; ++way)
    if (same_key(set[way], caller)) {
      tell_apart(set[0], frames, depth, set[way]);
      break;
    }
}

// Every way of the caller's key, then the guess of the next site. A key whose guesses fail (trust below zero)
// is guessed for once in kRetry misses only, and once it thrashes too (kThrashing misses in a row) its ways
// are tried only then as well: a way whose check passes costs a read of its site, a miss to memory for
// nothing where the key meets 117 649 stacks in no order (0.6 such reads per allocation).
__attribute__((noinline)) std::uint32_t find_in_full(const Caller& caller) noexcept {
  Cache* cache = tl_cache;
  if (!cache || stale(*cache)) return sites::kNoSite;
  Entry* set = set_of(*cache, caller);
  std::uintptr_t end = 0;  // the stack's end, read at the first check
  int newest = -1;         // this key's newest way
  bool retry = true;       // a turn to try a key whose guesses fail
  for (int way = 0; way < kWays; ++way) {
    const Entry& e = set[way];
    if (!same_key(e, caller)) continue;
    if (newest < 0) {
      newest = way;
      retry = e.trust >= 0 || ++cache->misses % kRetry == 0;
      if (!retry && e.streak >= kThrashing) break;
    }
    if (e.check_offset != kNoCheck) {
      if (!end) end = stack_room::end(caller.cfa);
      std::uintptr_t at = caller.cfa + e.check_offset;
      // Past the stack's end the stack is shallower than the site's: not its stack either.
      if (!end || at + 8 > end || *reinterpret_cast<const std::uintptr_t*>(at) != e.check_value) continue;
    }
    if (replays(*cache, e.site, caller, cache->generation)) {
      set[newest].streak = 0;
      return e.site;
    }
  }
  if (newest < 0) return sites::kNoSite;
  if (set[newest].streak < 0xFFFF) ++set[newest].streak;
  if (!retry || set[newest].site >= sites::count()) return sites::kNoSite;
  // None of the key's sites: perhaps the one that came after the newest of them last time.
  const std::int32_t trust = set[newest].trust;
  std::uint32_t next = __atomic_load_n(&sites::site(set[newest].site).next, __ATOMIC_RELAXED);
  if (next == sites::kNoSite) return sites::kNoSite;
  if (!replays(*cache, next, caller, cache->generation)) {
    set[newest].trust = static_cast<std::int16_t>(trust - 2 < kLeastTrust ? kLeastTrust : trust - 2);
    return sites::kNoSite;
  }
  const sites::Site& s = sites::site(next);
  put_first(set, caller, next, sites::frames(s), static_cast<int>(s.depth),
            trust < kMostTrust ? trust + 1 : trust, 0);
  return next;
}

// The common hit of a stack with frames that compute their CFA from rbp (frame-pointer builds), called last
// so that find() itself saves no registers.
__attribute__((noinline)) std::uint32_t hit_with_bases(Cache& cache, const Caller& caller, std::uint32_t site,
                                                       const std::uintptr_t* frames) noexcept {
  return slots_hold_with_bases(cache, sites::site(site), caller, frames) ? site : find_in_full(caller);
}

}  // namespace

// The common hit first: the key's newest entry, without a check of its own, names the stack. Only loads and
// compares on the way (no registers to save); anything else is the full search's.
std::uint32_t find(const Caller& caller) noexcept {
  Cache* cache = tl_cache;
  if (cache && cache->generation == g_generation.load(std::memory_order_relaxed)) {
    const Entry& e = set_of(*cache, caller)[0];
    if (same_key(e, caller) && e.check_offset == kNoCheck && e.site < sites::count()) {
      const sites::Site& s = sites::site(e.site);
      std::uint32_t word = 0;
      const std::uintptr_t* frames = replayable(s, caller, cache->generation, word);
      if (frames && !(word & kFrameBases) && slots_hold(s, frames, caller.cfa)) return e.site;
      if (frames && (word & kFrameBases)) return hit_with_bases(*cache, caller, e.site, frames);
    }
  }
  return find_in_full(caller);
}

// A walk runs at every allocation of a stack the cache does not know (every one, in a program of 100 000
// stacks in no fixed order): the rule lookup and step() inline, the position in registers (the caller's rbp
// comes back through a local of its own, so that no call takes the position's address).
int walk(const Caller& caller, int max_depth, std::uintptr_t* frames, bool& cut, Offsets& where) noexcept {
  where.usable = false;
  if (max_depth < 1) return -1;
  // In locals: the stores into frames and offsets might alias `caller` and `where` otherwise, and the loop
  // would read them again at every frame.
  const std::uintptr_t low = caller.cfa;
  std::uint32_t* const offsets = where.offsets;
  const std::uintptr_t end = stack_room::end(low);
  Cache* cache = end ? cache_of_thread() : nullptr;
  if (!cache) return -1;
  stale(*cache);
  std::uintptr_t return_address = caller.return_address;
  frames[0] = return_address;
  Position at{low, 0, Position::Base::kInitial};
  bool stack_pointer_only = true;
  std::uintptr_t cfa = low;
  // main's return address, where every main-thread stack goes on the same way (root_frames.hpp): a stack
  // that reaches it stops there, as if cut. ~0 (no return address) while it is not known.
  const std::uintptr_t root = root_frames::root() ? root_frames::root() : ~std::uintptr_t{0};
  int j = 1;
  for (; j < max_depth; ++j) {
    const frame_rules::Rule& rule = rule_of(*cache, return_address);
    if (rule.kind == frame_rules::Kind::kOutermost) break;
    stack_pointer_only = stack_pointer_only && rule.kind == frame_rules::Kind::kStackPointer;
    if (rule.kind == frame_rules::Kind::kFramePointer && at.base == Position::Base::kInitial) {
      std::uintptr_t initial = 0;
      at.base = caller_base(*cache, caller, end, initial) ? Position::Base::kKnown : Position::Base::kLost;
      at.rbp = initial;
    }
    if (!step(rule, at, low, end, cfa)) return -1;  // off the thread's stack: libunwind decides
    return_address = *reinterpret_cast<const std::uintptr_t*>(cfa - 8);
    frames[j] = return_address;
    offsets[j - 1] = static_cast<std::uint32_t>(cfa - 8 - low);
    if (__builtin_expect(return_address == root, 0)) {
      cut = true;
      where.usable = stack_pointer_only && cfa - low <= 0xFFFFFFFFu;
      return j + 1;
    }
  }
  cut = j == max_depth;
  where.usable = stack_pointer_only && cfa - low <= 0xFFFFFFFFu;  // the CFAs only grow
  return j;
}

void remember(const Caller& caller, std::uint32_t site, const std::uintptr_t* frames, int depth, bool cut,
              const Offsets* where) noexcept {
  if (depth < 1 || frames[0] != caller.return_address || site >= sites::count()) return;
  Cache* cache = cache_of_thread();
  if (!cache) return;
  stale(*cache);
  Entry* set = set_of(*cache, caller);
  int newest = 0;
  while (newest < kWays && !same_key(set[newest], caller))
    ++newest;
  std::uint16_t streak = newest < kWays ? set[newest].streak : 0;
  sites::Site& s = const_cast<sites::Site&>(sites::site(site));
  std::uint32_t verdict = __atomic_load_n(&s.replay, __ATOMIC_ACQUIRE);
  if ((verdict & ~(kReplayable | kFrameBases)) != judged(cache->generation)) {
    verdict = where && where->usable ? adopt(*cache, s, *where, depth)
                                     : judge(*cache, caller, site, frames, depth, cut, verdict == 0);
    __atomic_store_n(&s.replay, verdict, __ATOMIC_RELEASE);
  }
  if (!(verdict & kReplayable)) return;
  std::int32_t trust = 0;
  for (int way = newest; way < kWays; ++way)
    if (same_key(set[way], caller)) {
      trust = set[way].trust;
      // What came after the key's newest site this time: the guess for next time. Not for a key whose
      // guesses fail, unless find() will try one at its next miss: in a program that does not repeat
      // itself, the store is a cache miss on another site for nothing.
      bool tried_next = trust >= 0 || (cache->misses + 1) % kRetry == 0;
      if (tried_next && set[way].site != site && set[way].site < sites::count())
        __atomic_store_n(&const_cast<sites::Site&>(sites::site(set[way].site)).next, site, __ATOMIC_RELAXED);
      break;
    }
  put_first(set, caller, site, frames, depth, trust, streak);
}

bool worth_remembering(const Caller& caller) noexcept {
  Cache* cache = tl_cache;
  if (!cache) return true;
  const Entry* set = set_of(*cache, caller);
  for (int way = 0; way < kWays; ++way)
    if (same_key(set[way], caller))
      return set[way].streak < kThrashing || set[way].trust >= 0 || ++cache->skipped % kRetry == 0;
  return true;
}

void init() noexcept {
  if (!g_exit_key_made) g_exit_key_made = pthread_key_create(&g_exit_key, release_at_exit) == 0;
}

void clear() noexcept {
  if (tl_cache) forget_entries(*tl_cache);
}

void invalidate_all() noexcept {
  g_generation.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace prof::preload::memory::stack_cache
