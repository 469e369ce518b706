// A preload library that does nothing: with PROF_PRELOAD pointing here, the tests control exactly which
// snapshot files appear, to check how prof run counts them.
extern "C" __attribute__((visibility("default"))) int prof_run_test_empty_preload() {
  return 0;
}
