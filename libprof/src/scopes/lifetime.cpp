#include "scopes/lifetime.hpp"

#include <pthread.h>
#include <cstdlib>
#include <cstring>

#include "core/clock.hpp"
#include "core/output_dir.hpp"
#include "core/process_meta.hpp"
#include "core/snapshot_writer.hpp"
#include "scopes/calibration.hpp"
#include "scopes/hot_state.hpp"
#include "scopes/scopes_section.hpp"
#include "scopes/shim_bridge.hpp"
#include "scopes/thread_registry.hpp"

extern char** environ;

namespace prof::scopes {

namespace {

constexpr int kOwnSections = 2;  // scopes and strings

const char* find_env(char** envp, const char* name) noexcept {
  std::size_t length = std::strlen(name);
  for (char** e = envp; e && *e; ++e)
    if (std::strncmp(*e, name, length) == 0 && (*e)[length] == '=') return *e + length + 1;
  return nullptr;
}

void restart_process_in_child() noexcept {
  core::meta::reset_after_fork();
  core::clock::reset_baseline();
  restart_snapshot_numbering();
  calibration_reset_in_child();
  scopes::after_fork_in_child();
}

}  // namespace

void start_library(int argc, char** argv, char** envp) noexcept {
  if (!envp) envp = environ;
  core::clock::init();
  core::meta::capture_start(argc, argv, envp);
  core::output_dir::resolve(find_env(envp, "PROF_OUTPUT"));
  detail::g_clock_is_tsc = core::clock::uses_tsc();
  if (const char* depth = find_env(envp, "PROF_MAX_DEPTH")) {
    char* end = nullptr;
    long value = std::strtol(depth, &end, 10);
    if (end != depth && *end == '\0') set_max_depth(static_cast<int>(value));
  }
  connect_to_shim();
  // Order matters: the strings section lists the sites the scopes section just used.
  core::register_section("scopes", write_scopes_section, nullptr);
  core::register_section("strings", write_strings_section, nullptr);
  pthread_atfork(before_fork, after_fork_in_parent, restart_process_in_child);
  const char* scopes = find_env(envp, "PROF_SCOPES");
  bool on = !(scopes && std::strcmp(scopes, "0") == 0);
  if (on) calibrate();
  detail::g_scopes_enabled.store(on, std::memory_order_relaxed);
}

void stop_library() noexcept {
  // The counting period ends here (under the shim too: its exit snapshot, written after this, carries our
  // sections).
  calibrate_end();
  if (shim_connected()) return;
  if (!any_tree() && core::registered_section_count() <= kOwnSections) return;
  core::MetaRequest request;
  request.exit.kind = core::ExitStatus::Kind::unknown;
  request.writer = "library";
  core::write_snapshot(request);
}

}  // namespace prof::scopes
