#pragma once
// Student's t distribution, for the confidence interval of a mean of a few values (the block medians of
// prof::compare's rounds, timeit/rounds_interval.hpp). Part of `prof_statistics`: depends on nothing else.

namespace prof::stats {

// P(T <= t) for T ~ Student's t with `df` degrees of freedom (df > 0).
double student_t_cdf(double t, double df);

// The t with P(T <= t) = p, for p in (0, 1); NaN outside.
double student_t_quantile(double p, double df);

}  // namespace prof::stats
