// Which frames a memory site is charged to, on the crafted data/memory_frames/md.300{1,2}: an MD code whose
// allocations go through a wrapper Memory::srealloc (memory.cpp:50) called by Atom::grow (1000 B) and
// Neighbor::build (3000 B); Atom::grow also allocates itself (400 B); libstdc++'s emergency pool (72 704 B)
// is made before main by ld.so through glibc's ./elf/dl-init.c; getpwuid's NSS module (500 B) stays live
// at exit; std::vector<double>::push_back (its full signature) allocates 2000 B. Both processes are the same.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "run_prof.hpp"

using prof::test::first_csv_table;
using prof::test::fixture;
using prof::test::run_prof;

namespace {

const std::string kOne = fixture("memory_frames/md.3001.prof.json");
const std::string kHeader =
    "file,line,function,allocations,allocated_bytes,peak_bytes,leaked_allocations,leaked_bytes,"
    "temporary_allocations\n";
const std::string kLong = "\"std::vector<double, std::allocator<double> >::push_back(double const&)\"";
const std::string kLongFile = "/src/md/very/long/directory/name/for/testing/the/width/of/names/integrate.cpp";

}  // namespace

TEST_CASE("memory made before main by ld.so is charged to [startup], never to glibc's relative path") {
  auto result = run_prof({"report", "--mem", "--format", "csv", kOne});
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        kHeader +
            ",0,[startup],1,72704,72704,0,0,0\n"
            "/src/md/memory.cpp,50,\"Memory::srealloc(void*, long, char const*)\",30,4000,4000,0,0,0\n" +
            kLongFile + ",37," + kLong +
            ",5,2000,2000,0,0,0\n"
            "/src/md/main.cpp,5,main,1,500,500,0,0,0\n"
            "/src/md/atom.cpp,20,Atom::grow(int),4,400,400,0,0,0\n");
  auto text = run_prof({"report", "--mem", kOne}, {"NO_COLOR=1"});
  CHECK_THAT(text.out, Catch::Contains("[startup]:"));
  CHECK_THAT(text.out, !Catch::Contains("dl-init.c"));
  CHECK_THAT(text.out, !Catch::Contains("eh_alloc.cc"));
}

TEST_CASE("memory filters: an excluded wrapper's bytes go to its callers, in report and diff") {
  auto result = run_prof({"report", "--format", "csv", "--exclude-function", "Memory::srealloc", kOne});
  CHECK(result.exit_code == 0);
  CHECK(result.out == kHeader +
                          ",0,[startup],1,72704,72704,0,0,0\n"
                          "/src/md/neighbor.cpp,30,Neighbor::build(int),20,3000,3000,0,0,0\n" +
                          kLongFile + ",37," + kLong +
                          ",5,2000,2000,0,0,0\n"
                          "/src/md/atom.cpp,20,Atom::grow(int),14,1400,1400,0,0,0\n"
                          "/src/md/main.cpp,5,main,1,500,500,0,0,0\n");
  auto glob =
      run_prof({"report", "--format", "csv", "--exclude-function", "Memory::s*alloc*", "--top", "2", kOne});
  CHECK(glob.out == kHeader +
                        ",0,[startup],1,72704,72704,0,0,0\n"
                        "/src/md/neighbor.cpp,30,Neighbor::build(int),20,3000,3000,0,0,0\n");
  auto files = run_prof({"report", "--format", "csv", "--include-file", "atom.cpp", "--top", "3", kOne});
  CHECK_THAT(files.out, Catch::Contains("/src/md/atom.cpp,20,Atom::grow(int),14,1400,1400,0,0,0\n"));
  CHECK_THAT(files.out, !Catch::Contains("memory.cpp"));
  auto modules = run_prof({"report", "--format", "csv", "--keep-system-frames", "--exclude-module",
                           "libc.so*", "--top", "2", kOne});
  CHECK_THAT(modules.out, Catch::Contains("/src/md/memory.cpp,50,"));
  CHECK_THAT(modules.out, !Catch::Contains(",malloc,"));
  // Every frame of the program's module skipped: each site is charged to the module that asked.
  auto whole = run_prof({"report", "--format", "csv", "--exclude-module", "md", kOne});
  CHECK(whole.out == kHeader + ",0,[startup],1,72704,72704,0,0,0\n,0,[md],40,6900,6900,0,0,0\n");
  auto diff =
      run_prof({"diff", "--mem", "--format", "csv", "--exclude-function", "Memory::srealloc", kOne, kOne});
  CHECK(diff.exit_code == 0);
  CHECK_THAT(diff.out, Catch::Contains("/src/md/atom.cpp,20,Atom::grow(int),1400,1400,0,14,14,0\n"));
  CHECK_THAT(diff.out, !Catch::Contains("memory.cpp"));
}

TEST_CASE("memory --cumulative gives every function on a stack the site's bytes once") {
  auto result = run_prof({"report", "--by", "function", "--cumulative", "--format", "csv", kOne});
  CHECK(result.exit_code == 0);
  CHECK(result.out == kHeader +
                          ",0,[startup],1,72704,72704,0,0,0\n"
                          ",0,main,40,6900,6900,0,0,0\n"
                          ",0,\"Memory::srealloc(void*, long, char const*)\",30,4000,4000,0,0,0\n"
                          ",0,Neighbor::build(int),20,3000,3000,0,0,0\n"
                          ",0," +
                          kLong +
                          ",5,2000,2000,0,0,0\n"
                          ",0,Atom::grow(int),14,1400,1400,0,0,0\n");
  auto traceback = run_prof({"report", "--by", "traceback", "--cumulative", kOne});
  CHECK(traceback.exit_code != 0);
}

TEST_CASE("memory --callers and --callees: who calls F and what F calls, for how many bytes") {
  auto callers = run_prof({"report", "--mem", "--callers", "Memory::srealloc", "--format", "csv", kOne});
  CHECK(callers.exit_code == 0);
  CHECK(callers.out == kHeader +
                           ",0,Neighbor::build(int),20,3000,3000,0,0,0\n"
                           ",0,Atom::grow(int),10,1000,1000,0,0,0\n");
  auto grow = run_prof({"report", "--mem", "--callers", "Atom::grow", "--format", "csv", kOne});
  CHECK(grow.out == kHeader + ",0,main,14,1400,1400,0,0,0\n");
  auto callees = run_prof({"report", "--mem", "--callees", "Atom::grow", "--format", "csv", kOne});
  CHECK(callees.out == kHeader +
                           ",0,\"Memory::srealloc(void*, long, char const*)\",10,1000,1000,0,0,0\n"
                           ",0,(allocates),4,400,400,0,0,0\n");
  auto text = run_prof({"report", "--mem", "--callers", "Atom::grow", kOne}, {"NO_COLOR=1"});
  CHECK_THAT(text.out, Catch::Contains("callers of Atom::grow"));
  CHECK_THAT(text.out, !Catch::Contains("Scopes"));
}

TEST_CASE("memory leaks of the C runtime's one-time allocations are suppressed, runtime pools shown apart") {
  auto text = run_prof({"report", "--mem", kOne}, {"NO_COLOR=1"});
  CHECK_THAT(text.out, Catch::Contains("  leaked                       0 B\n"));
  CHECK_THAT(text.out, Catch::Contains("  suppressed leaks (runtime)   500 B\n"));
  CHECK_THAT(text.out, Catch::Contains("  runtime pools (not leaks)    71.0 KiB\n"));
  auto leaks = run_prof({"report", "--view", "leaks", "--format", "csv", kOne});
  CHECK(leaks.out == kHeader);  // the NSS module's 500 B is not a leak of the program's
  auto json = run_prof({"report", "--mem", "--format", "json", kOne});
  CHECK_THAT(json.out, Catch::Contains("\"suppressed_leaked_bytes\""));
  CHECK_THAT(json.out, Catch::Contains("\"runtime_pool_bytes\""));
}

TEST_CASE("names in the across tables stay identifiable at 80 columns and whole at --width 200") {
  const std::string both = fixture("memory_frames");
  auto narrow = run_prof({"report", "--by", "function", "--across", both}, {"NO_COLOR=1", "COLUMNS=80"});
  CHECK(narrow.exit_code == 0);
  CHECK_THAT(narrow.out, Catch::Contains("\n  Memory::srealloc(...)  "));
  CHECK_THAT(narrow.out, Catch::Contains("\n  std::vector<...>::push_back  "));
  CHECK_THAT(narrow.out, Catch::Contains("\n  Atom::grow(int)  "));
  auto wide = run_prof({"report", "--by", "function", "--across", "--width", "200", both}, {"NO_COLOR=1"});
  CHECK_THAT(wide.out, Catch::Contains("\n  Memory::srealloc(void*, long, char const*)  "));
  CHECK_THAT(wide.out,
             Catch::Contains("\n  std::vector<double, std::allocator<double> >::push_back(double const&)  "));
  auto columns = run_prof({"report", "--by", "function", "--across", both}, {"NO_COLOR=1", "COLUMNS=200"});
  CHECK(columns.out == wide.out);
}
