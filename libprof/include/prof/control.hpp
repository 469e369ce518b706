#pragma once
// Run-time control of libprof's recording: switch the scope profiler, take snapshots on demand, start
// counting afresh. With PROF_ENABLED=0 these are inline no-ops, so such a build needs no libprof at all.

#ifndef PROF_ENABLED
#define PROF_ENABLED 1
#endif

namespace prof {

#if PROF_ENABLED

// Turns scope recording on or off for every thread (PROF_SCOPES=0 in the environment starts with it off).
// Scopes already open when it changes finish as they started.
void enable(bool on) noexcept;
bool enabled() noexcept;

// Writes a snapshot now (meta.exit "running", meta.label, meta.sequence 1, 2, ...) into PROF_OUTPUT as
// PROGRAM.PID.N.prof.json; under `prof run` the preload shim writes it. Returns false when it could not be
// written (one warning on stderr). `label` may be null.
bool write_snapshot(const char* label = nullptr) noexcept;

// Starts counting afresh: later snapshots show only what happened after the call, in every thread.
void reset() noexcept;

#else

// Always inlined, so that not even an unoptimised (-O0) build emits a prof:: function. In an inline namespace
// of their own: a disabled unit that takes a stub's address emits a weak definition, and under the enabled
// function's mangled name it could replace the real one in the enabled units of the same program.
inline namespace disabled {

[[gnu::always_inline]] inline void enable(bool) noexcept {}
[[gnu::always_inline]] inline bool enabled() noexcept {
  return false;
}
[[gnu::always_inline]] inline bool write_snapshot(const char* = nullptr) noexcept {
  return false;
}
[[gnu::always_inline]] inline void reset() noexcept {}

}  // namespace disabled

#endif

}  // namespace prof
