// A small numeric kernel with phases: Jacobi iterations of the 2-D heat equation on an N x N grid. The scopes
// show where each iteration spends its time (stencil, boundary, residual), and the program writes one
// snapshot per phase (prof::write_snapshot), the way a long simulation reports each of its steps.
//
//   prof run -- phases [N] [ITERATIONS]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

#include <prof/prof.hpp>

namespace {

struct Grid {
  int n;
  std::vector<double> cells;
  double& at(int i, int j) { return cells[static_cast<std::size_t>(i) * n + j]; }
  double at(int i, int j) const { return cells[static_cast<std::size_t>(i) * n + j]; }
};

Grid make_grid(int n) {
  PROF_FUNCTION();
  Grid grid{n, std::vector<double>(static_cast<std::size_t>(n) * n, 0.0)};
  for (int j = 0; j < n; ++j)
    grid.at(0, j) = 100.0;  // a hot edge
  return grid;
}

void stencil(const Grid& in, Grid& out) {
  PROF_FUNCTION();
  for (int i = 1; i < in.n - 1; ++i)
    for (int j = 1; j < in.n - 1; ++j)
      out.at(i, j) = 0.25 * (in.at(i - 1, j) + in.at(i + 1, j) + in.at(i, j - 1) + in.at(i, j + 1));
}

void boundary(const Grid& in, Grid& out) {
  PROF_FUNCTION();
  for (int k = 0; k < in.n; ++k) {
    out.at(0, k) = in.at(0, k);
    out.at(in.n - 1, k) = in.at(in.n - 1, k);
    out.at(k, 0) = in.at(k, 0);
    out.at(k, in.n - 1) = in.at(k, in.n - 1);
  }
}

double residual(const Grid& a, const Grid& b) {
  PROF_FUNCTION();
  double sum = 0;
  for (std::size_t k = 0; k < a.cells.size(); ++k)
    sum += std::fabs(a.cells[k] - b.cells[k]);
  return sum;
}

double iterate(Grid& grid, Grid& next, int iterations) {
  PROF_FUNCTION();
  double change = 0;
  for (int step = 0; step < iterations; ++step) {
    stencil(grid, next);
    boundary(grid, next);
    if (step % 10 == 9) change = residual(grid, next);
    std::swap(grid, next);
  }
  return change;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 256;
  const int iterations = argc > 2 ? std::atoi(argv[2]) : 200;
  if (n < 3 || iterations < 1) {
    std::fprintf(stderr, "usage: phases [N>=3] [ITERATIONS>=1]\n");
    return 2;
  }
  Grid grid = make_grid(n);
  Grid next = grid;

  // Phase 1, warm-up: a few iterations, reported on their own, then counting starts afresh.
  double change = iterate(grid, next, iterations / 10 + 1);
  prof::write_snapshot("warm-up");
  prof::reset();

  // Phase 2, the run proper; its scopes go into the snapshot written at exit.
  change = iterate(grid, next, iterations);
  std::printf("%d x %d grid, %d iterations: last change %.6g\n", n, n, iterations, change);
  return 0;
}
