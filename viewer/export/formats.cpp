#include "export/formats.hpp"

#include <array>

#include <fmt/format.h>

#include "error.hpp"
#include "export/chrome.hpp"
#include "export/folded.hpp"
#include "export/massif.hpp"
#include "export/pprof.hpp"
#include "export/pstats.hpp"
#include "export/speedscope.hpp"

namespace prof::viewer {

namespace {

constexpr std::array kFormats{
    ExportFormat{"pstats", "Python's cProfile file: pstats, snakeviz, gprof2dot, Hatchet (scopes)",
                 write_pstats},
    ExportFormat{"chrome",
                 "Chrome trace event JSON for Perfetto and chrome://tracing (scopes as a flame chart "
                 "per thread, live heap counters, MPI operations per rank)",
                 write_chrome},
    ExportFormat{"speedscope", "speedscope JSON (scopes per thread, memory by stack)", write_speedscope,
                 nullptr, true},
    ExportFormat{"folded",
                 "folded stacks for flamegraph.pl and inferno (scopes: ns of self time; --mem: bytes)",
                 write_folded, nullptr, true},
    ExportFormat{"pprof", "gzipped profile.proto for pprof (--mem: Go heap types, ranks labelled)", nullptr,
                 open_pprof},
    ExportFormat{"massif", "valgrind's massif.out for ms_print (memory over time, the peak's tree)",
                 write_massif, nullptr, false, AddressedStacks::largest_peak},
};

}  // namespace

std::span<const ExportFormat> export_formats() {
  return kFormats;
}

const ExportFormat& find_export_format(const std::string& name) {
  for (const auto& format : kFormats)
    if (format.name == name) return format;
  std::string names;
  for (const auto& format : kFormats)
    names += (names.empty() ? "" : ", ") + std::string(format.name);
  throw UserError("--format", fmt::format("unknown format \"{}\" (choose {})", name, names));
}

}  // namespace prof::viewer
