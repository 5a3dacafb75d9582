/*
 * Unit tests of the MTTR statistics: median, nearest-rank 95th
 * percentile, spread and the repeatability decision, on inputs whose
 * results are worked out by hand in each test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats.h"

static void
test_stats_empty(void **state)
{
	struct mttr_stats st;

	(void)state;
	mttr_stats_compute(NULL, 0, &st);
	assert_int_equal(st.n, 0);
	assert_int_equal(st.median_ms, -1);
	assert_int_equal(st.p95_ms, -1);
	assert_int_equal(st.spread_ms, -1);
	assert_int_equal(mttr_repeatable(&st, 1000), -1);
}

static void
test_stats_single_value(void **state)
{
	const int64_t v[] = { 3084 };
	struct mttr_stats st;

	(void)state;
	mttr_stats_compute(v, 1, &st);
	assert_int_equal(st.median_ms, 3084);
	assert_int_equal(st.p95_ms, 3084);
	assert_int_equal(st.spread_ms, 0);
	/* One run cannot show that recovery repeats. */
	assert_int_equal(mttr_repeatable(&st, 1000), -1);
}

static void
test_stats_odd_count_unsorted(void **state)
{
	/* Sorted: 3084 3107 17626; the median is the middle one. */
	const int64_t v[] = { 17626, 3084, 3107 };
	struct mttr_stats st;

	(void)state;
	mttr_stats_compute(v, 3, &st);
	assert_int_equal(st.min_ms, 3084);
	assert_int_equal(st.max_ms, 17626);
	assert_int_equal(st.median_ms, 3107);
	/* ceil(0.95 * 3) = 3: the largest. */
	assert_int_equal(st.p95_ms, 17626);
	assert_int_equal(st.spread_ms, 14542);
	assert_int_equal(mttr_repeatable(&st, 1000), 0);
	/* The input is not reordered. */
	assert_int_equal(v[0], 17626);
}

static void
test_stats_even_count_rounds_half_up(void **state)
{
	/* Middle values 3001 and 3004: mean 3002.5, rounded to 3003. */
	const int64_t v[] = { 3000, 3001, 3004, 3900 };
	struct mttr_stats st;

	(void)state;
	mttr_stats_compute(v, 4, &st);
	assert_int_equal(st.median_ms, 3003);
	assert_int_equal(st.p95_ms, 3900);
	assert_int_equal(st.spread_ms, 900);
	assert_int_equal(mttr_repeatable(&st, 1000), 1);
}

static void
test_stats_p95_nearest_rank_of_twenty(void **state)
{
	/* 1000, 1100, ..., 2900: ceil(0.95 * 20) = 19, the 19th is 2800. */
	int64_t v[20];
	struct mttr_stats st;

	(void)state;
	for (int i = 0; i < 20; i++)
		v[i] = 1000 + 100 * (19 - i);
	mttr_stats_compute(v, 20, &st);
	assert_int_equal(st.p95_ms, 2800);
	/* Middle values 1900 and 2000. */
	assert_int_equal(st.median_ms, 1950);
	assert_int_equal(st.spread_ms, 1900);
}

static void
test_stats_p95_of_hundred_and_one(void **state)
{
	/* 0..100: ceil(95.95) = 96, the 96th smallest is 95. */
	int64_t v[101];
	struct mttr_stats st;

	(void)state;
	for (int i = 0; i <= 100; i++)
		v[i] = i;
	mttr_stats_compute(v, 101, &st);
	assert_int_equal(st.p95_ms, 95);
	assert_int_equal(st.median_ms, 50);
}

static void
test_repeatable_at_tolerance_boundary(void **state)
{
	const int64_t v[] = { 3000, 4000 };
	struct mttr_stats st;

	(void)state;
	mttr_stats_compute(v, 2, &st);
	/* A spread equal to the tolerance is within it. */
	assert_int_equal(mttr_repeatable(&st, 1000), 1);
	assert_int_equal(mttr_repeatable(&st, 999), 0);
	/* No tolerance in the procedure: undecided. */
	assert_int_equal(mttr_repeatable(&st, -1), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_empty),
		cmocka_unit_test(test_stats_single_value),
		cmocka_unit_test(test_stats_odd_count_unsorted),
		cmocka_unit_test(test_stats_even_count_rounds_half_up),
		cmocka_unit_test(test_stats_p95_nearest_rank_of_twenty),
		cmocka_unit_test(test_stats_p95_of_hundred_and_one),
		cmocka_unit_test(test_repeatable_at_tolerance_boundary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
