// prof::enable, prof::write_snapshot, prof::reset (prof/control.hpp).
#include <prof/control.hpp>

#include <pthread.h>

#include <atomic>

#include "core/snapshot_writer.hpp"
#include "scopes/calibration.hpp"
#include "scopes/hot_state.hpp"
#include "scopes/lifetime.hpp"
#include "scopes/shim_bridge.hpp"
#include "scopes/thread_registry.hpp"

namespace prof {

namespace {
std::atomic<int> g_sequence{0};
// The snapshot writer owns one buffer and gives up when another write holds it for long (it must not wait
// forever in a signal handler): requests made here wait their turn instead, so none is lost.
pthread_mutex_t g_requests = PTHREAD_MUTEX_INITIALIZER;
}  // namespace

void enable(bool on) noexcept {
  if (on && !scopes::overhead().calibrated) scopes::calibrate();
  detail::g_scopes_enabled.store(on, std::memory_order_relaxed);
}

bool enabled() noexcept {
  return detail::g_scopes_enabled.load(std::memory_order_relaxed);
}

bool write_snapshot(const char* label) noexcept {
  pthread_mutex_lock(&g_requests);
  scopes::calibrate_end();
  int sequence = g_sequence.fetch_add(1) + 1;
  bool ok = scopes::shim_connected()
                ? scopes::shim_write_snapshot(label, sequence)
                : core::write_snapshot(core::MetaRequest::running("library", label, sequence));
  pthread_mutex_unlock(&g_requests);
  return ok;
}

void reset() noexcept {
  scopes::calibrate_start();
  scopes::reset_all_trees();
}

}  // namespace prof

namespace prof::scopes {

void restart_snapshot_numbering() noexcept {
  g_sequence.store(0);
  // The fork may have happened while another thread held it; that thread does not exist here.
  g_requests = PTHREAD_MUTEX_INITIALIZER;
}

}  // namespace prof::scopes
