#pragma once
// The sentinel nodes the hot path relies on, and libprof's side of the state the inline guard reads.

#include <prof/detail/scope_guard.hpp>

namespace prof::scopes {

// Its site matches no site: every node's last_child starts here.
extern constinit detail::ScopeNode g_never_matching_node;
// t_current_scope of a thread that has not entered a scope yet (or whose tree was handed over).
extern constinit detail::ScopeNode g_boot_node;
// Scopes that are not recorded (below "(deeper)", after a thread's hand-over, when memory runs out) enter
// this node; its counters are never read.
extern constinit detail::ScopeNode g_sink_node;

}  // namespace prof::scopes
