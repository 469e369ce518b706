#pragma once
// The cost of a call recorded by the -finstrument-functions hooks, measured like an empty PROF_SCOPE's
// (scopes/calibration) but through the hooks themselves, so the snapshot compensates a recorded function by
// what its hooks cost rather than a guard's (docs/PERFORMANCE.md, "Every function a scope").

namespace prof::instrument {

// From the first recorded function on: its sites are known as functions' and every calibration measures
// the hooks too. Idempotent.
void install_hook_calibration() noexcept;

}  // namespace prof::instrument
