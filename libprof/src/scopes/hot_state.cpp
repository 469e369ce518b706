#include "scopes/hot_state.hpp"

#include "core/clock.hpp"
#include "scopes/thread_tree.hpp"

namespace prof::scopes {

constinit detail::ScopeNode g_never_matching_node;
constinit detail::ScopeNode g_boot_node(&g_never_matching_node);
constinit detail::ScopeNode g_sink_node(&g_never_matching_node);

}  // namespace prof::scopes

namespace prof::detail {

std::atomic<bool> g_scopes_enabled{false};
bool g_clock_is_tsc = false;
thread_local constinit ScopeNode* t_current_scope __attribute__((tls_model("initial-exec"))) =
    &scopes::g_boot_node;

std::uint64_t read_clock_slow() noexcept {
  return core::clock::now_ticks();
}

}  // namespace prof::detail
