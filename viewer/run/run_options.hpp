#pragma once
#include <optional>
#include <string>
#include <vector>

#include "run/mpi_layer.hpp"

namespace prof::viewer::run {

// What the user asked `prof run` to do, once the command line is parsed.
struct RunOptions {
  std::optional<std::string> output_dir;  // -o DIR; unset means prof.PROGRAM.PID in the current directory
  bool follow = true;                     // false with --no-follow: only the launched process writes
  MpiMode mpi = MpiMode::automatic;       // --mpi / --no-mpi; automatic: when an MPI launcher started prof
  // --sample HZ: the sampling profiler's rate per thread CPU second (PROF_SAMPLE_HZ), 0 for off; unset: the
  // shim's default (199 Hz) or PROF_SAMPLE_HZ from prof's own environment.
  std::optional<unsigned> sample_hz;
  std::vector<std::string> command;  // PROGRAM ARGS..., never empty
};

}  // namespace prof::viewer::run
