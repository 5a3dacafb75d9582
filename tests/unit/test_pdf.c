/*
 * Tests of the PDF report.  The report is written with libharu and signed
 * by incremental update with ECDSA P-256 and RSA 2048 keys that the
 * openssl command makes for the run.  pdf_verify() and poppler's pdfsig
 * check the signatures, also on files changed after signing and on hard
 * case 23 (an unsigned update after the signature turns FAIL into PASS).
 *
 * Run from the top of the source tree, or set FP_SRCDIR to it.  Needs the
 * openssl, pdfsig and pdftotext commands (Debian packages openssl and
 * poppler-utils).  pdfsig runs with -no-ocsp, so no test goes to the
 * network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pdf_sign.h"
#include "pdf_verify.h"
#include "report.h"
#include "report_pdf.h"
#include "util.h"

#define EVIDENCE_COMMIT "3f9c2a17d04b8e6a51c7f0e2b9d4a6c8e1f03b57"
#define CASE23 "tests/data/pdf/case23-pdf-signature-not-whole-file.pdf"

/* 2026-12-04T19:49:25.750Z, the failover of the sample run. */
#define FAILOVER_AT INT64_C(1796413765750000)

static const char *srcdir = ".";
static char tmpdir[] = "/tmp/fp-test-pdf-XXXXXX";

#define assert_has(haystack, needle) do { \
	if (strstr((haystack), (needle)) == NULL) { \
		print_error("\"%s\" does not contain \"%s\"\n", \
		    (haystack), (needle)); \
		fail(); \
	} \
} while (0)

#define assert_lacks(haystack, needle) do { \
	if (strstr((haystack), (needle)) != NULL) { \
		print_error("\"%s\" contains \"%s\"\n", (haystack), \
		    (needle)); \
		fail(); \
	} \
} while (0)

static char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/* Run a shell command and return its standard output (stderr dropped). */
static char *
run_output(const char *fmt, ...)
{
	struct fp_buf out = { 0 };
	char *cmd, chunk[4096];
	va_list ap;
	size_t n;
	FILE *p;

	va_start(ap, fmt);
	fp_buf_vprintf(&out, fmt, ap);
	va_end(ap);
	cmd = xasprintf("%s 2>/dev/null", out.data);
	fp_buf_free(&out);
	fp_buf_puts(&out, "");
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		fp_buf_append(&out, chunk, n);
	pclose(p);
	free(cmd);
	return fp_buf_detach(&out);
}

static size_t
count(const char *haystack, const char *needle)
{
	size_t n = 0;

	while ((haystack = strstr(haystack, needle)) != NULL) {
		n++;
		haystack += strlen(needle);
	}
	return n;
}

static void
copy_file(const char *from, const char *to)
{
	char *data;
	size_t len;
	FILE *f;

	assert_int_equal(fp_read_file(from, PDF_MAX_FILE_SIZE, &data, &len), 0);
	f = fopen(to, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(data);
}

static void
append_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "ab");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static size_t
file_size(const char *path)
{
	char *data;
	size_t len;

	assert_int_equal(fp_read_file(path, PDF_MAX_FILE_SIZE, &data, &len), 0);
	free(data);
	return len;
}

/* ---- a realistic report, built by hand --------------------------------- */

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
refs_add(struct rpt_refs *refs, const char *file, const char *unit,
    long number)
{
	refs->v = xrealloc(refs->v, (refs->n + 1) * sizeof(*refs->v));
	refs->v[refs->n].file = xstrdup(file);
	refs->v[refs->n].unit = xstrdup(unit);
	refs->v[refs->n].number = number;
	refs->v[refs->n].sha256 = NULL;
	refs->n++;
}

static void
refs_release(struct rpt_refs *refs)
{
	size_t i;

	for (i = 0; i < refs->n; i++) {
		free(refs->v[i].file);
		free(refs->v[i].unit);
		free(refs->v[i].sha256);
	}
	free(refs->v);
}

static void
fill_run(struct report *r, int failing)
{
	r->procedure_id = xstrdup("VPN-HA-FAILOVER-TEST");
	r->procedure_title = xstrdup("VPN high-availability failover test");
	r->procedure_revision = xstrdup("3");
	r->change_category = xstrdup("non-disruptive (controlled failure)");
	r->review_cycle = xstrdup("quarterly");
	r->run_id = 42;
	r->tunnel = xstrdup("hq-branch-köln");
	r->scenario = 2;
	r->scenario_title = xstrdup("Data-plane disruption");
	r->method = xstrdup("power cut of the active unit");
	r->executed_by = xstrdup("Zoë Müller");
	r->primary = xstrdup("fw-a");
	r->standby = xstrdup("fw-b");
	r->peer = xstrdup("peer-gw");
	r->roles_source = xstrdup("stated by the executor");
	r->failover_at = FAILOVER_AT;
	r->failover_source = xstrdup("fw-b.log:1042 (ha_failover)");
	r->max_outage_ms = 5000;
	r->created_at = FAILOVER_AT - INT64_C(600000000);
	r->verdict = xstrdup(failing ? "state-drift" : "pass");
	r->cause = dup_or_null(failing ? "spi-mismatch" : NULL);
	r->summary = xstrdup(failing ?
	    "An IKE SA with the standby came up 1.2 s after the failover, "
	    "but the peer dropped ESP for an SPI it did not have." :
	    "Traffic recovered in both directions 3.084 s after the "
	    "failover, within the 5.000 s threshold.");
	r->mttr_ms = failing ? -1 : 3084;
	r->mttr_source = xstrdup("ping");
	r->mttr_resolution_ms = 200;
	r->child_sa_ms = 1450;
	r->loss_window_ms = failing ? -1 : 3210;
	r->evaluated_at = FAILOVER_AT + INT64_C(900000000);
	r->defect_id = dup_or_null(failing ? "DEF-2026-0007" : NULL);
	r->defect_status = dup_or_null(failing ? "open" : NULL);
	r->evidence_commit = xstrdup(EVIDENCE_COMMIT);
	r->generated_at = FAILOVER_AT + INT64_C(1000000000);
	r->tool_version = xstrdup("0.1.0");
	r->reviewed_at = FP_TIME_NONE;
}

static void
fill_checks(struct report *r, int failing)
{
	static const char *const criteria[][3] = {
		{ "new-ike-sa", "New IKE SA after failover", "pass" },
		{ "new-child-sa", "New CHILD SA after failover", "pass" },
		{ "traffic-resumed", "Traffic resumes without manual "
		  "intervention", "pass" },
		{ "no-asymmetric-routing", "No asymmetric routing",
		  "inconclusive" },
		{ "old-sas-removed", "Old SAs removed deterministically",
		  "pass" },
		{ "mttr-recorded", "MTTR recorded", "pass" },
	};
	static const char *const preconditions[][3] = {
		{ "stateful-failover", "Stateful failover verified", "met" },
		{ "lifetimes-aligned", "IKE and IPsec lifetimes aligned",
		  "attested" },
		{ "logging-enabled", "IKE, IPsec and failover logging enabled",
		  "met" },
		{ "traffic-before", "Traffic flowing before the failure",
		  "met" },
	};
	size_t i;

	r->n_preconditions = 4;
	r->preconditions = xcalloc(4, sizeof(*r->preconditions));
	for (i = 0; i < 4; i++) {
		r->preconditions[i].id = xstrdup(preconditions[i][0]);
		r->preconditions[i].title = xstrdup(preconditions[i][1]);
		r->preconditions[i].result = xstrdup(preconditions[i][2]);
		r->preconditions[i].reason = xstrdup("Attested by Zoë Müller.");
		refs_add(&r->preconditions[i].refs, "fw-a.log", "line",
		    100 + (long)i);
	}
	r->n_criteria = 6;
	r->criteria = xcalloc(6, sizeof(*r->criteria));
	for (i = 0; i < 6; i++) {
		r->criteria[i].id = xstrdup(criteria[i][0]);
		r->criteria[i].title = xstrdup(criteria[i][1]);
		r->criteria[i].result = xstrdup(failing && i == 2 ? "fail" :
		    criteria[i][2]);
		r->criteria[i].reason = xstrdup("fw-b established IKE SA "
		    "7f3a9c0e11d2b4a5 with the peer 1.2 s after the failover.");
		refs_add(&r->criteria[i].refs, "fw-b.log", "line",
		    1042 + (long)i);
		refs_add(&r->criteria[i].refs, "peer-wan.pcap", "packet",
		    17 + (long)i);
	}
	r->n_steps = 3;
	r->steps = xcalloc(3, sizeof(*r->steps));
	for (i = 0; i < 3; i++) {
		r->steps[i].question = (int)i + 1;
		r->steps[i].question_text = xstrdup("Traffic recovered in both "
		    "directions within the threshold?");
		r->steps[i].answer = xstrdup(i == 2 ? "yes" : "no");
		r->steps[i].explanation = xstrdup("ESP for SPI 0xc1a2b3c4 was "
		    "dropped as unknown.");
		refs_add(&r->steps[i].refs, "peer-gw.log", "line",
		    500 + (long)i);
	}
}

static void
fill_measurements(struct report *r, int failing, size_t n_evidence)
{
	static const char *const kinds[] = { "ha_failover", "ike_init_sent",
	    "ike_sa_established", "child_sa_established", "dpd_timeout",
	    "ike_sa_deleted", "retransmit" };
	static const char *const hosts[] = { "fw-a", "fw-b", "peer-gw" };
	size_t i, j;

	r->n_loss_windows = 2;
	r->loss_windows = xcalloc(2, sizeof(*r->loss_windows));
	for (i = 0; i < 2; i++) {
		struct rpt_loss_window *lw = &r->loss_windows[i];

		lw->direction = xstrdup(i == 0 ?
		    "192.0.2.100 -> 203.0.113.100" :
		    "203.0.113.100 -> 192.0.2.100");
		lw->start = FAILOVER_AT - 126000;
		lw->end = failing ? FP_TIME_NONE : FAILOVER_AT + 3084000;
		lw->ms = failing ? -1 : 3210;
		lw->source = xstrdup("ping");
		lw->resolution_ms = 200;
		refs_add(&lw->refs, "ping.txt", "line", 31);
	}

	r->n_evidence = n_evidence;
	r->evidence = xcalloc(n_evidence, sizeof(*r->evidence));
	for (i = 0; i < n_evidence; i++) {
		struct rpt_evidence *e = &r->evidence[i];

		e->name = xasprintf("evidence-%02zu-fw-ä.log", i + 1);
		e->kind = xstrdup(i % 2 ? "pcap" : "syslog");
		e->host = dup_or_null(i % 3 == 2 ? NULL : hosts[i % 3]);
		e->sha256 = xstrdup("9f86d081884c7d659a2feaa0c55ad015"
		    "a3bf4f1b2b0b822cd15d6c15b0f00a08");
		e->commit = xstrdup(EVIDENCE_COMMIT);
		e->size = 12345 * (int64_t)(i + 1);
		e->records = 100 * (long)(i + 1);
		e->partial = i == 1;
	}

	r->n_timeline = 21;
	r->timeline = xcalloc(21, sizeof(*r->timeline));
	for (i = 0; i < 21; i++) {
		r->timeline[i].ts = FAILOVER_AT + ((int64_t)i - 8) * 700000;
		r->timeline[i].host = xstrdup(hosts[i % 3]);
		r->timeline[i].kind = xstrdup(kinds[i % 7]);
		r->timeline[i].label = xstrdup(kinds[i % 7]);
	}
	r->n_series = 2;
	r->series = xcalloc(2, sizeof(*r->series));
	for (i = 0; i < 2; i++) {
		struct rpt_series *s = &r->series[i];

		s->label = xstrdup(i == 0 ? "ping 192.0.2.100 → 203.0.113.100" :
		    "iperf3 reverse");
		s->start = FAILOVER_AT - 8000000;
		s->bin = 500000;
		s->n = 40;
		s->delivered = xcalloc(40, sizeof(*s->delivered));
		for (j = 0; j < 40; j++)
			s->delivered[j] = j == 3 ? -1 : j >= 16 &&
			    j < (failing ? 40u : 23u) ? 0 :
			    5 + (int64_t)(j % 3);
	}

	r->n_findings = 1;
	r->findings = xcalloc(1, sizeof(*r->findings));
	r->findings[0].id = xstrdup("vendor-default-timers");
	r->findings[0].text = xstrdup("DPD interval and retries are the "
	    "vendor defaults and were never validated.");
}

static void
sample_report(struct report *r, int failing, size_t n_evidence)
{
	memset(r, 0, sizeof(*r));
	fill_run(r, failing);
	fill_checks(r, failing);
	fill_measurements(r, failing, n_evidence);
}

static void
sample_free(struct report *r)
{
	size_t i;

	free(r->procedure_id);
	free(r->procedure_title);
	free(r->procedure_revision);
	free(r->change_category);
	free(r->review_cycle);
	free(r->tunnel);
	free(r->scenario_title);
	free(r->method);
	free(r->executed_by);
	free(r->primary);
	free(r->standby);
	free(r->peer);
	free(r->roles_source);
	free(r->failover_source);
	free(r->verdict);
	free(r->cause);
	free(r->summary);
	free(r->mttr_source);
	for (i = 0; i < r->n_preconditions; i++) {
		free(r->preconditions[i].id);
		free(r->preconditions[i].title);
		free(r->preconditions[i].result);
		free(r->preconditions[i].reason);
		refs_release(&r->preconditions[i].refs);
	}
	free(r->preconditions);
	for (i = 0; i < r->n_criteria; i++) {
		free(r->criteria[i].id);
		free(r->criteria[i].title);
		free(r->criteria[i].result);
		free(r->criteria[i].reason);
		refs_release(&r->criteria[i].refs);
	}
	free(r->criteria);
	for (i = 0; i < r->n_steps; i++) {
		free(r->steps[i].question_text);
		free(r->steps[i].answer);
		free(r->steps[i].explanation);
		refs_release(&r->steps[i].refs);
	}
	free(r->steps);
	for (i = 0; i < r->n_loss_windows; i++) {
		free(r->loss_windows[i].direction);
		free(r->loss_windows[i].source);
		refs_release(&r->loss_windows[i].refs);
	}
	free(r->loss_windows);
	for (i = 0; i < r->n_evidence; i++) {
		free(r->evidence[i].name);
		free(r->evidence[i].kind);
		free(r->evidence[i].host);
		free(r->evidence[i].sha256);
		free(r->evidence[i].commit);
	}
	free(r->evidence);
	for (i = 0; i < r->n_timeline; i++) {
		free(r->timeline[i].host);
		free(r->timeline[i].kind);
		free(r->timeline[i].label);
	}
	free(r->timeline);
	for (i = 0; i < r->n_series; i++) {
		free(r->series[i].label);
		free(r->series[i].delivered);
	}
	free(r->series);
	for (i = 0; i < r->n_findings; i++) {
		free(r->findings[i].id);
		free(r->findings[i].text);
	}
	free(r->findings);
	free(r->defect_id);
	free(r->defect_status);
	free(r->evidence_commit);
	free(r->tool_version);
	free(r->reviewer);
	free(r->review_decision);
	memset(r, 0, sizeof(*r));
}

/* Write the passing sample report to a new file in the temporary folder. */
static char *
write_sample(const char *name)
{
	struct report r;
	char *path = tmp_path(name);

	sample_report(&r, 0, 6);
	assert_int_equal(report_pdf_write(&r, path), 0);
	sample_free(&r);
	return path;
}

static char *
key_path(const char *name)
{
	return tmp_path(name);
}

/* ---- setup ------------------------------------------------------------- */

static int
make_signer(const char *base, const char *keyopt, const char *subject)
{
	char *key = tmp_path(base), *cmd;
	int rc;

	cmd = xasprintf("openssl req -x509 %s -nodes -days 30 -utf8 "
	    "-subj '%s' -keyout '%s.key' -out '%s.crt' >/dev/null 2>&1",
	    keyopt, subject, key, key);
	rc = system(cmd);
	free(cmd);
	free(key);
	return rc == 0 ? 0 : -1;
}

static int
setup(void **state)
{
	char *cmd;
	int rc;

	(void)state;
	if (getenv("FP_SRCDIR") != NULL)
		srcdir = getenv("FP_SRCDIR");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	if (make_signer("ec", "-newkey ec -pkeyopt ec_paramgen_curve:P-256",
	    "/CN=Zoë Müller/O=Example") != 0 ||
	    make_signer("rsa", "-newkey rsa:2048",
	    "/CN=Reviewer Ødegaard/O=Example") != 0 ||
	    make_signer("ed", "-newkey ed25519", "/CN=Ed Signer/O=Example")
	    != 0)
		return -1;
	cmd = xasprintf("openssl req -x509 -newkey ec -pkeyopt "
	    "ec_paramgen_curve:P-256 -days 30 -subj '/CN=Locked' -passout "
	    "pass:secret -keyout '%s/locked.key' -out '%s/locked.crt' "
	    ">/dev/null 2>&1", tmpdir, tmpdir);
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	char *cmd;

	(void)state;
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0) {
		free(cmd);
		return -1;
	}
	free(cmd);
	return 0;
}

/* SHA-256 of a PEM certificate's DER form, as the openssl command gives it. */
static void
cert_fingerprint(const char *base, char hex[65])
{
	char *pem = tmp_path(base), *der = xasprintf("%s.der", pem), *cmd;

	cmd = xasprintf("openssl x509 -in '%s' -outform DER -out '%s' "
	    ">/dev/null 2>&1", pem, der);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(fp_sha256_file(der, hex), 0);
	free(cmd);
	free(der);
	free(pem);
}

static void
sign_ec(const char *path)
{
	char *key = key_path("ec.key"), *cert = key_path("ec.crt");

	assert_int_equal(pdf_sign(path, key, cert, "Zoë Müller",
	    "Executed the drill"), 0);
	free(key);
	free(cert);
}

static void
sign_rsa(const char *path)
{
	char *key = key_path("rsa.key"), *cert = key_path("rsa.crt");

	assert_int_equal(pdf_sign(path, key, cert, "Reviewer Ødegaard",
	    "Reviewed and approved"), 0);
	free(key);
	free(cert);
}

/* ---- writing ----------------------------------------------------------- */

static void
test_write_passing_text(void **state)
{
	char *path, *text;

	(void)state;
	path = write_sample("passing.pdf");
	text = run_output("pdftotext -enc UTF-8 '%s' -", path);
	assert_has(text, "VPN HA failover test report");
	assert_has(text, "Verdict: pass");
	assert_has(text, "MTTR: 3.084 s");
	assert_has(text, "Zoë Müller");
	assert_has(text, "hq-branch-köln");
	assert_has(text, "fw-b.log:1042");
	assert_has(text, "peer-wan.pcap#17");
	assert_has(text, EVIDENCE_COMMIT);
	assert_has(text, "Reviewer sign-off");
	free(text);
	free(path);
}

static void
test_write_failing_text(void **state)
{
	struct report r;
	char *path = tmp_path("failing.pdf"), *text;

	(void)state;
	sample_report(&r, 1, 35);
	assert_int_equal(report_pdf_write(&r, path), 0);
	sample_free(&r);

	text = run_output("pdftotext -enc UTF-8 '%s' -", path);
	assert_has(text, "Verdict: state-drift");
	assert_has(text, "MTTR: not recovered");
	assert_has(text, "spi-mismatch");
	assert_has(text, "DEF-2026-0007");
	/* the evidence table continues over a page break to its last row */
	assert_has(text, "evidence-01-fw-ä.log");
	assert_has(text, "evidence-35-fw-ä.log");
	assert_has(text, "Page 1 of");
	free(text);
	free(path);
}

static void
test_write_info(void **state)
{
	char *path, *info;

	(void)state;
	path = write_sample("info.pdf");
	info = run_output("pdfinfo '%s'", path);
	assert_has(info, "Keywords:        " REPORT_PDF_COMMIT_KEYWORD
	    EVIDENCE_COMMIT);
	assert_has(info, "Author:          failproof");
	assert_has(info, "Title:           VPN HA failover test report, "
	    "run 42");
	assert_has(info, "Creator:         failproof");
	assert_has(info, "Page size:       595.276 x 841.89 pts (A4)");
	free(info);
	free(path);
}

/* Every optional member absent: the writer draws dashes, never crashes. */
static void
test_write_minimal_report(void **state)
{
	struct report r;
	char *path = tmp_path("minimal.pdf"), *text;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.evidence_commit = xstrdup(EVIDENCE_COMMIT);
	r.mttr_ms = -1;
	r.max_outage_ms = -1;
	r.child_sa_ms = -1;
	r.loss_window_ms = -1;
	r.failover_at = FP_TIME_NONE;
	r.created_at = FP_TIME_NONE;
	r.evaluated_at = FP_TIME_NONE;
	r.generated_at = FP_TIME_NONE;
	r.reviewed_at = FP_TIME_NONE;
	assert_int_equal(report_pdf_write(&r, path), 0);
	text = run_output("pdftotext -enc UTF-8 '%s' -", path);
	assert_has(text, "MTTR: not recovered");
	assert_has(text, "pending");
	free(text);
	free(r.evidence_commit);
	free(path);
}

/* Invalid UTF-8 and control bytes from evidence reach the page cleanly. */
static void
test_write_hostile_text(void **state)
{
	struct report r;
	char *path = tmp_path("hostile.pdf"), *text;

	(void)state;
	sample_report(&r, 0, 1);
	free(r.summary);
	r.summary = xstrdup("bad \xff\xfe bytes\x01\x1b[31m and a long "
	    "unbroken word "
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    " and \xf0\x9f\x98\x80 end");
	assert_int_equal(report_pdf_write(&r, path), 0);
	sample_free(&r);
	text = run_output("pdftotext -enc UTF-8 '%s' -", path);
	assert_has(text, "bad");
	assert_has(text, "\xef\xbf\xbd");	/* U+FFFD */
	assert_lacks(text, "\x1b");
	free(text);
	free(path);
}

static void
test_write_rejects_bad_commit(void **state)
{
	struct report r;
	char *path = tmp_path("bad-commit.pdf");

	(void)state;
	sample_report(&r, 0, 1);
	free(r.evidence_commit);
	r.evidence_commit = xstrdup("not-a-commit");
	assert_int_equal(report_pdf_write(&r, path), FP_EINVAL);
	assert_has(fp_errmsg(), "not-a-commit");
	assert_int_not_equal(access(path, F_OK), 0);
	sample_free(&r);
	free(path);
}

/* ---- signing and verifying --------------------------------------------- */

static void
test_sign_once_ecdsa(void **state)
{
	struct pdf_verify_result v;
	char *path, *sig, *text, fingerprint[65];

	(void)state;
	path = write_sample("signed-once.pdf");
	sign_ec(path);
	cert_fingerprint("ec.crt", fingerprint);

	assert_int_equal(pdf_verify(path, &v), 0);
	assert_true(v.ok);
	assert_int_equal(v.n_signatures, 1);
	assert_true(v.signatures[0].valid);
	assert_false(v.signatures[0].trusted);
	assert_true(v.signatures[0].whole_file);
	assert_string_equal(v.signatures[0].field, "Signature1");
	assert_string_equal(v.signatures[0].signer, "Zoë Müller");
	assert_string_equal(v.signatures[0].reason, "Executed the drill");
	assert_string_equal(v.signatures[0].cert_sha256, fingerprint);
	assert_true(v.signatures[0].signed_at != FP_TIME_NONE);
	assert_string_equal(v.signatures[0].status, "signature valid, signer "
	    "certificate not trusted by the system");
	/* The keywords start with the evidence commit, then list the run
	 * and the evidence hashes. */
	assert_non_null(strstr(v.keywords, REPORT_PDF_COMMIT_KEYWORD
	    EVIDENCE_COMMIT " failproof-run:"));
	assert_int_equal(v.signed_length, file_size(path));
	pdf_verify_result_free(&v);

	sig = run_output("pdfsig -no-ocsp '%s'", path);
	assert_int_equal(count(sig, "Signature is Valid."), 1);
	assert_int_equal(count(sig, "Total document signed"), 1);
	assert_has(sig, "Signature Field Name: Signature1");
	assert_has(sig, "Signer Certificate Common Name: Zoë Müller");
	assert_has(sig, "Signing Hash Algorithm: SHA-256");
	assert_has(sig, "Signature Type: adbe.pkcs7.detached");
	free(sig);

	text = run_output("pdftotext -enc UTF-8 '%s' -", path);
	assert_has(text, "Verdict: pass");
	assert_has(text, "MTTR: 3.084 s");
	free(text);
	free(path);
}

static void
test_sign_once_rsa(void **state)
{
	struct pdf_verify_result v;
	char *path, *sig;

	(void)state;
	path = write_sample("signed-rsa.pdf");
	sign_rsa(path);
	assert_int_equal(pdf_verify(path, &v), 0);
	assert_true(v.ok);
	assert_int_equal(v.n_signatures, 1);
	assert_string_equal(v.signatures[0].signer, "Reviewer Ødegaard");
	pdf_verify_result_free(&v);

	sig = run_output("pdfsig -no-ocsp '%s'", path);
	assert_int_equal(count(sig, "Signature is Valid."), 1);
	assert_int_equal(count(sig, "Total document signed"), 1);
	free(sig);
	free(path);
}

/* The reviewer's sign-off adds a second signature to a signed file. */
static void
test_sign_twice(void **state)
{
	struct pdf_verify_result v;
	char *path, *sig, *last, ec[65], rsa[65];

	(void)state;
	path = write_sample("signed-twice.pdf");
	sign_ec(path);
	sign_rsa(path);
	cert_fingerprint("ec.crt", ec);
	cert_fingerprint("rsa.crt", rsa);

	sig = run_output("pdfsig -no-ocsp '%s'", path);
	assert_int_equal(count(sig, "Signature is Valid."), 2);
	assert_int_equal(count(sig, "Total document signed"), 1);
	assert_int_equal(count(sig, "Not total document signed"), 1);
	last = strstr(sig, "Signature #2:");
	assert_non_null(last);
	assert_has(last, "Signature Field Name: Signature2");
	assert_has(last, "Total document signed");
	free(sig);

	assert_int_equal(pdf_verify(path, &v), 0);
	assert_true(v.ok);
	assert_int_equal(v.n_signatures, 2);
	assert_string_equal(v.signatures[0].field, "Signature1");
	assert_string_equal(v.signatures[1].field, "Signature2");
	assert_true(v.signatures[0].valid);
	assert_true(v.signatures[1].valid);
	assert_false(v.signatures[0].whole_file);
	assert_true(v.signatures[1].whole_file);
	assert_string_equal(v.signatures[0].cert_sha256, ec);
	assert_string_equal(v.signatures[1].cert_sha256, rsa);
	/* The keywords start with the evidence commit, then list the run
	 * and the evidence hashes. */
	assert_non_null(strstr(v.keywords, REPORT_PDF_COMMIT_KEYWORD
	    EVIDENCE_COMMIT " failproof-run:"));
	pdf_verify_result_free(&v);
	free(path);
}

/* The first page's content stream, found with the scanner: its object
 * number and the offset of its data. */
static void
find_page_content(const char *data, size_t len, long *num, size_t *offset)
{
	struct pdf_file pf;
	struct pdf_object catalog, node, content;
	struct pdf_value v, kids;
	struct pdf_ref ref;
	size_t rev, pos = 0;

	assert_int_equal(pdf_file_parse(&pf, data, len), 0);
	rev = pf.n_revisions - 1;
	assert_int_equal(pdf_object_find(&pf, rev, pf.revisions[rev].root.num,
	    &catalog), 0);
	assert_int_equal(pdf_dict_get(&pf, &catalog.value, "Pages", &v), 1);
	assert_int_equal(pdf_value_ref(&pf, &v, &ref), 0);
	assert_int_equal(pdf_object_find(&pf, rev, ref.num, &node), 0);
	assert_int_equal(pdf_dict_get(&pf, &node.value, "Kids", &kids), 1);
	assert_int_equal(pdf_array_next(&pf, &kids, &pos, &v), 1);
	assert_int_equal(pdf_value_ref(&pf, &v, &ref), 0);
	assert_int_equal(pdf_object_find(&pf, rev, ref.num, &node), 0);
	assert_int_equal(pdf_dict_get(&pf, &node.value, "Contents", &v), 1);
	assert_int_equal(pdf_value_ref(&pf, &v, &ref), 0);
	assert_int_equal(pdf_object_find(&pf, rev, ref.num, &content), 0);
	assert_true(content.is_stream);
	*num = ref.num;
	*offset = content.stream_start;
	pdf_file_release(&pf);
}

static void
test_flipped_byte_fails(void **state)
{
	struct pdf_verify_result v;
	char *path, *data, *sig;
	size_t len, unsigned_len, offset;
	long num;
	FILE *f;

	(void)state;
	path = write_sample("flipped.pdf");
	unsigned_len = file_size(path);
	sign_ec(path);
	sign_rsa(path);

	assert_int_equal(fp_read_file(path, PDF_MAX_FILE_SIZE, &data, &len),
	    0);
	find_page_content(data, len, &num, &offset);
	offset += 10;
	/* inside both signed ranges, far from any /Contents padding */
	assert_true(offset < unsigned_len);
	data[offset] ^= 0x01;
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(data);

	sig = run_output("pdfsig -no-ocsp '%s'", path);
	assert_int_equal(count(sig, "Signature is Valid."), 0);
	assert_int_equal(count(sig, "Digest Mismatch."), 2);
	free(sig);

	assert_int_equal(pdf_verify(path, &v), FP_EVERIFY);
	assert_false(v.ok);
	assert_int_equal(v.n_signatures, 2);
	assert_false(v.signatures[0].valid);
	assert_false(v.signatures[1].valid);
	assert_has(v.message, "signature 1 (Signature1) does not verify: "
	    "the signed bytes changed");
	assert_has(fp_errmsg(), "does not verify");
	pdf_verify_result_free(&v);
	free(path);
}

/*
 * An update that replaces the page content, then a valid second
 * signature over it: pdfsig calls both valid, but the update did more
 * than add a signature.
 */
static void
test_signed_content_change_fails(void **state)
{
	struct pdf_verify_result v;
	struct pdf_file pf;
	struct fp_buf update = { 0 };
	const struct pdf_revision *last;
	char *path, *data, *sig;
	const char *content = "BT /F1 18 Tf 72 760 Td (Verdict: pass) Tj ET";
	size_t len, offset, xref_at;
	long num;

	(void)state;
	path = write_sample("content-change.pdf");
	sign_ec(path);

	/* Append an update that redefines the content stream object. */
	assert_int_equal(fp_read_file(path, PDF_MAX_FILE_SIZE, &data, &len),
	    0);
	find_page_content(data, len, &num, &offset);
	assert_int_equal(pdf_file_parse(&pf, data, len), 0);
	last = &pf.revisions[pf.n_revisions - 1];
	fp_buf_printf(&update, "%ld 0 obj\n<< /Length %zu >>\nstream\n%s\n"
	    "endstream\nendobj\n", num, strlen(content), content);
	xref_at = len + update.len;
	fp_buf_printf(&update, "xref\n%ld 1\n%010zu 00000 n\r\n", num, len);
	fp_buf_printf(&update, "trailer\n<< /Size %ld /Root %ld %d R "
	    "/Info %ld %d R /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n",
	    last->size, last->root.num, last->root.gen, last->info.num,
	    last->info.gen, last->xref, xref_at);
	append_file(path, update.data, update.len);
	pdf_file_release(&pf);
	fp_buf_free(&update);
	free(data);

	assert_int_equal(pdf_verify(path, &v), FP_EVERIFY);
	assert_has(v.message, "unsigned incremental update");
	pdf_verify_result_free(&v);

	sign_rsa(path);
	sig = run_output("pdfsig -no-ocsp '%s'", path);
	assert_int_equal(count(sig, "Signature is Valid."), 2);
	free(sig);

	assert_int_equal(pdf_verify(path, &v), FP_EVERIFY);
	assert_false(v.ok);
	assert_true(v.signatures[0].valid);
	assert_true(v.signatures[1].valid);
	assert_has(v.message, "does more than add a signature");
	assert_has(v.message, "(page content of page object");
	assert_lacks(v.message, "document information");
	pdf_verify_result_free(&v);
	free(path);
}

/* The zero padding after the CMS value is not signed: a change there must
 * still fail. */
static void
test_padding_change_fails(void **state)
{
	struct pdf_verify_result v;
	char *path, *data;
	size_t len, last_digit;
	FILE *f;

	(void)state;
	path = write_sample("padding.pdf");
	sign_ec(path);
	assert_int_equal(pdf_verify(path, &v), 0);
	last_digit = v.signatures[0].range[2] - 2;	/* before the ">" */
	pdf_verify_result_free(&v);

	assert_int_equal(fp_read_file(path, PDF_MAX_FILE_SIZE, &data, &len),
	    0);
	assert_int_equal(data[last_digit], '0');
	data[last_digit] = '1';
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(data);

	assert_int_equal(pdf_verify(path, &v), FP_EVERIFY);
	assert_has(v.message, "non-zero byte");
	assert_has(v.message, "padding after the CMS value");
	pdf_verify_result_free(&v);
	free(path);
}

/* Hard case 23: the verdict changed by an unsigned update after signing. */
static void
test_case23_fails(void **state)
{
	struct pdf_verify_result v;
	char *src = xasprintf("%s/%s", srcdir, CASE23);
	char *path = tmp_path("case23.pdf");

	(void)state;
	copy_file(src, path);
	assert_int_equal(pdf_verify(path, &v), FP_EVERIFY);
	assert_false(v.ok);
	assert_int_equal(v.n_signatures, 1);
	assert_true(v.signatures[0].valid);
	assert_false(v.signatures[0].whole_file);
	assert_string_equal(v.signatures[0].field, "Executor");
	assert_string_equal(v.signatures[0].signer, "failproof test signer");
	assert_int_equal(v.signed_length, 9347);
	assert_has(v.message, "an unsigned incremental update of 315 bytes "
	    "follows the last signature (Executor) at offset 9347");
	assert_has(v.message, "changes object 4 (page content");
	assert_has(v.message, "the signed document is bytes 0-9346");
	pdf_verify_result_free(&v);
	free(path);
	free(src);
}

static void
test_unsigned_file_fails(void **state)
{
	struct pdf_verify_result v;
	char *path;

	(void)state;
	path = write_sample("unsigned.pdf");
	assert_int_equal(pdf_verify(path, &v), FP_EVERIFY);
	assert_false(v.ok);
	assert_int_equal(v.n_signatures, 0);
	assert_has(v.message, "the file contains no signature");
	pdf_verify_result_free(&v);
	free(path);
}

static void
test_trailing_bytes_fail(void **state)
{
	struct pdf_verify_result v;
	char *path;

	(void)state;
	path = write_sample("trailing.pdf");
	sign_ec(path);
	append_file(path, "% appended\n", 11);
	assert_int_equal(pdf_verify(path, &v), FP_EVERIFY);
	assert_has(v.message, "11 unsigned bytes follow the last signature");
	pdf_verify_result_free(&v);
	free(path);
}

static void
test_missing_file_is_io_error(void **state)
{
	struct pdf_verify_result v;
	char *path = tmp_path("does-not-exist.pdf");

	(void)state;
	assert_int_equal(pdf_verify(path, &v), FP_EIO);
	pdf_verify_result_free(&v);
	free(path);
}

static void
test_not_pdf_is_invalid(void **state)
{
	struct pdf_verify_result v;
	char *path = tmp_path("not.pdf");

	(void)state;
	append_file(path, "hello\n", 6);
	assert_int_equal(pdf_verify(path, &v), FP_EINVAL);
	assert_has(fp_errmsg(), "not a PDF file");
	pdf_verify_result_free(&v);
	free(path);
}

static void
test_sign_rejects_ed25519(void **state)
{
	char *path, *key = key_path("ed.key"), *cert = key_path("ed.crt");

	(void)state;
	path = write_sample("ed25519.pdf");
	assert_int_equal(pdf_sign(path, key, cert, "Ed", NULL), FP_EINVAL);
	assert_has(fp_errmsg(), "Ed25519");
	assert_has(fp_errmsg(), "ECDSA P-256 or RSA");
	free(path);
	free(key);
	free(cert);
}

static void
test_sign_rejects_mismatched_key(void **state)
{
	char *path, *key = key_path("ec.key"), *cert = key_path("rsa.crt");

	(void)state;
	path = write_sample("mismatch.pdf");
	assert_int_equal(pdf_sign(path, key, cert, NULL, NULL), FP_EINVAL);
	assert_has(fp_errmsg(), "does not match");
	free(path);
	free(key);
	free(cert);
}

static void
test_sign_rejects_encrypted_key(void **state)
{
	char *path, *key = key_path("locked.key");
	char *cert = key_path("locked.crt");

	(void)state;
	path = write_sample("locked.pdf");
	assert_int_equal(pdf_sign(path, key, cert, NULL, NULL), FP_EINVAL);
	assert_has(fp_errmsg(), "encrypted");
	free(path);
	free(key);
	free(cert);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_passing_text),
		cmocka_unit_test(test_write_failing_text),
		cmocka_unit_test(test_write_info),
		cmocka_unit_test(test_write_minimal_report),
		cmocka_unit_test(test_write_hostile_text),
		cmocka_unit_test(test_write_rejects_bad_commit),
		cmocka_unit_test(test_sign_once_ecdsa),
		cmocka_unit_test(test_sign_once_rsa),
		cmocka_unit_test(test_sign_twice),
		cmocka_unit_test(test_flipped_byte_fails),
		cmocka_unit_test(test_signed_content_change_fails),
		cmocka_unit_test(test_padding_change_fails),
		cmocka_unit_test(test_case23_fails),
		cmocka_unit_test(test_unsigned_file_fails),
		cmocka_unit_test(test_trailing_bytes_fail),
		cmocka_unit_test(test_missing_file_is_io_error),
		cmocka_unit_test(test_not_pdf_is_invalid),
		cmocka_unit_test(test_sign_rejects_ed25519),
		cmocka_unit_test(test_sign_rejects_mismatched_key),
		cmocka_unit_test(test_sign_rejects_encrypted_key),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
