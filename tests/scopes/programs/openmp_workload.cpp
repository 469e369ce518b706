// OpenMP threads are recorded like any other: 2 threads of a parallel region (no more than the cores, so the
// scheduler does not preempt a thread between a scope's edge and its spin) each run 10 scopes of 5 ms.
#include <omp.h>

#include <prof/prof.hpp>

#include "busy_wait.hpp"

int main() {
#pragma omp parallel num_threads(2)
  {
    for (int i = 0; i < 10; ++i) {
      PROF_SCOPE("omp task");
      prof::test::busy_wait_ms(5.0, "omp task");
    }
  }
  prof::test::planted().print();
  return omp_get_max_threads() >= 1 ? 0 : 1;
}
