#pragma once
// With other threads, each thread hands its changes to the sites it met last over in batches of its own
// (sites.hpp's counters, under their shards' locks): every kEvents events, when a batch's net live bytes pass
// kLiveBytes, when another site needs the batch, at the thread's end, and the writing thread's before a
// snapshot. Eight threads allocating from three sites took three shared locks and lines at every event: 72 ns
// an event against 17 ns for one thread, and several times that when the host preempted a thread holding a
// lock (41 % of a run on the lock's spin). The batches sit in a table of every thread's, not in TLS, so a
// snapshot adds those of threads that still run (an OpenMP team, a pool not joined before exit): exact for
// threads that wait, in flight for threads that allocate meanwhile. A site's share of the peak lags by the
// batches in flight at the peak: less than kLiveBytes per thread.

#include <cstdint>

#include "memory/sites.hpp"

namespace prof::preload::memory::site_batches {

constexpr std::uint32_t kEvents = 64;
constexpr std::int64_t kLiveBytes = 16 << 10;

// Whether the calling thread's changes go into batches: only while the process has other threads (a
// single-threaded one takes no lock and stays exact at every event), until the thread ends, and while the
// table has room for it (1024 threads at once; others change the sites under the locks).
bool on() noexcept;
void add(std::uint32_t site, const sites::Changes& changes) noexcept;

// The calling thread's batches into the sites: at its end, waiting for the locks; before a snapshot, only
// where a lock is free (the snapshot may come from a fatal signal in a thread that holds one).
void end_thread() noexcept;
void flush_current_thread() noexcept;

// For a snapshot: whether another thread holds a batch at all. Most snapshots find none, and then need no
// table to add them into: the reads of that untouched table (40 bytes a site) were a page fault per 100
// sites.
bool pending() noexcept;
// For a snapshot: the batches of every other thread, added per site into `out` (`sites` entries).
void gather(sites::Changes* out, std::uint32_t sites) noexcept;

// The fork child: the parent's other threads do not exist there, and the sites start empty.
void reset() noexcept;

}  // namespace prof::preload::memory::site_batches
