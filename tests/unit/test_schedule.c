/*
 * Unit tests of the quarterly schedule: calendar quarters and the due
 * date, status and re-test rule of each tunnel and scenario.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "schedule.h"

static fp_time
at(const char *iso)
{
	fp_time t = FP_TIME_NONE;

	assert_true(fp_time_parse_iso(iso, &t) > 0);
	return t;
}

static void
assert_day(fp_time due_at, const char *expected)
{
	char day[16];

	/* due_at is exclusive: the last day is the one before it. */
	schedule_format_day(due_at - 1, day);
	assert_string_equal(day, expected);
}

static void
test_quarter_parse_and_bounds(void **state)
{
	struct quarter q;
	char label[QUARTER_STRLEN];

	(void)state;
	assert_int_equal(quarter_parse("2026Q4", &q), 0);
	assert_int_equal(q.year, 2026);
	assert_int_equal(q.number, 4);
	assert_true(quarter_start(q) == at("2026-10-01T00:00:00Z"));
	assert_true(quarter_end(q) == at("2027-01-01T00:00:00Z"));
	quarter_format(quarter_add(q, 1), label);
	assert_string_equal(label, "2027Q1");
	quarter_format(quarter_add(q, -4), label);
	assert_string_equal(label, "2025Q4");
	assert_int_equal(quarter_parse("2026q1", &q), 0);
	assert_int_equal(q.number, 1);
}

static void
test_quarter_parse_rejects(void **state)
{
	struct quarter q;

	(void)state;
	assert_int_equal(quarter_parse("2026Q5", &q), FP_EINVAL);
	assert_int_equal(quarter_parse("2026Q0", &q), FP_EINVAL);
	assert_int_equal(quarter_parse("26Q4", &q), FP_EINVAL);
	assert_int_equal(quarter_parse("2026-Q4", &q), FP_EINVAL);
	assert_int_equal(quarter_parse("2026Q41", &q), FP_EINVAL);
	assert_int_equal(quarter_parse("", &q), FP_EINVAL);
}

static void
test_quarter_of_edges(void **state)
{
	struct quarter q;

	(void)state;
	q = quarter_of(at("2026-12-31T23:59:59.999999Z"));
	assert_int_equal(q.year, 2026);
	assert_int_equal(q.number, 4);
	q = quarter_of(at("2027-01-01T00:00:00Z"));
	assert_int_equal(q.year, 2027);
	assert_int_equal(q.number, 1);
	q = quarter_of(at("2028-03-31T12:00:00Z"));
	assert_int_equal(q.number, 1);
	q = quarter_of(at("2028-04-01T00:00:00Z"));
	assert_int_equal(q.number, 2);
}

static const struct schedule_tunnel tunnels[] = {
	{ "site-ha", 0 },
};
static const int scenarios[] = { 2 };

/* The one item of a one-tunnel, one-scenario schedule at `when`. */
static struct due_item
due_one(const struct schedule_run *runs, size_t n_runs,
    const struct schedule_change *changes, size_t n_changes, fp_time when)
{
	struct schedule_tunnel t = tunnels[0];
	struct due_item *items = NULL, item;
	size_t n = 0;

	t.added_at = at("2026-11-02T09:00:00Z");
	schedule_due(&t, 1, scenarios, 1, runs, n_runs, changes, n_changes,
	    when, &items, &n);
	assert_int_equal(n, 1);
	item = items[0];
	free(items);
	return item;
}

static void
test_due_pass_late_in_quarter(void **state)
{
	/* A pass on the last day of Q4 is due again by the end of Q1. */
	struct schedule_run runs[] = {
		{ 7, "site-ha", 2, 0, "pass" },
	};
	struct due_item it;

	(void)state;
	runs[0].at = at("2026-12-31T22:00:00Z");
	it = due_one(runs, 1, NULL, 0, at("2027-01-01T08:00:00Z"));
	assert_int_equal(it.last_pass_run, 7);
	assert_day(it.due_at, "2027-03-31");
	assert_int_equal(it.status, DUE_DUE);

	it = due_one(runs, 1, NULL, 0, at("2026-12-31T23:00:00Z"));
	assert_int_equal(it.status, DUE_CURRENT);

	it = due_one(runs, 1, NULL, 0, at("2027-03-31T23:59:59Z"));
	assert_int_equal(it.status, DUE_DUE);

	it = due_one(runs, 1, NULL, 0, at("2027-04-01T00:00:00Z"));
	assert_int_equal(it.status, DUE_OVERDUE);
}

static void
test_due_failed_run_does_not_count(void **state)
{
	struct schedule_run runs[] = {
		{ 3, "site-ha", 2, 0, "pass" },
		{ 4, "site-ha", 2, 0, "state-drift" },
	};
	struct due_item it;

	(void)state;
	runs[0].at = at("2026-08-10T10:00:00Z");	/* Q3 */
	runs[1].at = at("2026-11-20T10:00:00Z");	/* Q4, failed */
	it = due_one(runs, 2, NULL, 0, at("2027-01-05T00:00:00Z"));
	assert_int_equal(it.last_pass_run, 3);
	assert_int_equal(it.last_run, 4);
	assert_string_equal(it.last_verdict, "state-drift");
	assert_day(it.due_at, "2026-12-31");
	assert_int_equal(it.status, DUE_OVERDUE);
}

static void
test_due_never_passed_is_missing(void **state)
{
	struct due_item it;

	(void)state;
	/* Registered in Q4 2026: due by its end, missing after it. */
	it = due_one(NULL, 0, NULL, 0, at("2026-12-15T00:00:00Z"));
	assert_int_equal(it.status, DUE_DUE);
	assert_day(it.due_at, "2026-12-31");
	it = due_one(NULL, 0, NULL, 0, at("2027-01-01T00:00:00Z"));
	assert_int_equal(it.status, DUE_MISSING);
	assert_int_equal(it.last_pass_run, 0);
}

static void
test_due_change_requires_retest(void **state)
{
	struct schedule_run runs[] = {
		{ 5, "site-ha", 2, 0, "pass" },
	};
	struct schedule_change changes[] = {
		{ 1, "site-ha", "crypto", 0, "CHG-1042" },
	};
	struct due_item it;

	(void)state;
	runs[0].at = at("2026-11-10T10:00:00Z");	/* Q4 */
	changes[0].at = at("2027-02-01T12:00:00Z");	/* Q1 */

	/* Before the change the scenario is simply due in Q1. */
	it = due_one(runs, 1, changes, 1, at("2027-01-20T00:00:00Z"));
	assert_int_equal(it.status, DUE_DUE);
	assert_null(it.change);

	it = due_one(runs, 1, changes, 1, at("2027-02-02T00:00:00Z"));
	assert_int_equal(it.status, DUE_RETEST);
	assert_non_null(it.change);
	assert_string_equal(it.change->kind, "crypto");
	assert_day(it.due_at, "2027-03-31");

	/* A passing re-test after the change clears it. */
	runs[0].at = at("2027-02-10T10:00:00Z");
	it = due_one(runs, 1, changes, 1, at("2027-02-11T00:00:00Z"));
	assert_null(it.change);
	assert_int_equal(it.status, DUE_CURRENT);
	assert_day(it.due_at, "2027-06-30");
}

static void
test_due_change_shortens_due_date(void **state)
{
	/* A pass in Q4 is due by the end of Q1; a change in Q4 moves the
	 * re-test to the end of Q4. */
	struct schedule_run runs[] = {
		{ 5, "site-ha", 2, 0, "pass" },
	};
	struct schedule_change changes[] = {
		{ 2, "site-ha", "timer", 0, "DPD 30s" },
	};
	struct due_item it;

	(void)state;
	runs[0].at = at("2026-10-05T10:00:00Z");
	changes[0].at = at("2026-12-01T10:00:00Z");
	it = due_one(runs, 1, changes, 1, at("2026-12-02T00:00:00Z"));
	assert_int_equal(it.status, DUE_RETEST);
	assert_day(it.due_at, "2026-12-31");
	it = due_one(runs, 1, changes, 1, at("2027-01-01T00:00:00Z"));
	assert_int_equal(it.status, DUE_OVERDUE);
}

static void
test_due_ignores_future_and_other_tunnels(void **state)
{
	struct schedule_run runs[] = {
		{ 8, "site-ha", 2, 0, "pass" },
		{ 9, "other", 2, 0, "pass" },
		{ 10, "site-ha", 1, 0, "pass" },
	};
	struct due_item it;

	(void)state;
	runs[0].at = at("2027-05-01T00:00:00Z");	/* after `at` */
	runs[1].at = at("2026-11-01T00:00:00Z");
	runs[2].at = at("2026-11-01T00:00:00Z");
	it = due_one(runs, 3, NULL, 0, at("2026-12-01T00:00:00Z"));
	assert_int_equal(it.last_pass_run, 0);
	assert_int_equal(it.status, DUE_DUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quarter_parse_and_bounds),
		cmocka_unit_test(test_quarter_parse_rejects),
		cmocka_unit_test(test_quarter_of_edges),
		cmocka_unit_test(test_due_pass_late_in_quarter),
		cmocka_unit_test(test_due_failed_run_does_not_count),
		cmocka_unit_test(test_due_never_passed_is_missing),
		cmocka_unit_test(test_due_change_requires_retest),
		cmocka_unit_test(test_due_change_shortens_due_date),
		cmocka_unit_test(test_due_ignores_future_and_other_tunnels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
