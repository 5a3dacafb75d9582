/*
 * A deterministic mutation test of every importer: 300 mutants of a real
 * input file per seed below, made with a fixed PRNG seed, so a failure
 * reproduces on every machine.  The first 16 mutants cut the seed at
 * each sixteenth of its length; the others apply one to three of: bit
 * flips, random byte insertions, a duplicated region, a huge or negative
 * number in place of a decimal one or of four bytes of a binary length
 * field, and runs of NUL or 0xFF bytes.
 *
 * The test asserts only the import contract of importer.h: run() returns
 * 0 or a negative FP_E* code, and a failure leaves a message in
 * fp_errmsg() that names the file.  A crash, a leak or undefined
 * behaviour is caught by the ASan+UBSan pass of 'make check'.  Each
 * mutant is written to a temporary folder (printed on stderr) and removed
 * after its import, so a crash leaves the mutant that caused it there.
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
#include <unistd.h>

#include "importer.h"

#define MUTANTS_PER_SEED 300
#define TRUNCATIONS 16
/* Mutants stop growing at this many times the seed's length. */
#define MAX_GROWTH 4
#define PRNG_SEED UINT64_C(0x6661696c70726f6f)	/* "failproo" */
/* The run time the importers get: 2026-12-04T19:49:25.750Z. */
#define REFERENCE_TIME INT64_C(1796413765750000)

struct seed {
	const char *kind;
	const char *path;	/* below the top of the source tree */
};

static const struct seed seeds[] = {
	{ "syslog", "tests/data/cases/04-rfc5424-fraction-offset-nil.input.log" },
	{ "syslog", "tests/data/drills/A-dataplane-failover/"
	    "fwb.syslog-rfc3164.log" },
	{ "pcap", "tests/data/pcap/tcpdump__ikev2pI2.pcap" },
	{ "pcap", "tests/data/pcap/pcapng-mixed-linktypes.pcapng" },
	{ "tshark", "tests/data/traffic/isakmp4500.tshark.tsv" },
	{ "counters", "tests/data/drills/A-dataplane-failover/"
	    "state-3-after-takeover.txt" },
	{ "counters", "tests/data/traffic/xfrm_stat.txt" },
	{ "iperf3", "tests/data/cases/11-iperf3-udp-nan-zero-interval.input.json" },
	{ "ping", "tests/data/harness/jc__ubuntu-18.04__ping6-hostname-O-D-p.out" },
	{ "fping", "tests/data/harness/fping/fping-D-l-o-s-two.out" },
	{ "timeline", "tests/data/timeline/A-graceful.timeline.jsonl" },
	{ "timeline", "tests/data/drills/A-dataplane-failover/events.log" },
	{ "junit", "tests/data/cases/16-junit-nested-skipped-notime.input.xml" },
	{ "robot", "tests/data/harness/robot-plugin__rf4.0b3_robot4_skip.xml" },
	{ "chaos", "tests/data/harness/chaostoolkit-ansible__journal.json" },
	{ "config", "tests/data/config/drill-a-fwa.swanctl.conf" },
};
#define NSEEDS (sizeof(seeds) / sizeof(seeds[0]))

/* Decimal text put in place of a number: overflows, signs, exponents. */
static const char *const huge_numbers[] = {
	"4294967295", "4294967296", "2147483648", "-2147483649",
	"9223372036854775807", "9223372036854775808",
	"-9223372036854775809", "18446744073709551616",
	"99999999999999999999999999999999", "-1", "0", "1e999", "-0.0",
	"340282366920938463463374607431768211456",
};

/* Four-byte values put over a binary length, count or offset field. */
static const uint32_t huge_words[] = {
	0xffffffff, 0x7fffffff, 0x80000000, 0x00010000, 0xfffffffe,
	0x00000000,
};

static const char *srcdir = ".";
static char *mutant_dir;

struct bytes {
	unsigned char *data;
	size_t len;
	size_t cap;
};

/* SplitMix64: small, fast, and the same sequence everywhere. */
static uint64_t
prng_next(uint64_t *state)
{
	uint64_t z;

	z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A number in [0, n); 0 when n is 0. */
static size_t
prng_below(uint64_t *state, size_t n)
{
	return n == 0 ? 0 : (size_t)(prng_next(state) % n);
}

static void
bytes_reserve(struct bytes *b, size_t len)
{
	if (len <= b->cap)
		return;
	b->cap = len + len / 2 + 64;
	b->data = xrealloc(b->data, b->cap);
}

/* Replace the n bytes at pos with len bytes of data. */
static void
bytes_splice(struct bytes *b, size_t pos, size_t n, const void *data,
    size_t len)
{
	bytes_reserve(b, b->len - n + len);
	memmove(b->data + pos + len, b->data + pos + n, b->len - pos - n);
	memcpy(b->data + pos, data, len);
	b->len = b->len - n + len;
}

static void
flip_bits(struct bytes *b, uint64_t *rng, char *what, size_t size)
{
	size_t count = 1 + prng_below(rng, 8), pos = 0;

	for (size_t i = 0; i < count && b->len > 0; i++) {
		pos = prng_below(rng, b->len);
		b->data[pos] ^= (unsigned char)(1u << prng_below(rng, 8));
	}
	snprintf(what, size, "%zu bit flips, the last at byte %zu", count, pos);
}

static void
insert_random(struct bytes *b, uint64_t *rng, char *what, size_t size)
{
	unsigned char add[16];
	size_t n = 1 + prng_below(rng, sizeof(add));
	size_t pos = prng_below(rng, b->len + 1);

	for (size_t i = 0; i < n; i++)
		add[i] = (unsigned char)prng_next(rng);
	bytes_splice(b, pos, 0, add, n);
	snprintf(what, size, "%zu random bytes inserted at byte %zu", n, pos);
}

static void
duplicate_region(struct bytes *b, uint64_t *rng, char *what, size_t size)
{
	size_t from = prng_below(rng, b->len);
	size_t n = 1 + prng_below(rng, b->len - from);
	size_t to = prng_below(rng, b->len + 1);
	unsigned char *copy;

	if (b->len == 0) {
		snprintf(what, size, "nothing to duplicate");
		return;
	}
	copy = xmalloc(n);
	memcpy(copy, b->data + from, n);
	bytes_splice(b, to, 0, copy, n);
	free(copy);
	snprintf(what, size, "bytes %zu to %zu copied to byte %zu", from,
	    from + n, to);
}

/* Replace the decimal number at or after a random byte, if any. */
static int
replace_number(struct bytes *b, uint64_t *rng, char *what, size_t size)
{
	const char *text = huge_numbers[prng_below(rng,
	    sizeof(huge_numbers) / sizeof(huge_numbers[0]))];
	size_t start = prng_below(rng, b->len), pos, end;

	for (pos = start; pos < b->len; pos++)
		if (b->data[pos] >= '0' && b->data[pos] <= '9')
			break;
	if (pos == b->len)
		return 0;
	for (end = pos; end < b->len; end++)
		if (b->data[end] < '0' || b->data[end] > '9')
			break;
	bytes_splice(b, pos, end - pos, text, strlen(text));
	snprintf(what, size, "number at byte %zu replaced by %s", pos, text);
	return 1;
}

static void
overwrite_word(struct bytes *b, uint64_t *rng, char *what, size_t size)
{
	uint32_t v = huge_words[prng_below(rng,
	    sizeof(huge_words) / sizeof(huge_words[0]))];
	unsigned char word[4];
	size_t pos;

	if (b->len < 4) {
		snprintf(what, size, "too short for a word");
		return;
	}
	/* Capture headers align their fields on four bytes. */
	pos = prng_below(rng, b->len / 4) * 4;
	if (prng_below(rng, 2) == 0) {
		word[0] = v & 0xff, word[1] = v >> 8 & 0xff;
		word[2] = v >> 16 & 0xff, word[3] = v >> 24;
	} else {
		word[0] = v >> 24, word[1] = v >> 16 & 0xff;
		word[2] = v >> 8 & 0xff, word[3] = v & 0xff;
	}
	memcpy(b->data + pos, word, 4);
	snprintf(what, size, "word 0x%08x written at byte %zu", (unsigned)v,
	    pos);
}

static void
byte_run(struct bytes *b, uint64_t *rng, char *what, size_t size)
{
	unsigned char run[64];
	unsigned char value = prng_below(rng, 2) ? 0xff : 0x00;
	size_t n = 1 + prng_below(rng, sizeof(run));
	size_t pos = prng_below(rng, b->len + 1);
	size_t replaced = prng_below(rng, 2) ? 0 : n;

	memset(run, value, n);
	if (replaced > b->len - pos)
		replaced = b->len - pos;
	bytes_splice(b, pos, replaced, run, n);
	snprintf(what, size, "%zu bytes 0x%02x %s at byte %zu", n, value,
	    replaced ? "written" : "inserted", pos);
}

/* Apply one random mutation and describe it in what. */
static void
mutate_once(struct bytes *b, uint64_t *rng, char *what, size_t size)
{
	switch (prng_below(rng, 6)) {
	case 0:
		flip_bits(b, rng, what, size);
		break;
	case 1:
		insert_random(b, rng, what, size);
		break;
	case 2:
		duplicate_region(b, rng, what, size);
		break;
	case 3:
		if (!replace_number(b, rng, what, size))
			overwrite_word(b, rng, what, size);
		break;
	case 4:
		overwrite_word(b, rng, what, size);
		break;
	default:
		byte_run(b, rng, what, size);
		break;
	}
}

/*
 * Make mutant i of a seed in b.  The first TRUNCATIONS cut it at i/16 of
 * its length; the others stack one to three mutations.
 */
static void
make_mutant(struct bytes *b, const unsigned char *seed, size_t seed_len,
    int i, uint64_t *rng, char *what, size_t size)
{
	char step[160];
	size_t used;
	int steps;

	b->len = 0;
	bytes_splice(b, 0, 0, seed, seed_len);
	if (i < TRUNCATIONS) {
		b->len = seed_len * (size_t)i / TRUNCATIONS;
		snprintf(what, size, "cut at byte %zu", b->len);
		return;
	}
	steps = 1 + (int)prng_below(rng, 3);
	what[0] = '\0';
	for (int s = 0; s < steps; s++) {
		mutate_once(b, rng, step, sizeof(step));
		used = strlen(what);
		snprintf(what + used, size - used, "%s%s", s ? "; " : "",
		    step);
		if (b->len > MAX_GROWTH * seed_len + 4096)
			b->len = MAX_GROWTH * seed_len + 4096;
	}
}

static int
accept_event(void *ctx, const struct fp_event *ev)
{
	(void)ctx;
	(void)ev;
	return 0;
}

static int
accept_sample(void *ctx, const struct fp_sample *s)
{
	(void)ctx;
	(void)s;
	return 0;
}

static int
accept_packet(void *ctx, const struct fp_packet *p)
{
	(void)ctx;
	(void)p;
	return 0;
}

static void
accept_warning(void *ctx, long line, const char *msg)
{
	(void)ctx;
	(void)line;
	(void)msg;
}

static void
accept_partial(void *ctx, const char *why)
{
	(void)ctx;
	(void)why;
}

static int
accept_step(void *ctx, const struct fp_step *st)
{
	(void)ctx;
	(void)st;
	return 0;
}

static int
accept_counter(void *ctx, const struct fp_counter *c)
{
	(void)ctx;
	(void)c;
	return 0;
}

static void
write_file(const char *path, const struct bytes *b)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
}

/*
 * Import path as name and return run()'s result; fail the test when the
 * contract is broken.
 */
static int
import_checked(const struct fp_importer *imp, const char *path,
    const char *name, int skip_bad, const char *what)
{
	struct fp_sink sink = { NULL, accept_event, accept_sample,
	    accept_packet, accept_warning, accept_partial, accept_step,
	    accept_counter };
	struct fp_line_stats stats;
	struct fp_import_opts opts;
	int rc;

	memset(&stats, 0, sizeof(stats));
	memset(&opts, 0, sizeof(opts));
	opts.display_name = name;
	opts.host = "gw";
	opts.reference = REFERENCE_TIME;
	opts.skip_bad = skip_bad;
	opts.stats = &stats;

	fp_clear_error();
	rc = imp->run(path, &opts, &sink);
	if (rc != 0 && (rc > FP_EINVAL || rc < FP_ECRYPTO))
		fail_msg("%s (%s): run returned %d, not 0 or an FP_E* code",
		    name, what, rc);
	if (rc != 0 && fp_errmsg()[0] == '\0')
		fail_msg("%s (%s): run returned %d without a message", name,
		    what, rc);
	if (rc != 0 && strstr(fp_errmsg(), name) == NULL)
		fail_msg("%s (%s): the message does not name the file: %s",
		    name, what, fp_errmsg());
	return rc;
}

static void
mutate_seed(void **state)
{
	const struct seed *sd = *state;
	const struct fp_importer *imp = fp_importer_find(sd->kind);
	uint64_t rng = PRNG_SEED ^ (uint64_t)(sd - seeds);
	struct bytes b = { NULL, 0, 0 };
	char what[512], name[256], *seed_path, *path;
	size_t seed_len;
	char *seed;

	assert_non_null(imp);
	seed_path = xasprintf("%s/%s", srcdir, sd->path);
	assert_int_equal(fp_read_file(seed_path, 16 << 20, &seed, &seed_len),
	    0);

	/* The seed itself must import, or its mutants test nothing. */
	if (import_checked(imp, seed_path, fp_basename(sd->path), 0,
	    "the seed") != 0)
		fail_msg("seed %s does not import: %s", sd->path, fp_errmsg());

	for (int i = 0; i < MUTANTS_PER_SEED; i++) {
		make_mutant(&b, (const unsigned char *)seed, seed_len, i, &rng,
		    what, sizeof(what));
		snprintf(name, sizeof(name), "%s~%03d", fp_basename(sd->path),
		    i);
		path = xasprintf("%s/%s", mutant_dir, name);
		write_file(path, &b);
		import_checked(imp, path, name, i & 1, what);
		unlink(path);
		free(path);
	}
	free(b.data);
	free(seed);
	free(seed_path);
}

int
main(void)
{
	struct CMUnitTest tests[NSEEDS];
	char names[NSEEDS][128];
	char dir[] = "/tmp/fp-mutants-XXXXXX";
	int failed;

	if (getenv("FP_SRCDIR") != NULL)
		srcdir = getenv("FP_SRCDIR");
	/* The syslog importer loads its rules from the source tree. */
	setenv("FAILPROOF_DATADIR", srcdir, 0);
	if ((mutant_dir = mkdtemp(dir)) == NULL) {
		perror("test_mutations: mkdtemp");
		return 1;
	}
	fprintf(stderr, "test_mutations: mutants are written to %s\n",
	    mutant_dir);

	for (size_t i = 0; i < NSEEDS; i++) {
		snprintf(names[i], sizeof(names[i]), "%s mutants of %s",
		    seeds[i].kind, fp_basename(seeds[i].path));
		tests[i].name = names[i];
		tests[i].test_func = mutate_seed;
		tests[i].setup_func = NULL;
		tests[i].teardown_func = NULL;
		tests[i].initial_state = (void *)&seeds[i];
	}
	failed = cmocka_run_group_tests_name("mutations", tests, NULL, NULL);
	if (failed == 0)
		rmdir(mutant_dir);
	return failed;
}
