// prof::enable, prof::write_snapshot, prof::reset (prof/control.hpp).
#include <prof/control.hpp>

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
}

void enable(bool on) noexcept {
  if (on && !scopes::overhead().calibrated) scopes::calibrate();
  detail::g_scopes_enabled.store(on, std::memory_order_relaxed);
}

bool enabled() noexcept {
  return detail::g_scopes_enabled.load(std::memory_order_relaxed);
}

bool write_snapshot(const char* label) noexcept {
  int sequence = g_sequence.fetch_add(1) + 1;
  if (scopes::shim_connected()) return scopes::shim_write_snapshot(label, sequence);
  return core::write_snapshot(core::MetaRequest::running("library", label, sequence));
}

void reset() noexcept {
  scopes::reset_all_trees();
}

}  // namespace prof

namespace prof::scopes {

void restart_snapshot_numbering() noexcept {
  g_sequence.store(0);
}

}  // namespace prof::scopes
