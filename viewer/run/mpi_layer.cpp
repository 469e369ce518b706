#include "run/mpi_layer.hpp"

#include <cstdio>
#include <string>

#include "core/process_meta.hpp"
#include "error.hpp"

extern char** environ;

namespace prof::viewer::run {

namespace fs = std::filesystem;

long launcher_rank() {
  return core::meta::detect_rank(environ).rank;
}

fs::path mpi_layer_to_preload(MpiMode mode, const fs::path& shim) {
  if (mode == MpiMode::off || (mode == MpiMode::automatic && launcher_rank() < 0)) return {};
  const fs::path layer = shim.parent_path() / "libprof_mpi.so";
  std::error_code error;
  if (fs::is_regular_file(layer, error)) return layer;  // the shim's directory passed the LD_PRELOAD checks
  if (mode == MpiMode::on)
    throw UserError(layer.string(), "libprof_mpi.so not found (libprof built without MPI?)");
  std::fprintf(stderr, "prof: %s not found: MPI calls are not recorded (libprof built without MPI?)\n",
               layer.c_str());
  return {};
}

}  // namespace prof::viewer::run
