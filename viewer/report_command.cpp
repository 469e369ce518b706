// `prof report [options] PATH...`: what one run (or several) did, read from its snapshots.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "commands.hpp"
#include "error.hpp"
#include "report_render.hpp"
#include "report_sections.hpp"
#include "snapshot_reader.hpp"
#include "terminal.hpp"

namespace prof::viewer {

namespace {

struct ReportOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  std::size_t top = 20;
  std::string sort;
  bool meta = false, memory = false, scopes = false, timers = false;
};

OutputFormat parse_format(const std::string& name) {
  if (name == "text") return OutputFormat::text;
  if (name == "csv") return OutputFormat::csv;
  if (name == "json") return OutputFormat::json;
  throw UserError("--format", fmt::format("unknown format \"{}\" (choose text, csv or json)", name));
}

std::vector<Section> build_sections(const std::vector<Snapshot>& snapshots, const ReportOptions& options) {
  const bool chosen = options.meta || options.memory || options.scopes || options.timers;
  std::vector<Section> sections;
  if (!chosen || options.meta) sections.push_back(meta_section(snapshots));
  if (!chosen || options.scopes) sections.push_back(scopes_section(snapshots));
  if (!chosen || options.memory) sections.push_back(memory_section(snapshots));
  if (!chosen || options.timers) sections.push_back(timers_section(snapshots));
  // By default a section that is not in the snapshots is simply not mentioned.
  if (!chosen) std::erase_if(sections, [](const Section& s) { return !s.present; });
  return sections;
}

void apply_sort_and_top(std::vector<Section>& sections, const ReportOptions& options) {
  if (!options.sort.empty()) {
    std::set<std::string> keys;
    bool known = false;
    for (auto& section : sections)
      for (auto& table : section.tables) {
        for (const auto& column : table.columns)
          keys.insert(column.key);
        if (table.has_column(options.sort)) {
          table.sort_by(options.sort);
          known = true;
        }
      }
    if (!known)
      throw UserError("--sort", fmt::format("no table shown has a column \"{}\" (choose from: {})",
                                            options.sort, fmt::join(keys, ", ")));
  }
  for (auto& section : sections)
    for (auto& table : section.tables)
      table.keep_top(options.top);
}

void run_report(const ReportOptions& options) {
  auto format = parse_format(options.format);
  auto snapshots = load_snapshots(options.paths);
  auto sections = build_sections(snapshots, options);
  apply_sort_and_top(sections, options);
  std::string out;
  switch (format) {
    case OutputFormat::text:
      out = render_text(sections, {.colour = stdout_wants_colour(), .width = 80});
      break;
    case OutputFormat::csv:
      // csv holds tables only; a requested section that is absent is said on stderr, keeping stdout clean.
      for (const auto& section : sections)
        if (!section.present) std::fprintf(stderr, "prof: %s\n", section.absent_note.c_str());
      out = render_csv(sections);
      break;
    case OutputFormat::json:
      out = render_json(sections);
      break;
  }
  write_stdout(out);
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ReportOptions>();
  auto* cmd = app.add_subcommand("report", "Show what the processes of a run did, from their snapshots");
  cmd->add_option("PATH", options->paths,
                  "Snapshot files, or directories of *.prof.json (merged into one report)")
      ->required();
  cmd->add_option("--format", options->format, "Output: text (default), csv (tables only) or json");
  cmd->add_option("--top", options->top, "Rows kept in each table (default 20)");
  cmd->add_option(
      "--sort", options->sort,
      "Sort tables by this column: pid, ppid, program, exit, wall, cpu, max_rss; scopes: name, calls, "
      "self, total; memory: peak, allocated, allocations, leaked; timers: name, runs, min, median");
  cmd->add_flag("--meta", options->meta, "Show the processes section");
  cmd->add_flag("--mem", options->memory, "Show the memory section");
  cmd->add_flag("--scopes", options->scopes, "Show the scopes section");
  cmd->add_flag("--timers", options->timers, "Show the timers section");
  cmd->footer(
      "With no section flag, every section present is summarised.\n"
      "Examples:\n"
      "  prof report prof-run/                         every snapshot of a run directory\n"
      "  prof report solver.4242.prof.json --mem       memory section of one process\n"
      "  prof report run/ --sort max_rss --top 5       the five processes with the largest RSS\n"
      "  prof report run/ --meta --format csv > p.csv  the process table for a spreadsheet\n"
      "  prof report a/ b/ --format json               two runs merged, as JSON\n");
  cmd->callback([options, &exit_code] {
    ignore_sigpipe();
    run_report(*options);
    exit_code = 0;
  });
}

}  // namespace prof::viewer
