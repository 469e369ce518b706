#pragma once
// prof's own heap in transparent huge pages. Reading a snapshot touches tens of megabytes of fresh memory
// (simdjson's tape, the file, the tables): a page fault per 4 KiB page, which under a virtualised MMU took
// half of `prof report`'s time on a 6 MB snapshot (12 000 faults; 3 300 and half the time with huge pages).
// glibc's `glibc.malloc.hugetlb=1` tunable makes malloc advise huge pages; tunables are read only at
// start-up, so prof starts itself once more with it (about 5 ms), where the reading is worth it.

#include <string>
#include <vector>

namespace prof::viewer {

// First thing in main. In a second start, puts GLIBC_TUNABLES back as the user had it, so the programs that
// `prof run` starts see the user's environment. Otherwise, for a command that reads snapshots (report,
// diff, export, flamegraph): restarts with large pages (restart_with_large_pages). `prof run` decides after
// its program, by the size of what it wrote.
void use_large_pages(int argc, char** argv) noexcept;

// Executes this program again (same process) with `arguments`, glibc.malloc.hugetlb=1 added to
// GLIBC_TUNABLES, unless huge pages would not come (the kernel's transparent huge pages are `never`), the
// user's GLIBC_TUNABLES already says glibc.malloc.hugetlb, PROF_LARGE_PAGES=0, or this start already has
// them. Returns only when it did not execute.
void restart_with_large_pages(const std::vector<std::string>& arguments) noexcept;

}  // namespace prof::viewer
