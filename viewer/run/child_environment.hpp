#pragma once
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace prof::viewer::run {

// The environment the profiled program starts with: prof's own, with the shim (then the MPI layer, if any)
// preloaded and told where to write (no `preloads`: prof's environment unchanged, for programs that run
// untraced). Built before fork,
// so the child only fills in its own pid (PROF_ROOT_PID) without allocating.
class ChildEnvironment {
 public:
  ChildEnvironment(const std::vector<std::filesystem::path>& preloads,
                   const std::filesystem::path& output_dir, bool follow,
                   std::optional<unsigned> sample_hz = std::nullopt);
  ChildEnvironment(const ChildEnvironment&) = delete;
  ChildEnvironment& operator=(const ChildEnvironment&) = delete;

  // Called in the child between fork and exec: async-signal-safe.
  void set_root_pid(long pid) noexcept;
  char* const* envp() noexcept { return pointers_.data(); }

 private:
  std::vector<std::string> entries_;
  std::array<char, 40> root_pid_entry_{};
  bool has_root_pid_ = false;
  std::vector<char*> pointers_;
};

}  // namespace prof::viewer::run
