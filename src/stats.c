/* Median, nearest-rank 95th percentile and range of recovery times. */
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "util.h"

static int
compare_ms(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

void
mttr_stats_compute(const int64_t *values, size_t n, struct mttr_stats *out)
{
	int64_t *sorted;
	size_t rank;

	memset(out, 0, sizeof(*out));
	out->n = n;
	if (n == 0) {
		out->min_ms = out->max_ms = out->median_ms = -1;
		out->p95_ms = out->spread_ms = -1;
		return;
	}
	sorted = xmalloc(n * sizeof(*sorted));
	memcpy(sorted, values, n * sizeof(*sorted));
	fp_qsort(sorted, n, sizeof(*sorted), compare_ms);

	out->min_ms = sorted[0];
	out->max_ms = sorted[n - 1];
	out->spread_ms = out->max_ms - out->min_ms;
	if (n % 2 == 1)
		out->median_ms = sorted[n / 2];
	else
		out->median_ms = (sorted[n / 2 - 1] + sorted[n / 2] + 1) / 2;

	/* Nearest rank: ceil(0.95 n), computed in integers as ceil(95n/100). */
	rank = (95 * n + 99) / 100;
	out->p95_ms = sorted[rank - 1];
	free(sorted);
}

int
mttr_repeatable(const struct mttr_stats *st, int64_t max_spread_ms)
{
	if (st->n < 2 || max_spread_ms < 0)
		return -1;
	return st->spread_ms <= max_spread_ms;
}
