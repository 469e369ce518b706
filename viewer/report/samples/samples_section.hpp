#pragma once
// `prof report --samples`: where the time went, from the sampling profiler, as perf report and pprof show it:
// flat by function (or line, file, module), the call tree, callers and callees of one function, one table per
// thread, and across the processes of a run.
#include <string>

#include "merge/samples_merge.hpp"
#include "report/table.hpp"

namespace prof::viewer {

struct SamplesReportOptions {
  enum class View { flat, tree, callers, callees };
  View view = View::flat;
  std::string name;                    // --callers / --callees NAME
  SampleKey by = SampleKey::function;  // --by: the flat tables' groups
  bool threads = false;                // --threads: one flat table per thread
  double min_percent = 0.5;            // --tree hides paths under this % of all samples
  bool text = true;                    // text tables shorten; csv/json lead thread rows with their thread
};

Section samples_section(const SamplesMerge& samples, const SamplesReportOptions& options = {});

}  // namespace prof::viewer
