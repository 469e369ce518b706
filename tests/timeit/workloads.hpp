#pragma once
// Planted workloads with a known ratio: a chain of dependent floating-point operations (each waits for the
// previous one, and IEEE rules forbid the compiler to reassociate them), so time is proportional to the
// steps.

namespace prof::test {

[[gnu::noinline]] inline double dependent_chain(double x, int steps) {
  for (int i = 0; i < steps; ++i)
    x = x * 1.0000001 + 1e-7;
  return x;
}

// The same code under another name, for "a copy of itself".
[[gnu::noinline]] inline double dependent_chain_copy(double x, int steps) {
  for (int i = 0; i < steps; ++i)
    x = x * 1.0000001 + 1e-7;
  return x;
}

}  // namespace prof::test
