/* Calendar quarters and the due dates of the quarterly review cycle. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "schedule.h"

#define US_PER_DAY (86400LL * 1000000)

int
quarter_parse(const char *s, struct quarter *out)
{
	long year;
	char *end;

	year = strtol(s, &end, 10);
	if (end == s || end - s != 4 || (*end != 'Q' && *end != 'q') ||
	    end[1] < '1' || end[1] > '4' || end[2] != '\0' || year < 1970)
		return fp_fail(FP_EINVAL, "invalid quarter '%s': expected a "
		    "year and a quarter such as 2026Q4", s);
	out->year = (int)year;
	out->number = end[1] - '0';
	return 0;
}

struct quarter
quarter_of(fp_time t)
{
	time_t secs = (time_t)(t / 1000000 - (t % 1000000 < 0 ? 1 : 0));
	struct quarter q;
	struct tm tm;

	gmtime_r(&secs, &tm);
	q.year = tm.tm_year + 1900;
	q.number = tm.tm_mon / 3 + 1;
	return q;
}

fp_time
quarter_start(struct quarter q)
{
	return fp_days_from_civil(q.year, (unsigned)(3 * (q.number - 1) + 1),
	    1) * US_PER_DAY;
}

struct quarter
quarter_add(struct quarter q, int n)
{
	int index = q.year * 4 + (q.number - 1) + n;
	struct quarter r;

	r.year = index / 4;
	r.number = index % 4 + 1;
	return r;
}

fp_time
quarter_end(struct quarter q)
{
	return quarter_start(quarter_add(q, 1));
}

void
quarter_format(struct quarter q, char buf[QUARTER_STRLEN])
{
	snprintf(buf, QUARTER_STRLEN, "%04dQ%d", q.year, q.number);
}

int
quarter_cmp(struct quarter a, struct quarter b)
{
	int x = a.year * 4 + a.number, y = b.year * 4 + b.number;

	return (x > y) - (x < y);
}

int
schedule_parse_date(const char *option, const char *s, fp_time *out)
{
	char midnight[32];
	size_t n;

	n = fp_time_parse_iso(s, out);
	if (n > 0 && s[n] == '\0')
		return 0;
	/* A bare date is its UTC midnight; the ISO parser rejects days a
	 * month does not have, such as 2026-02-30. */
	if (strlen(s) == 10 && snprintf(midnight, sizeof(midnight),
	    "%sT00:00:00Z", s) > 0 &&
	    (n = fp_time_parse_iso(midnight, out)) > 0 && midnight[n] == '\0')
		return 0;
	return fp_fail(FP_EINVAL, "invalid %s '%s': expected a date such as "
	    "2026-12-31 or an ISO 8601 time such as 2026-12-04T19:49:25Z",
	    option, s);
}

void
schedule_format_day(fp_time t, char buf[16])
{
	char full[FP_TIME_STRLEN];

	fp_time_format(t, full, sizeof(full));
	snprintf(buf, 16, "%.10s", full);
}

const char *
due_status_name(enum due_status status)
{
	switch (status) {
	case DUE_CURRENT:
		return "current";
	case DUE_DUE:
		return "due";
	case DUE_RETEST:
		return "re-test required";
	case DUE_OVERDUE:
		return "overdue";
	case DUE_MISSING:
		return "missing";
	}
	return "unknown";
}

static void
judge_item(struct due_item *it, const struct schedule_tunnel *tunnel,
    const struct schedule_run *runs, size_t n_runs,
    const struct schedule_change *changes, size_t n_changes, fp_time at)
{
	const struct schedule_run *last = NULL, *pass = NULL;
	struct quarter now = quarter_of(at);
	fp_time retest_due;

	for (size_t i = 0; i < n_runs; i++) {
		const struct schedule_run *r = &runs[i];

		if (strcmp(r->tunnel, it->tunnel) != 0 ||
		    r->scenario != it->scenario || r->at > at)
			continue;
		if (last == NULL || r->at >= last->at)
			last = r;
		if (r->verdict != NULL && strcmp(r->verdict, "pass") == 0 &&
		    (pass == NULL || r->at >= pass->at))
			pass = r;
	}
	if (last != NULL) {
		it->last_run = last->id;
		it->last_verdict = last->verdict;
	}
	it->last_pass_at = FP_TIME_NONE;
	if (pass != NULL) {
		it->last_pass_run = pass->id;
		it->last_pass_at = pass->at;
		it->due_at = quarter_end(quarter_add(quarter_of(pass->at), 1));
	} else {
		it->due_at = quarter_end(quarter_of(tunnel->added_at));
	}

	/* The latest change after the last pass, up to `at`. */
	for (size_t i = 0; i < n_changes; i++) {
		const struct schedule_change *c = &changes[i];

		if (strcmp(c->tunnel, it->tunnel) != 0 || c->at > at ||
		    (pass != NULL && c->at <= pass->at))
			continue;
		if (it->change == NULL || c->at >= it->change->at)
			it->change = c;
	}
	if (it->change != NULL && pass != NULL) {
		retest_due = quarter_end(quarter_of(it->change->at));
		if (retest_due < it->due_at)
			it->due_at = retest_due;
	}

	if (pass == NULL && at >= it->due_at)
		it->status = DUE_MISSING;
	else if (at >= it->due_at)
		it->status = DUE_OVERDUE;
	else if (it->change != NULL && pass != NULL)
		it->status = DUE_RETEST;
	else if (pass != NULL && quarter_cmp(quarter_of(pass->at), now) == 0)
		it->status = DUE_CURRENT;
	else
		it->status = DUE_DUE;
}

void
schedule_due(const struct schedule_tunnel *tunnels, size_t n_tunnels,
    const int *scenarios, size_t n_scenarios,
    const struct schedule_run *runs, size_t n_runs,
    const struct schedule_change *changes, size_t n_changes, fp_time at,
    struct due_item **out, size_t *n_out)
{
	struct due_item *items;
	size_t n = 0;

	items = xcalloc(n_tunnels * n_scenarios + 1, sizeof(*items));
	for (size_t t = 0; t < n_tunnels; t++) {
		for (size_t s = 0; s < n_scenarios; s++) {
			struct due_item *it = &items[n++];

			it->tunnel = tunnels[t].name;
			it->scenario = scenarios[s];
			judge_item(it, &tunnels[t], runs, n_runs, changes,
			    n_changes, at);
		}
	}
	*out = items;
	*n_out = n;
}
