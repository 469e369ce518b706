#pragma once
// The cells the scope tables share: labels, call counts, times.
#include <cstdint>
#include <string>

#include "merge/scope_tree.hpp"
#include "report/table.hpp"

namespace prof::viewer {

// "name  file:line" as pstats prints it; just the name when the file is unknown.
std::string scope_label(const ScopeSiteKey& site);
// "25/1" when some calls were recursive, else "25"; the raw value is the number of calls.
// `open_calls` > 0 adds " (open)": some calls were still open when their snapshot was written and count with
// their time so far (a program that exited or was killed inside the scope, a thread still running). In the
// count's column, which the text renderer never shortens, unlike the name's.
Cell ncalls_cell(std::int64_t calls, std::int64_t primitive_calls, std::int64_t open_calls = 0);
Cell ns_cell(std::int64_t ns);
// Time per call; "-" (and no raw value) when there were no such calls.
Cell per_call_cell(std::int64_t ns, std::int64_t calls);

}  // namespace prof::viewer
