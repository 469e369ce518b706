// The HTML flame graph opened in a real browser (Debian's chromium, headless): the page writes what it drew
// into <pre id="prof-state"> and --dump-dom hands it back, after the zoom and search the URL asks for
// (#click=NAME&search=TEXT: the click is a mouse event on the canvas, through the page's own hit test).
// Skipped when chromium is not installed (.ci/install-deps installs it).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "flamegraph/flame_snapshots.hpp"
#include "run_prof.hpp"
#include "scratch_dir.hpp"

using prof::test::planted_scopes;
using prof::test::read_file;
using prof::test::run_prof;
using prof::test::ScratchDir;

namespace {

const char* const kChromium = "/usr/bin/chromium";

struct Page {
  std::string state;    // the JSON the page wrote
  std::string console;  // the browser's console messages
};

// Loads `html#hash` headless and returns the page's state and console lines. No network: the page is a file
// and the flags switch off everything chromium would fetch by itself.
Page open_page(const ScratchDir& dir, const std::string& html, const std::string& hash) {
  auto profile = dir.path("chromium-profile");
  std::filesystem::create_directories(profile);
  auto dom = dir.path("dom.html"), log = dir.path("chromium.log");
  auto command = fmt::format(
      "{} --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking "
      "--disable-component-update --disable-sync --window-size=1200,800 --enable-logging=stderr --v=0 "
      "--user-data-dir='{}' --dump-dom 'file://{}#{}' >'{}' 2>'{}'",
      kChromium, profile, html, hash, dom, log);
  int status = std::system(command.c_str());
  INFO(command << "\n" << read_file(log));
  REQUIRE(status == 0);
  Page page;
  auto text = read_file(dom);
  // <pre id="prof-state"> in the HTML page, <text id="prof-state"> in the SVG.
  auto begin = text.find("id=\"prof-state\"");
  REQUIRE(begin != std::string::npos);
  begin = text.find('>', begin) + 1;
  page.state = text.substr(begin, text.find('<', begin) - begin);
  std::istringstream in(read_file(log));
  for (std::string line; std::getline(in, line);)
    if (line.find("CONSOLE") != std::string::npos) page.console += line + "\n";
  return page;
}

// The state's frame object for NAME at DEPTH ("depth":N), as text: the test reads its fields by name.
std::string frame(const std::string& state, const std::string& name, int depth) {
  std::size_t at = 0;
  auto key = "{\"name\":\"" + name + "\"";
  while ((at = state.find(key, at)) != std::string::npos) {
    auto end = state.find('}', at);
    auto object = state.substr(at, end - at + 1);
    if (object.find(fmt::format("\"depth\":{},", depth)) != std::string::npos) return object;
    at = end;
  }
  return "";
}

double number(const std::string& object, const std::string& field) {
  auto at = object.find("\"" + field + "\":");
  if (at == std::string::npos) return -1;
  return std::stod(object.substr(at + field.size() + 3));
}

std::string text_field(const std::string& object, const std::string& field) {
  auto at = object.find("\"" + field + "\":\"");
  if (at == std::string::npos) return "";
  at += field.size() + 4;
  return object.substr(at, object.find('"', at) - at);
}

bool have_chromium() {
  if (::access(kChromium, X_OK) == 0) return true;
  WARN("chromium is not installed (.ci/install-deps installs it): skipped");
  return false;
}

std::string write_html(const ScratchDir& dir, const std::vector<std::string>& args,
                       const std::string& name = "flame.html") {
  auto out = dir.path(name);
  std::vector<std::string> all{"flamegraph"};
  all.insert(all.end(), args.begin(), args.end());
  all.insert(all.end(), {"-o", out, "--force"});
  auto r = run_prof(all);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return out;
}

}  // namespace

TEST_CASE("flamegraph in chromium: planted frames at their share of the width, no console errors") {
  if (!have_chromium()) return;
  ScratchDir dir;
  auto snapshot = dir.file("solver.71.prof.json", prof::test::scope_snapshot(71, planted_scopes()));
  auto page = open_page(dir, write_html(dir, {snapshot}), "");
  INFO(page.state << "\n" << page.console);
  CHECK(page.console.empty());
  CHECK(page.state.find("\"errors\":[]") != std::string::npos);
  CHECK(number(frame(page.state, "main", 1), "share") == Approx(1.0).margin(0.01));
  CHECK(number(frame(page.state, "hot", 2), "share") == Approx(0.75).margin(0.01));
  CHECK(number(frame(page.state, "inner", 3), "share") == Approx(0.50).margin(0.01));
  CHECK(number(frame(page.state, "cold", 2), "share") == Approx(0.25).margin(0.01));
  // cold is drawn right of hot.
  CHECK(number(frame(page.state, "cold", 2), "x") == Approx(0.75).margin(0.01));
  CHECK(text_field(frame(page.state, "hot", 2), "location") == "app.cpp:11");
  CHECK(text_field(page.state, "view") == "flame");
}

TEST_CASE("flamegraph in chromium: a click zooms, a search highlights and sums, icicle turns it over") {
  if (!have_chromium()) return;
  ScratchDir dir;
  auto snapshot = dir.file("solver.72.prof.json", prof::test::scope_snapshot(72, planted_scopes()));
  auto html = write_html(dir, {snapshot});
  auto page = open_page(dir, html, "click=hot&search=inn&view=icicle");
  INFO(page.state << "\n" << page.console);
  CHECK(page.console.empty());
  CHECK(text_field(page.state, "zoom") == "hot");
  CHECK(text_field(page.state, "view") == "icicle");
  // Zoomed on hot (750 ms): hot is the whole width, inner (500 ms) two thirds of it, cold is not drawn.
  CHECK(number(frame(page.state, "hot", 2), "share") == Approx(1.0).margin(0.01));
  CHECK(number(frame(page.state, "inner", 3), "share") == Approx(2.0 / 3).margin(0.01));
  CHECK(frame(page.state, "cold", 2).empty());
  CHECK(text_field(frame(page.state, "main", 1), "kind") == "ancestor");
  // The search found inner: one frame, 50 % of all.
  CHECK(frame(page.state, "inner", 3).find("\"matched\":true") != std::string::npos);
  CHECK(frame(page.state, "hot", 2).find("\"matched\":false") != std::string::npos);
  auto search = page.state.substr(page.state.find("\"search\":"));
  CHECK(number(search, "frames") == 1);
  CHECK(number(search, "percent") == Approx(50.0).margin(0.01));
}

TEST_CASE("flamegraph in chromium: hovering a frame shows its name, file:line and figures") {
  if (!have_chromium()) return;
  ScratchDir dir;
  auto snapshot = dir.file("solver.76.prof.json", prof::test::scope_snapshot(76, planted_scopes()));
  auto page = open_page(dir, write_html(dir, {snapshot}), "hover=hot");
  INFO(page.state << "\n" << page.console);
  CHECK(page.console.empty());
  CHECK(page.state.find(
            R"("tooltip":"hot\napp.cpp:11\ncumulative time: 750 ms (75.00 % of all, 75.00 % of the )"
            R"(zoomed frame)\nself: 250 ms")") != std::string::npos);
}

TEST_CASE("flamegraph in chromium: memory stacks in bytes, the tooltip in MiB") {
  if (!have_chromium()) return;
  ScratchDir dir;
  auto snapshot = dir.file("solver.77.prof.json",
                           prof::test::memory_snapshot(77, {{{"assemble", "main"}, 3 << 20, 8 << 20, 0},
                                                            {{"load", "main"}, 1 << 20, 2 << 20, 0}}));
  auto page = open_page(dir, write_html(dir, {snapshot, "--mem"}), "hover=assemble");
  INFO(page.state << "\n" << page.console);
  CHECK(page.console.empty());
  CHECK(number(frame(page.state, "assemble", 2), "share") == Approx(0.75).margin(0.01));
  CHECK(number(frame(page.state, "load", 2), "share") == Approx(0.25).margin(0.01));
  CHECK(page.state.find(
            R"("tooltip":"assemble\n/src/app/solver.cpp:100\nbytes live at the peak: 3.00 MiB (75.00 % )") !=
        std::string::npos);
}

TEST_CASE("flamegraph in chromium: --diff colours what grew red and what shrank blue") {
  if (!have_chromium()) return;
  ScratchDir dir;
  // hot grew from 500 to 750 ms; cold shrank from 500 to 250 ms; inner stayed.
  auto old_path = dir.file("old.73.prof.json", prof::test::scope_snapshot(73, {{-1, "main", 1'000'000'000},
                                                                               {0, "hot", 500'000'000},
                                                                               {1, "inner", 500'000'000},
                                                                               {0, "cold", 500'000'000}}));
  auto new_path = dir.file("new.74.prof.json", prof::test::scope_snapshot(74, planted_scopes()));
  auto page = open_page(dir, write_html(dir, {"--diff", old_path, new_path}), "");
  INFO(page.state << "\n" << page.console);
  CHECK(page.console.empty());
  CHECK(number(frame(page.state, "hot", 2), "share") == Approx(0.75).margin(0.01));
  CHECK(text_field(frame(page.state, "hot", 2), "colour").starts_with("rgb(250,"));  // red
  CHECK(text_field(frame(page.state, "cold", 2), "colour").ends_with(",250)"));      // blue
  CHECK(text_field(frame(page.state, "inner", 3), "colour") == "rgb(250,250,250)");  // unchanged
}

TEST_CASE("flamegraph in chromium: 100 000 frames load, frames under a pixel merged") {
  if (!have_chromium()) return;
  ScratchDir dir;
  // main -> 1000 functions -> 99 leaves each: 100 001 frames. f0 takes half the time, the other 999 share
  // the rest (0.06 % each: under a pixel).
  std::vector<prof::test::FlameScope> scopes{{-1, "main", 0}};
  std::int64_t total = 0;
  for (int f = 0; f < 1000; ++f) {
    auto parent = static_cast<int>(scopes.size());
    std::int64_t each = f == 0 ? 10'000'000 : 10'000;
    scopes.push_back({0, fmt::format("f{}", f), 99 * each});
    total += 99 * each;
    for (int leaf = 0; leaf < 99; ++leaf)
      scopes.push_back({parent, fmt::format("f{}_{}", f, leaf), each});
  }
  scopes[0].total_ns = total;
  auto snapshot = dir.file("solver.75.prof.json", prof::test::scope_snapshot(75, scopes));
  auto page = open_page(dir, write_html(dir, {snapshot}), "");
  INFO(page.console);
  CHECK(page.console.empty());
  CHECK(page.state.find("\"errors\":[]") != std::string::npos);
  CHECK(number(page.state, "nodes") == 100'002);  // with the root, "all"
  // f0 (990 ms of 1.979 s) is drawn with its 99 leaves; the other 999 functions are merged into one block.
  CHECK(number(frame(page.state, "f0", 2), "share") ==
        Approx(990e6 / static_cast<double>(total)).margin(0.01));
  CHECK(number(frame(page.state, "f0_98", 3), "share") ==
        Approx(10e6 / static_cast<double>(total)).margin(0.001));
  CHECK(number(page.state, "merged") >= 999 * 100);
  CHECK(number(page.state, "drawn") < 1000);
  WARN("100 000 frames: first render after " << number(page.state, "ms") << " ms");
}

TEST_CASE("flamegraph svg in chromium: a click zooms and a search sums, as in flamegraph.pl's SVG") {
  if (!have_chromium()) return;
  ScratchDir dir;
  auto snapshot = dir.file("solver.78.prof.json", prof::test::scope_snapshot(78, planted_scopes()));
  auto svg = write_html(dir, {snapshot, "--format", "svg"}, "flame.svg");
  auto plain = open_page(dir, svg, "");
  INFO(plain.state << "\n" << plain.console);
  CHECK(plain.console.empty());
  CHECK(number(frame(plain.state, "hot", 2), "share") == Approx(0.75).margin(0.01));
  CHECK(number(frame(plain.state, "cold", 2), "share") == Approx(0.25).margin(0.01));
  auto page = open_page(dir, svg, "zoom=hot&search=inn");
  INFO(page.state << "\n" << page.console);
  CHECK(page.console.empty());
  CHECK(text_field(page.state, "zoom") == "hot");
  CHECK(number(frame(page.state, "hot", 2), "share") == Approx(1.0).margin(0.01));
  CHECK(number(frame(page.state, "inner", 3), "share") == Approx(2.0 / 3).margin(0.01));
  CHECK(frame(page.state, "cold", 2).empty());
  auto search = page.state.substr(page.state.find("\"search\":"));
  CHECK(number(search, "frames") == 1);
  CHECK(number(search, "percent") == Approx(50.0).margin(0.01));
}
