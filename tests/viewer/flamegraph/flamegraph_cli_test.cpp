// `prof flamegraph` end to end on crafted snapshots: the text flame's shares, merging over processes and
// --rank, memory views, --diff, the SVG's widths, the HTML's self-containment, the output file's rules.
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "flamegraph/flame_snapshots.hpp"
#include "run_prof.hpp"
#include "scratch_dir.hpp"

using prof::test::planted_scopes;
using prof::test::read_file;
using prof::test::run_prof;
using prof::test::ScratchDir;

namespace {

// The text flame's line for NAME at DEPTH (indentation): its share in percent, or -1 when absent.
double text_share(const std::string& text, const std::string& name, int depth) {
  std::regex line(R"(^\S*\s+([0-9.]+)%\s+\S+ \S+  )" + std::string(static_cast<std::size_t>(depth) * 2, ' ') +
                  name + R"((  |$))");
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (std::regex_search(l, m, line)) return std::stod(m[1]);
  }
  return -1;
}

}  // namespace

TEST_CASE("flamegraph text: planted scopes at their share of the whole, indented by depth") {
  ScratchDir dir;
  auto path = dir.file("solver.11.prof.json", prof::test::scope_snapshot(11, planted_scopes()));
  auto r = run_prof({"flamegraph", path, "--format", "text"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.starts_with("cumulative time: 1.00 s\n"));
  CHECK(text_share(r.out, "all", 0) == 100.0);
  CHECK(text_share(r.out, "main", 1) == 100.0);
  CHECK(text_share(r.out, "hot", 2) == 75.0);
  CHECK(text_share(r.out, "inner", 3) == 50.0);
  CHECK(text_share(r.out, "cold", 2) == 25.0);
  // Heaviest first: hot before cold; a bar of 75 % of 20 cells is 15 full cells.
  CHECK(r.out.find("hot") < r.out.find("cold"));
  CHECK(r.out.find("███████████████       75.0%") != std::string::npos);
  CHECK(r.out.find("hot  app.cpp:11") != std::string::npos);

  auto pruned = run_prof({"flamegraph", path, "--format", "text", "--min-percent", "30"});
  CHECK(text_share(pruned.out, "cold", 2) == -1);
  CHECK(text_share(pruned.out, "inner", 3) == 50.0);
}

TEST_CASE("flamegraph text: merged over processes, or one with --rank / --pid") {
  ScratchDir dir;
  // Rank 0: hot 750 ms of 1 s; rank 1: hot 250 ms of 500 ms. Merged: hot 1 s of 1.5 s, inner 667 ms.
  dir.file("solver.r0000.21.prof.json", prof::test::scope_snapshot(21, planted_scopes(), 0));
  dir.file("solver.r0001.22.prof.json", prof::test::scope_snapshot(22, planted_scopes(250'000'000), 1));
  auto merged = run_prof({"flamegraph", dir.path(), "--format", "text", "--min-percent", "0"});
  INFO(merged.out << merged.err);
  REQUIRE(merged.exit_code == 0);
  CHECK(merged.out.starts_with("cumulative time: 1.50 s\n"));
  CHECK(text_share(merged.out, "hot", 2) == Approx(66.7).margin(0.05));
  CHECK(text_share(merged.out, "inner", 3) == Approx(44.4).margin(0.05));
  auto rank1 = run_prof({"flamegraph", dir.path(), "--format", "text", "--rank", "1"});
  CHECK(rank1.out.starts_with("cumulative time: 500 ms\n"));
  CHECK(text_share(rank1.out, "hot", 2) == 50.0);
  auto pid21 = run_prof({"flamegraph", dir.path(), "--format", "text", "--pid", "21"});
  CHECK(text_share(pid21.out, "hot", 2) == 75.0);
  auto none = run_prof({"flamegraph", dir.path(), "--format", "text", "--rank", "7"});
  CHECK(none.exit_code == 2);
  CHECK(none.err == "prof: error: --rank: no snapshot of rank 7 in " + dir.path() + "\n");
}

TEST_CASE("flamegraph text: memory stacks by --view (peak, leaks, total)") {
  ScratchDir dir;
  auto path = dir.file("solver.31.prof.json",
                       prof::test::memory_snapshot(31, {{{"assemble", "main"}, 3 << 20, 8 << 20, 0},
                                                        {{"load", "main"}, 1 << 20, 2 << 20, 1 << 20}}));
  auto peak = run_prof({"flamegraph", path, "--format", "text", "--mem"});
  INFO(peak.out << peak.err);
  REQUIRE(peak.exit_code == 0);
  CHECK(peak.out.starts_with("bytes live at the peak: 4.00 MiB\n"));
  CHECK(text_share(peak.out, "main", 1) == 100.0);
  CHECK(text_share(peak.out, "assemble", 2) == 75.0);
  CHECK(peak.out.find("assemble  /src/app/solver.cpp:100") != std::string::npos);
  auto total = run_prof({"flamegraph", path, "--format", "text", "--view", "total"});
  CHECK(total.out.starts_with("bytes allocated: 10.0 MiB\n"));
  CHECK(text_share(total.out, "assemble", 2) == 80.0);
  auto leaks = run_prof({"flamegraph", path, "--format", "text", "--view", "leaks"});
  CHECK(leaks.out.starts_with("bytes leaked: 1.00 MiB\n"));
  CHECK(text_share(leaks.out, "load", 2) == 100.0);
  CHECK(text_share(leaks.out, "assemble", 2) == -1);
  // Without --mem, a file of memory only is drawn as memory; one of scopes only has no memory to draw.
  auto by_default = run_prof({"flamegraph", path, "--format", "text"});
  CHECK(by_default.out == peak.out);
  auto scopes_only = dir.file("solver.32.prof.json", prof::test::scope_snapshot(32, planted_scopes()));
  auto none = run_prof({"flamegraph", scopes_only, "--format", "text", "--mem"});
  CHECK(none.exit_code == 2);
  CHECK(none.err == "prof: error: " + scopes_only + ": no memory section in these snapshots\n");
}

TEST_CASE("flamegraph --diff: NEW's figures with the change from OLD") {
  ScratchDir dir;
  auto old_path = dir.file("old.41.prof.json", prof::test::scope_snapshot(41, planted_scopes(500'000'000)));
  auto new_path = dir.file("new.42.prof.json", prof::test::scope_snapshot(42, planted_scopes()));
  auto r = run_prof({"flamegraph", "--diff", old_path, new_path, "--format", "text"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("hot  app.cpp:11  (+250 ms)") != std::string::npos);
  CHECK(r.out.find("inner  app.cpp:12  (+167 ms)") != std::string::npos);  // two thirds of hot
  CHECK(r.out.find("cold  app.cpp:13  (=)") != std::string::npos);
  auto one = run_prof({"flamegraph", "--diff", old_path, "--format", "text"});
  CHECK(one.exit_code == 2);
  CHECK(one.err == "prof: error: --diff: give two paths: --diff OLD NEW\n");
}

TEST_CASE("flamegraph svg: frames as wide as their share of 1180 px, each with its tooltip") {
  ScratchDir dir;
  auto path = dir.file("solver.51.prof.json", prof::test::scope_snapshot(51, planted_scopes()));
  auto out = dir.path("flame.svg");
  auto r = run_prof({"flamegraph", path, "--format", "svg", "-o", out});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto svg = read_file(out);
  CHECK(svg.starts_with("<?xml"));
  CHECK(svg.find("</svg>") != std::string::npos);
  auto width_of = [&](const std::string& name) {
    std::smatch m;
    std::regex rect("<title>" + name +
                    R"re(  app\.cpp:\d+\n[^<]*</title><rect x="[0-9.]+" y="\d+" width="([0-9.]+)")re");
    return std::regex_search(svg, m, rect) ? std::stod(m[1]) / 1180.0 : -1.0;
  };
  CHECK(width_of("hot") == Approx(0.75).margin(0.01));
  CHECK(width_of("inner") == Approx(0.50).margin(0.01));
  CHECK(width_of("cold") == Approx(0.25).margin(0.01));
}

TEST_CASE("flamegraph html: one self-contained file, written whole, kept unless --force") {
  ScratchDir dir;
  auto path = dir.file("solver.61.prof.json", prof::test::scope_snapshot(61, planted_scopes()));
  auto out = dir.path("flame.html");
  auto r = run_prof({"flamegraph", path, "-o", out});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  auto html = read_file(out);
  CHECK(html.find("<canvas") != std::string::npos);
  CHECK(html.find("\"hot\"") != std::string::npos);
  // Nothing fetched from elsewhere: no external script, style sheet, font or image.
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("@font-face") == std::string::npos);

  // An existing file is kept, and no temporary file is left behind.
  dir.file("flame.html", "mine");
  auto again = run_prof({"flamegraph", path, "-o", out});
  CHECK(again.exit_code == 2);
  CHECK(again.err == "prof: error: " + out + ": exists already (give --force to replace it)\n");
  CHECK(read_file(out) == "mine");
  auto forced = run_prof({"flamegraph", path, "-o", out, "--force"});
  CHECK(forced.exit_code == 0);
  CHECK(read_file(out) == html);
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path()))
    ++entries;
  CHECK(entries == 2);  // the snapshot and flame.html

  auto no_output = run_prof({"flamegraph", path});
  CHECK(no_output.exit_code == 2);
  CHECK(no_output.err == "prof: error: -o: --format html needs an output file: -o FILE\n");
}

TEST_CASE("flamegraph: bad input is one line naming the file, exit 2") {
  ScratchDir dir;
  auto bad = dir.file("broken.prof.json", "{\"format\": \"libprof-snapshot\", \"version\": 1, \"meta\": 3}");
  auto out = dir.path("flame.html");
  auto r = run_prof({"flamegraph", bad, "-o", out});
  CHECK(r.exit_code == 2);
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err.starts_with("prof: error: " + bad + ": "));
  CHECK_FALSE(std::filesystem::exists(out));
  auto missing = run_prof({"flamegraph", dir.path("nothing"), "-o", out});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.starts_with("prof: error: " + dir.path("nothing") + ": "));
}

TEST_CASE("flamegraph svg: a long UTF-8 name cut to fit stays whole characters (valid XML)") {
  ScratchDir dir;
  std::string name = "x";  // then the cut (14 bytes for 118 px) falls inside a character
  for (int i = 0; i < 100; ++i)
    name += "\xc3\xa9";  // é, two bytes
  auto path =
      dir.file("solver.81.prof.json",
               prof::test::scope_snapshot(81, {{-1, "main", 1000}, {0, name, 100}, {0, "rest", 900}}));
  auto out = dir.path("flame.svg");
  REQUIRE(run_prof({"flamegraph", path, "--format", "svg", "-o", out}).exit_code == 0);
  auto svg = read_file(out);
  // The label of a 118 px frame: a few characters and "..", each é whole.
  std::regex label(R"(<text [^>]*>x((?:\xc3\xa9)+)\.\.</text>)");
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, label));
  CHECK(m[1].length() >= 2);
  for (std::size_t i = 0; i < svg.size(); ++i) {
    auto c = static_cast<unsigned char>(svg[i]);
    if (c == 0xc3) {
      REQUIRE(i + 1 < svg.size());
      CHECK((static_cast<unsigned char>(svg[i + 1]) & 0xC0) == 0x80);
    } else {
      CHECK(((c & 0xC0) != 0x80 || (static_cast<unsigned char>(svg[i - 1]) == 0xc3)));
    }
  }
}
