/*
 * Summary statistics of recovery times (MTTR) in milliseconds: the
 * median, the 95th percentile and the spread that decides whether a
 * recovery is repeatable.  Pure functions, no I/O.
 */
#ifndef FP_STATS_H
#define FP_STATS_H

#include <stddef.h>
#include <stdint.h>

struct mttr_stats {
	size_t n;		/* values summarised */
	int64_t min_ms;
	int64_t max_ms;
	int64_t median_ms;	/* -1 when n is 0 */
	int64_t p95_ms;
	int64_t spread_ms;	/* max - min */
};

/*
 * Summarise n values (the array is not changed).  The median of an even
 * count is the mean of the two middle values, rounded half up.  The 95th
 * percentile is the nearest-rank one: the ceil(0.95 n)-th smallest value.
 * The spread is the range, max - min.  With n == 0 every figure is -1.
 */
void mttr_stats_compute(const int64_t *values, size_t n,
    struct mttr_stats *out);

/*
 * Whether recovery is repeatable: at least two values, and a spread no
 * larger than max_spread_ms.  Returns 1, 0, or -1 when it cannot be
 * decided (fewer than two values, or no tolerance: max_spread_ms < 0).
 */
int mttr_repeatable(const struct mttr_stats *st, int64_t max_spread_ms);

#endif
