#include <cstdlib>
#include <memory>
#include <string>

#include "commands.hpp"
#include "run/byte_size.hpp"
#include "run/command_line.hpp"
#include "run/run_options.hpp"
#include "run/run_program.hpp"

namespace prof::viewer {

namespace {

constexpr const char* kRunFooter =
    R"(PROGRAM is looked up in PATH. Everything after it belongs to the program, options included;
put -- before a PROGRAM whose name starts with -.
Each process of the run (fork children and the programs they exec too, unless --no-follow) writes its own
snapshot into DIR (by default a new directory: one that exists already is refused). stdin, stdout, stderr
and the terminal are the program's; every signal sent to prof that a program can catch (SIGINT, SIGTERM,
SIGUSR1, SIGWINCH, realtime signals...) is passed on to it, and when the program stops (Ctrl-Z, SIGSTOP)
prof stops too, so the shell's job control works as without prof. prof exits with the program's exit code
(128+N when signal N killed it, 127 when there is no such program, 126 when it cannot be executed).
MPI: start one prof per rank, as with any program (mpirun -np 4 prof run -o DIR -- ./app). Under an MPI
launcher (its rank variables in the environment) prof also preloads libprof_mpi.so, which records each MPI
call as a scope and its bytes in the snapshot's "mpi" section; --mpi asks for it anywhere, --no-mpi never.
After the program ends prof names its frames (functions, files, lines) and keeps what it learnt about each
binary in ~/.cache/prof/debug ($XDG_CACHE_HOME/prof/debug when set), so later runs of the same program, and
the other ranks, read no debug information again (PROF_DEBUG_CACHE=DIR keeps it elsewhere, =0 not at all).

Examples:
  prof run ./solver input.dat         snapshots in prof.solver.PID/
  prof run -o out -- make -j4 check   every process of the build writes into out/
  mpirun -np 4 prof run -o out ./app  one snapshot per rank: out/app.r0000.PID.prof.json, ...
  prof run --no-follow ./driver.sh    only the script's own process writes
  prof run --mem-sample 512K ./server sampled memory tracing: estimates, a few per cent of overhead
  prof run --sample-clock wall ./app  sample real time: blocked and waiting time shows too
  prof report out                     read them
)";

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto* cmd =
      app.add_subcommand("run", "Run a program with the memory tracer preloaded and collect its snapshots");
  // CLI11 keeps references to these for the life of the app: they live with the callback that uses them.
  struct Parsed {
    run::RunOptions options;
    bool no_follow = false;
    bool mpi = false;
    bool no_mpi = false;
    std::string program_placeholder;
    std::string mem_sample;
    std::string sample_clock;
  };
  auto parsed = std::make_shared<Parsed>();
  cmd->add_option("-o,--output", parsed->options.output_dir,
                  "Directory for the snapshots (created if missing)")
      ->type_name("DIR");
  cmd->add_flag("--no-follow", parsed->no_follow,
                "Record only the launched process, not its children or the programs it execs");
  auto* mpi = cmd->add_flag("--mpi", parsed->mpi,
                            "Preload the MPI layer (libprof_mpi.so: MPI calls as scopes, bytes moved) even "
                            "without an MPI launcher");
  cmd->add_flag("--no-mpi", parsed->no_mpi, "Do not preload the MPI layer, even under an MPI launcher")
      ->excludes(mpi);
  cmd->add_option("--sample", parsed->options.sample_hz,
                  "Sample each thread's stack HZ times per second of its CPU time (default 199; 0: off)")
      ->type_name("HZ")
      ->check(CLI::Range(0u, 10000u));
  cmd->add_option(
         "--sample-clock", parsed->sample_clock,
         "cpu (default): samples per second of each thread's CPU time; wall: per second of real time, "
         "so time blocked in I/O, locks, sleeps and MPI waits shows too, as 'waiting' "
         "(PROF_SAMPLE_CLOCK)")
      ->type_name("CLOCK")
      ->check(CLI::IsMember({"cpu", "wall"}));
  cmd->add_option("--mem-sample", parsed->mem_sample,
                  "Sample the memory tracer's allocations instead of tracing each (for production runs): one "
                  "sample per BYTES allocated on average, chosen with a probability proportional to size; "
                  "sizes, counts, peak and leaks are then unbiased estimates, marked so in reports. 512K is "
                  "the usual rate (tcmalloc's and heapprofd's); 0: exact, as without the flag "
                  "(PROF_MEMORY_SAMPLE)")
      ->type_name("BYTES")
      ->check(CLI::Validator(
          [](std::string& text) {
            return run::parse_byte_size(text)
                       ? std::string()
                       : std::string("not a size in bytes (524288, 512K, 1M, up to 1T)");
          },
          "", ""));
  // PROGRAM is shown in the help but never filled: every word from PROGRAM on must reach the program
  // untouched, so the validator refuses it and prefix_command() hands it and the rest over as leftovers, `--`
  // included.
  cmd->add_option("PROGRAM", parsed->program_placeholder, "The program to run, then its arguments")
      ->type_name("[ARGS...]")
      ->check(CLI::Validator([](std::string&) { return std::string("belongs to the program"); }, "", ""));
  cmd->validate_positionals();
  cmd->prefix_command();
  cmd->footer(kRunFooter);
  cmd->callback([cmd, parsed, &exit_code] {
    parsed->options.follow = !parsed->no_follow;
    parsed->options.mpi = parsed->mpi      ? run::MpiMode::on
                          : parsed->no_mpi ? run::MpiMode::off
                                           : run::MpiMode::automatic;
    parsed->options.command = run::program_command(cmd->remaining());
    // Prof's own environment reaches every process of the run (as PROF_SAMPLE_CLOCK does).
    if (!parsed->mem_sample.empty())
      ::setenv("PROF_MEMORY_SAMPLE", std::to_string(*run::parse_byte_size(parsed->mem_sample)).c_str(), 1);
    // The child's environment is prof's own plus prof's variables: set here, it reaches every process.
    if (!parsed->sample_clock.empty()) ::setenv("PROF_SAMPLE_CLOCK", parsed->sample_clock.c_str(), 1);
    exit_code = run::run_program(parsed->options);
  });
}

}  // namespace prof::viewer
