#pragma once
// Measures what an empty scope costs in this process (docs/SNAPSHOT.md, `scopes.overhead`), so reports can
// subtract it: `inner` is what an empty scope measures of itself, `outer` what it adds to its parent's
// measurement beyond that. In clock ticks; converted to nanoseconds when a snapshot is written.

namespace prof::scopes {

struct Overhead {
  double inner_ticks = 0;
  double outer_ticks = 0;
  bool calibrated = false;
};

// Runs the calibration (well under a millisecond of empty scopes) on the calling thread, in a private tree,
// with recording enabled; keeps the result for overhead().
void calibrate() noexcept;

Overhead overhead() noexcept;

}  // namespace prof::scopes
