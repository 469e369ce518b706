// OpenMP threads are recorded like any other: 4 threads of a parallel region each run 10 scopes of 1 ms.
#include <omp.h>

#include <prof/prof.hpp>

#include "busy_wait.hpp"

int main() {
#pragma omp parallel num_threads(4)
  {
    for (int i = 0; i < 10; ++i) {
      PROF_SCOPE("omp task");
      prof::test::busy_wait_ms(1.0, "omp task");
    }
  }
  prof::test::planted().print();
  return omp_get_max_threads() >= 1 ? 0 : 1;
}
