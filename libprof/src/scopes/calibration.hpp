#pragma once
// Measures what an empty scope costs in this process (docs/SNAPSHOT.md, `scopes.overhead`), so reports can
// subtract it: `inner` is what an empty scope measures of itself, `outer` what it adds to its parent's
// measurement beyond that. In clock ticks; converted to nanoseconds when a snapshot is written.

namespace prof::scopes {

class ThreadTree;

struct Overhead {
  double inner_ticks = 0;
  double outer_ticks = 0;
  bool calibrated = false;
  int measurements = 0;  // 1: at the period's start only; 2: the mean of its start and its end
  // The same for a call recorded by the -finstrument-functions hooks, which cost a few nanoseconds more than
  // a guard (the exit finds its node by comparing the site again); measured only in a program that records
  // functions (0 measurements: compensate them as scopes).
  double function_inner_ticks = 0;
  double function_outer_ticks = 0;
  int function_measurements = 0;
};

// One calibration: `with_children` enters `parent` and in it `children` times `child`, `alone` enters
// `parent` alone with the same loop; both run in `tree`, the calling thread's private tree. Writes the median
// inner and outer costs per child in ticks to out[0] and out[1]; leaves them alone when the nodes are
// missing.
void measure_scope_pair(ThreadTree& tree, const void* parent, const void* child, void (*with_children)(),
                        void (*alone)(), double out[2]) noexcept;
inline constexpr int kCalibrationChildren = 256;

// Set by the instrument hooks when they record their first function: measures their own pair (with
// measure_scope_pair) at every calibration from then on.
using FunctionCalibration = void (*)(ThreadTree& tree, double out[2]);
void set_function_calibration(FunctionCalibration measure) noexcept;

// Runs the calibration (well under a millisecond of empty scopes) on the calling thread, in a private tree.
// calibrate() measures at start-up or when recording is first switched on, with recording enabled for the
// time of it; calibrate_start() at the start of a new counting period (prof::reset()), calibrate_end() at its
// end, before a snapshot is written: both only while recording is on, from a thread that may run scopes
// (never from a signal handler).
void calibrate() noexcept;
void calibrate_start() noexcept;
void calibrate_end() noexcept;
// After fork, in the child: a calibration under way in another thread does not exist there.
void calibration_reset_in_child() noexcept;

// What a snapshot subtracts: the mean of the cost at the period's start and at its last end, if any.
Overhead overhead() noexcept;

}  // namespace prof::scopes
