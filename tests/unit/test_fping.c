/*
 * Tests of the fping importer on fping 5.1 output recorded for this
 * project between two network namespaces (tests/data/harness/fping):
 * a 3 s outage in loop mode, an outage that never ends in count mode,
 * two targets of which one never replies, and the default mode without
 * times.
 *
 * Run from the top of the source tree, or set FP_SRCDIR to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer.h"

extern const struct fp_importer fp_importer_fping;

struct kept_sample {
	struct fp_sample s;
	char dst[64];
};

struct collected {
	struct kept_sample samples[64];
	size_t count;
	long warnings;
	char *warning_text[16];
};

static const char *srcdir = ".";

static int
keep_sample(void *ctx, const struct fp_sample *s)
{
	struct collected *c = ctx;
	struct kept_sample *k;

	assert_true(c->count < 64);
	k = &c->samples[c->count++];
	k->s = *s;
	snprintf(k->dst, sizeof(k->dst), "%s", s->dst);
	k->s.dst = k->dst;
	k->s.note = NULL;
	k->s.src = NULL;
	return 0;
}

static void
keep_warning(void *ctx, long line, const char *msg)
{
	struct collected *c = ctx;

	if (c->warnings < 16)
		c->warning_text[c->warnings] = xasprintf("%ld: %s", line, msg);
	c->warnings++;
}

static void
collected_free(struct collected *c)
{
	for (long i = 0; i < c->warnings && i < 16; i++)
		free(c->warning_text[i]);
	memset(c, 0, sizeof(*c));
}

static int
import(const char *name, struct collected *c)
{
	struct fp_import_opts opts = { 0 };
	struct fp_sink sink = { .ctx = c, .sample = keep_sample,
	    .warn = keep_warning };
	char *path = xasprintf("%s/tests/data/harness/fping/%s", srcdir, name);
	int rc;

	opts.display_name = name;
	opts.host = "lan";
	rc = fp_importer_fping.run(path, &opts, &sink);
	free(path);
	return rc;
}

static const struct fp_sample *
at_line(const struct collected *c, long line)
{
	for (size_t i = 0; i < c->count; i++)
		if (c->samples[i].s.line == line)
			return &c->samples[i].s;
	fail_msg("no sample for line %ld", line);
	return NULL;
}

static size_t
delivered(const struct collected *c, const char *dst)
{
	size_t n = 0;

	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->samples[i].s.dst, dst) == 0)
			n += c->samples[i].s.delivered == 1;
	return n;
}

/*
 * Loop mode, the target's address removed for 3 s: replies up to [10],
 * 15 timeouts, replies again from [26].  The timeout of [25] is printed
 * after the reply to [26] but placed at its send time, before it.
 */
static void
loop_outage(void **state)
{
	struct collected c = { 0 };
	const struct fp_sample *s, *last, *first;

	(void)state;
	assert_int_equal(import("fping-D-l-outage.out", &c), 0);
	assert_int_equal(c.count, 40);
	assert_int_equal(delivered(&c, "10.200.0.2"), 25);
	s = at_line(&c, 1);
	assert_string_equal(s->source, "fping");
	assert_int_equal(s->both_directions, 1);
	assert_int_equal(s->t_start, INT64_C(1796420243247190));
	assert_int_equal(s->bytes, 64);
	assert_int_equal(s->resolution, 0);
	/* [11]: the send time of [10] plus one 200 ms period. */
	s = at_line(&c, 12);
	assert_int_equal(s->delivered, 0);
	assert_int_equal(s->lost, 1);
	assert_int_equal(s->t_start, INT64_C(1796420245447428));
	assert_int_equal(s->resolution, 200000);
	last = at_line(&c, 11);
	first = at_line(&c, 26);
	assert_int_equal(first->t_start - last->t_start, 3200020);
	s = at_line(&c, 27);
	assert_int_equal(s->delivered, 0);
	assert_true(s->t_start < first->t_start);
	assert_int_equal(s->t_start, INT64_C(1796420248247440));
	/* The summary, 40/25/37%, agrees with the lines. */
	assert_int_equal(c.warnings, 0);
	collected_free(&c);
}

/* Count mode ending inside the outage: 11 replies, then 14 timeouts. */
static void
count_never_returns(void **state)
{
	struct collected c = { 0 };
	const struct fp_sample *s;

	(void)state;
	assert_int_equal(import("fping-D-c-e-noreturn.out", &c), 0);
	assert_int_equal(c.count, 25);
	assert_int_equal(delivered(&c, "10.200.0.2"), 11);
	s = at_line(&c, 12);
	assert_int_equal(s->t_start, INT64_C(1796420277865850));
	assert_int_equal(s->resolution, 200009);
	s = at_line(&c, 25);
	assert_int_equal(s->t_start, INT64_C(1796420280465967));
	assert_int_equal(c.warnings, 0);
	collected_free(&c);
}

/*
 * Two targets: 10.200.0.2 with a 2 s outage, 10.200.0.3 never replies,
 * so its send times come from the spacing of its timeout lines.  ICMP
 * errors, the outage(ms) summaries and the -s statistics are no samples.
 */
static void
two_targets(void **state)
{
	struct collected c = { 0 };
	const struct fp_sample *s;

	(void)state;
	assert_int_equal(import("fping-D-l-o-s-two.out", &c), 0);
	assert_int_equal(c.count, 39);
	assert_int_equal(delivered(&c, "10.200.0.2"), 12);
	assert_int_equal(delivered(&c, "10.200.0.3"), 0);
	s = at_line(&c, 3);
	assert_string_equal(s->dst, "10.200.0.3");
	assert_int_equal(s->resolution, 250204);
	assert_int_equal(s->t_start, INT64_C(1796420288138980) - 250204);
	assert_int_equal(c.warnings, 0);
	collected_free(&c);
}

/* fping's default mode prints no times: nothing can be placed. */
static void
default_mode_rejected(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("fping-D-e-alive.out", &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'fping-D-e-alive.out' has no "
	    "fping request lines with -D time stamps (its lines have no "
	    "times)"));
	assert_int_equal(c.count, 0);
	collected_free(&c);
}

static void
detects_fping(void **state)
{
	static const char *const files[] = { "fping-D-l-outage.out",
	    "fping-D-c-e-noreturn.out", "fping-D-l-o-s-two.out" };

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *path = xasprintf("%s/tests/data/harness/fping/%s",
		    srcdir, files[i]);
		const struct fp_importer *imp = fp_importer_detect(path);

		assert_non_null(imp);
		assert_string_equal(imp->kind, "fping");
		free(path);
	}
}

static int
setup(void **state)
{
	const char *dir = getenv("FP_SRCDIR");

	(void)state;
	if (dir != NULL)
		srcdir = dir;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loop_outage),
		cmocka_unit_test(count_never_returns),
		cmocka_unit_test(two_targets),
		cmocka_unit_test(default_mode_rejected),
		cmocka_unit_test(detects_fping),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
