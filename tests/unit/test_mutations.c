/*
 * A deterministic mutation test of every importer.  Each seed file below
 * gets 300 mutants, made with a fixed PRNG seed, so that a failure
 * reproduces on every machine.  The first 16 mutants cut the seed at
 * each sixteenth of its length.  Each of the others applies one to three
 * of these mutations:
 *
 *   - bit flips, or random bytes inserted;
 *   - a region of the file copied to another place;
 *   - a huge or negative number in place of a decimal one;
 *   - a huge value over four bytes of a binary length field;
 *   - a run of NUL or 0xFF bytes, inserted or written over the data.
 *
 * A last test imports each input of tests/data/fuzz-regressions once.
 *
 * The test asserts only the import contract of importer.h: run() returns
 * 0 or a negative FP_E* code, and a failure leaves a message in
 * fp_errmsg() that names the file.  Each seed runs in a child process,
 * so a crash, a hang (IMPORT_TIMEOUT) or an ASan, UBSan or LeakSanitizer
 * report in the ASan+UBSan pass of 'make check' fails that seed's test
 * with the mutant that caused it.  Mutants are written to a temporary
 * folder, named on stderr, and each is removed after its import, so a
 * failure leaves its mutant there.
 *
 * Run from the top of the source tree, or set FP_SRCDIR to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "importer.h"

#define MUTANTS_PER_SEED 300
#define TRUNCATIONS 16
/* A mutant is cut to this many times the seed's length, plus 4 KiB. */
#define MAX_GROWTH 4
/* Seconds one import may take before it counts as a hang. */
#define IMPORT_TIMEOUT 10
#define PRNG_SEED UINT64_C(0x6661696c70726f6f)	/* "failproo" */
/* The run time the importers get: 2026-12-04T19:49:25.750Z. */
#define REFERENCE_TIME INT64_C(1796413765750000)

struct seed {
	const char *kind;
	const char *path;	/* below the top of the source tree */
	int at;			/* pass --at: the file states no time */
};

static const struct seed seeds[] = {
	{ "syslog", "tests/data/cases/04-rfc5424-fraction-offset-nil.input.log",
	    0 },
	{ "syslog", "tests/data/drills/A-dataplane-failover/"
	    "fwb.syslog-rfc3164.log", 0 },
	{ "pcap", "tests/data/pcap/tcpdump__ikev2pI2.pcap", 0 },
	{ "pcap", "tests/data/pcap/pcapng-mixed-linktypes.pcapng", 0 },
	{ "tshark", "tests/data/traffic/isakmp4500.tshark.tsv", 0 },
	{ "counters", "tests/data/drills/A-dataplane-failover/"
	    "state-3-after-takeover.txt", 0 },
	{ "counters", "tests/data/traffic/xfrm_stat.txt", 1 },
	{ "iperf3", "tests/data/cases/"
	    "11-iperf3-udp-nan-zero-interval.input.json", 0 },
	{ "ping", "tests/data/harness/"
	    "jc__ubuntu-18.04__ping6-hostname-O-D-p.out", 0 },
	{ "fping", "tests/data/harness/fping/fping-D-l-o-s-two.out", 0 },
	{ "timeline", "tests/data/timeline/A-graceful.timeline.jsonl", 0 },
	{ "timeline", "tests/data/drills/A-dataplane-failover/events.log", 0 },
	{ "junit", "tests/data/cases/"
	    "16-junit-nested-skipped-notime.input.xml", 0 },
	{ "robot", "tests/data/harness/"
	    "robot-plugin__rf4.0b3_robot4_skip.xml", 0 },
	{ "chaos", "tests/data/harness/chaostoolkit-ansible__journal.json",
	    0 },
	{ "config", "tests/data/config/drill-a-fwa.swanctl.conf", 0 },
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

/*
 * leak_check() runs LeakSanitizer at once in an ASan build, so that a
 * leak can be pinned on one import.  Elsewhere it finds nothing.
 */
#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LEAK_CHECK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LEAK_CHECK 1
#endif
#endif
#ifdef HAVE_LEAK_CHECK
#include <sanitizer/lsan_interface.h>
#endif

static int
leak_check(void)
{
#ifdef HAVE_LEAK_CHECK
	return __lsan_do_recoverable_leak_check();
#else
	return 0;
#endif
}

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
accept_partial(void *ctx, const char *reason)
{
	(void)ctx;
	(void)reason;
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

/* Write b to path.  Returns 0, or -1 with the cause in reason. */
static int
write_file(const char *path, const struct bytes *b, char *reason,
    size_t size)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL) {
		snprintf(reason, size, "cannot create %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
		snprintf(reason, size, "cannot write %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Import path as name and check the contract, and with check_leaks that
 * nothing leaked.  Returns 0, or -1 with the broken rule in reason.  *rc
 * is run()'s result.
 */
static int
import_checked(const struct seed *sd, const char *path, const char *name,
    int skip_bad, int check_leaks, int *rc, char *reason, size_t size)
{
	struct fp_sink sink = { NULL, accept_event, accept_sample,
	    accept_packet, accept_warning, accept_partial, accept_step,
	    accept_counter };
	struct fp_line_stats stats;
	struct fp_import_opts opts;

	memset(&stats, 0, sizeof(stats));
	memset(&opts, 0, sizeof(opts));
	opts.display_name = name;
	opts.host = "gw";
	opts.reference = REFERENCE_TIME;
	opts.skip_bad = skip_bad;
	opts.stats = &stats;
	opts.at = sd->at ? REFERENCE_TIME : 0;

	fp_clear_error();
	alarm(IMPORT_TIMEOUT);
	*rc = fp_importer_find(sd->kind)->run(path, &opts, &sink);
	alarm(0);
	if (check_leaks && leak_check() != 0) {
		snprintf(reason, size, "memory leaked (LeakSanitizer report on "
		    "stderr)");
		return -1;
	}
	if (*rc == 0)
		return 0;
	if (*rc > FP_EINVAL || *rc < FP_ECRYPTO)
		snprintf(reason, size, "run returned %d, not 0 or an FP_E* "
		    "code", *rc);
	else if (fp_errmsg()[0] == '\0')
		snprintf(reason, size, "run returned %d without a message",
		    *rc);
	else if (strstr(fp_errmsg(), name) == NULL)
		snprintf(reason, size, "the message does not name the file: "
		    "%s", fp_errmsg());
	else
		return 0;
	return -1;
}

/* Send one line to the parent; the last one names the import under way. */
static void
report(int out, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(out, line, (size_t)n) != n)
		_exit(3);
}

/*
 * Import the seed, then each of its mutants; with check_leaks, look for
 * leaks after every import.  Returns 0, or exits 1 after sending
 * "broken: ..." on out.
 */
static int
import_mutants(const struct seed *sd, int out, int check_leaks)
{
	uint64_t rng = PRNG_SEED ^ (uint64_t)(sd - seeds);
	struct bytes b = { NULL, 0, 0 };
	char what[512], name[256], reason[1024], *seed_path, *path;
	size_t seed_len;
	char *seed;
	int rc;

	seed_path = xasprintf("%s/%s", srcdir, sd->path);
	if (fp_read_file(seed_path, 16 << 20, &seed, &seed_len) != 0) {
		report(out, "broken: %s", fp_errmsg());
		exit(1);
	}

	/* The seed itself must import, or its mutants test nothing. */
	report(out, "import %s: the seed", seed_path);
	if (import_checked(sd, seed_path, fp_basename(sd->path), 0,
	    check_leaks, &rc, reason, sizeof(reason)) != 0 || rc != 0) {
		report(out, "broken: the seed does not import: %s", rc != 0 ?
		    fp_errmsg() : reason);
		exit(1);
	}

	for (int i = 0; i < MUTANTS_PER_SEED; i++) {
		make_mutant(&b, (const unsigned char *)seed, seed_len, i, &rng,
		    what, sizeof(what));
		snprintf(name, sizeof(name), "%s~%03d", fp_basename(sd->path),
		    i);
		path = xasprintf("%s/%s", mutant_dir, name);
		if (write_file(path, &b, reason, sizeof(reason)) != 0) {
			report(out, "broken: %s", reason);
			exit(1);
		}
		report(out, "import %s: %s", path, what);
		if (import_checked(sd, path, name, i & 1, check_leaks, &rc,
		    reason, sizeof(reason)) != 0) {
			report(out, "broken: %s (%s): %s", path, what, reason);
			exit(1);
		}
		unlink(path);
		free(path);
	}
	free(b.data);
	free(seed);
	free(seed_path);
	return 0;
}

/*
 * In the child: import the seed and its mutants.  Before each import it
 * sends "import NAME: WHAT" on out; when the contract is broken it sends
 * "broken: ..." and exits 1.  A crash, a sanitizer report or SIGALRM
 * after IMPORT_TIMEOUT seconds ends it with that line the last.  A leak
 * check after each import would make the ASan pass slow, so there is one
 * at the end.  Only when it finds a leak are the same mutants imported
 * again, with a check after each, to name the one that leaks.
 */
static void
run_mutants(const struct seed *sd, int out)
{
	if (fp_importer_find(sd->kind) == NULL) {
		report(out, "broken: no importer of kind %s", sd->kind);
		exit(1);
	}
	import_mutants(sd, out, 0);
	if (leak_check() != 0) {
		import_mutants(sd, out, 1);
		report(out, "broken: memory leaked, but not again when each "
		    "import was checked (LeakSanitizer report on stderr)");
		exit(1);
	}
	exit(0);
}

static int
select_regression(const struct dirent *d)
{
	return d->d_name[0] != '.' && strchr(d->d_name, '-') != NULL &&
	    strstr(d->d_name, ".md") == NULL;
}

/*
 * In the child: import one input of tests/data/fuzz-regressions, whose
 * kind and path are in sd, and check for leaks after it.
 */
static void
run_regression(const struct seed *sd, int out)
{
	char reason[1024];
	int rc;

	if (fp_importer_find(sd->kind) == NULL) {
		report(out, "broken: %s: no importer of kind %s", sd->path,
		    sd->kind);
		exit(1);
	}
	report(out, "import %s: a fuzz regression input", sd->path);
	if (import_checked(sd, sd->path, fp_basename(sd->path), 0, 1, &rc,
	    reason, sizeof(reason)) != 0) {
		report(out, "broken: %s: %s", sd->path, reason);
		exit(1);
	}
	exit(0);
}

/*
 * Run body in a child process, so that a crash, a hang or a sanitizer
 * report is pinned on the input that caused it and the other inputs
 * still run.  Returns 0, or -1 with the failure and that input in
 * failure.
 */
static int
run_in_child(void (*body)(const struct seed *, int), const struct seed *sd,
    char *failure, size_t size)
{
	struct fp_buf output = { NULL, 0, 0 };
	char chunk[4096], last[1024], *start, *end;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	fflush(NULL);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		body(sd, fds[1]);
	}
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		assert_true(n > 0);
		fp_buf_append(&output, chunk, (size_t)n);
	}
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);

	/* The last line is the import under way, or the failure. */
	fp_buf_append(&output, "", 0);
	end = output.data + output.len;
	if (end > output.data && end[-1] == '\n')
		*--end = '\0';
	start = strrchr(output.data, '\n');
	snprintf(last, sizeof(last), "%s", start ? start + 1 : output.data);
	fp_buf_free(&output);

	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		snprintf(failure, size, "no result after %d s: %s",
		    IMPORT_TIMEOUT, last);
	else if (WIFSIGNALED(status))
		snprintf(failure, size, "killed by signal %d: %s",
		    WTERMSIG(status), last);
	else if (WEXITSTATUS(status) != 0 &&
	    strncmp(last, "broken: ", 8) == 0)
		snprintf(failure, size, "%s", last);
	else if (WEXITSTATUS(status) != 0)
		snprintf(failure, size, "exit status %d (a sanitizer report "
		    "is on stderr): %s", WEXITSTATUS(status), last);
	else
		return 0;
	return -1;
}

static void
mutate_seed(void **state)
{
	char failure[1200];

	if (run_in_child(run_mutants, *state, failure, sizeof(failure)) != 0)
		fail_msg("%s", failure);
}

/*
 * Import each input of tests/data/fuzz-regressions once, each in its own
 * child.  A file's name starts with its importer kind.  Each input broke
 * an importer once, as the README.md there describes.
 */
static void
import_regressions(void **state)
{
	struct fp_buf failures = { NULL, 0, 0 };
	struct dirent **names;
	char failure[1200], kind[32], *dir, *path;
	struct seed sd = { NULL, NULL, 0 };
	int n;

	(void)state;
	dir = xasprintf("%s/tests/data/fuzz-regressions", srcdir);
	n = scandir(dir, &names, select_regression, alphasort);
	if (n < 0)
		fail_msg("cannot list %s: %s", dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		snprintf(kind, sizeof(kind), "%.*s",
		    (int)strcspn(names[i]->d_name, "-"), names[i]->d_name);
		path = xasprintf("%s/%s", dir, names[i]->d_name);
		sd.kind = kind;
		sd.path = path;
		if (run_in_child(run_regression, &sd, failure,
		    sizeof(failure)) != 0)
			fp_buf_printf(&failures, "\n  %s", failure);
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	if (failures.len > 0) {
		snprintf(failure, sizeof(failure), "%s", failures.data);
		fp_buf_free(&failures);
		fail_msg("inputs that still break an importer:%s", failure);
	}
}

int
main(void)
{
	struct CMUnitTest tests[NSEEDS + 1];
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
	tests[NSEEDS].name = "fuzz regression inputs";
	tests[NSEEDS].test_func = import_regressions;
	tests[NSEEDS].setup_func = NULL;
	tests[NSEEDS].teardown_func = NULL;
	tests[NSEEDS].initial_state = NULL;
	failed = cmocka_run_group_tests_name("mutations", tests, NULL, NULL);
	/* The folder stays when a failure left its mutant in it. */
	rmdir(mutant_dir);
	return failed;
}
