/*
 * Tests of the XML report: building and validating against
 * schema/report.xsd, signing with ECDSA P-256 and RSA 2048 keys made for
 * the run with the openssl command, and verifying with both xml_sign.c
 * and the xmlsec1 command, including documents changed after signing.
 *
 * Run from the top of the source tree, or set FP_SRCDIR to it.  Needs the
 * openssl, xmlsec1 and xmllint commands (Debian packages openssl, xmlsec1
 * and libxml2-utils).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlIO.h>

#include "report.h"
#include "report_xml.h"
#include "util.h"
#include "xml_sign.h"

#define EVIDENCE_COMMIT "3f9c2a17d04b8e6a51c7f0e2b9d4a6c8e1f03b57"
/* A report signed by xmlsec1 and pretty-printed afterwards. */
#define REFORMATTED "tests/data/xml/24-xmldsig-reformatted-after-signing"

static const char *srcdir = ".";
static char tmpdir[] = "/tmp/fp-test-xml-XXXXXX";

/* External entities named "secret" the parser asked to load. */
static int secret_opens;

#define assert_errmsg_has(needle) do { \
	if (strstr(fp_errmsg(), (needle)) == NULL) { \
		print_error("message \"%s\" does not contain \"%s\"\n", \
		    fp_errmsg(), (needle)); \
		fail(); \
	} \
} while (0)

static char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static char *
src_path(const char *name)
{
	return xasprintf("%s/%s", srcdir, name);
}

/* Run a shell command.  Returns its exit status, or -1 if it was killed. */
static int
run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
run(const char *fmt, ...)
{
	struct fp_buf cmd = { 0 };
	va_list ap;
	int status;

	va_start(ap, fmt);
	fp_buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	status = system(cmd.data);
	fp_buf_free(&cmd);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int
xmlsec1_verifies(const char *cert, const char *file)
{
	return run("xmlsec1 --verify --trusted-pem %s %s >/dev/null 2>&1",
	    cert, file) == 0;
}

/* Copy src to dst with the first "from" replaced by "to". */
static void
copy_replacing(const char *src, const char *dst, const char *from,
    const char *to)
{
	char *data = NULL, *hit;
	size_t len = 0;
	FILE *f;

	assert_int_equal(fp_read_file(src, 1 << 24, &data, &len), 0);
	hit = strstr(data, from);
	assert_non_null(hit);
	f = fopen(dst, "wb");
	assert_non_null(f);
	fwrite(data, 1, (size_t)(hit - data), f);
	fputs(to, f);
	fputs(hit + strlen(from), f);
	assert_int_equal(fclose(f), 0);
	free(data);
}

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int
file_contains(const char *path, const char *needle)
{
	char *data = NULL;
	size_t len = 0;
	int found;

	if (fp_read_file(path, 1 << 24, &data, &len) != 0)
		return 0;
	found = strstr(data, needle) != NULL;
	free(data);
	return found;
}

/*
 * An external entity loader that only counts requests for files named
 * "secret".  It replaces xmlsec's loader, which xmlSecInit() installs
 * and which rejects every external entity, so the tests see what the
 * parser itself would load.
 */
static xmlExternalEntityLoader saved_loader;

static xmlParserInputPtr
spy_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	if (url != NULL && strstr(url, "secret") != NULL) {
		secret_opens++;
		return NULL;
	}
	/* The document itself is loaded through here too. */
	return xmlNoNetExternalEntityLoader(url, id, ctxt);
}

static void
spy_begin(void)
{
	secret_opens = 0;
	saved_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(spy_loader);
}

static void
spy_end(void)
{
	xmlSetExternalEntityLoader(saved_loader);
}

/* The report model of a failed data-plane drill, written by hand. */

static struct rpt_ref ping_refs[] = {
	{ "ping-branch7.txt", "line", 41,
	    "9b1d5f0c2e7a4b68d3f1a9c0e5b7d2f4"
	    "a6c8e0b1d3f5a7c9e1b3d5f7a9c0e2b4" },
};
static struct rpt_ref esp_refs[] = {
	{ "fw-b.log", "line", 1057, NULL },
	{ "branch7-peer.pcapng", "packet", 3312,
	    "0d4c8e2a6f1b3d5c7e9a0b2d4f6a8c1e"
	    "3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a" },
};
static struct rpt_ref ike_refs[] = {
	{ "fw-b.log", "line", 1049, NULL },
};

static struct rpt_precondition preconditions[] = {
	{ "stateful-failover", "Stateful failover verified", "met",
	    "HA sync reported in sync before the drill", { 1, ike_refs } },
	{ "lifetimes-aligned", "IKE and IPsec lifetimes aligned", "attested",
	    "stated by the engineer", { 0, NULL } },
	{ "logging-enabled", "IKE, IPsec and failover logging enabled", "met",
	    NULL, { 0, NULL } },
	{ "traffic-before", "Traffic through the tunnel before the failure",
	    "met", "ping replies up to the failover", { 1, ping_refs } },
};

static struct rpt_criterion criteria[] = {
	{ "new-ike-sa", "A new IKE SA after failover", "pass",
	    "fw-b established IKE SA 7 with branch-7-gw", { 1, ike_refs } },
	{ "new-child-sa", "A new CHILD SA after failover", "pass", NULL,
	    { 1, ike_refs } },
	{ "traffic-resumed", "Traffic resumes without intervention", "fail",
	    "no ping reply after the failover until the end of the run",
	    { 1, ping_refs } },
	{ "no-asymmetric-routing", "No asymmetric routing", "inconclusive",
	    "captures were taken at the peer only", { 0, NULL } },
	{ "old-sas-removed", "Old SAs removed deterministically", "fail",
	    "the peer kept the primary's CHILD SA", { 2, esp_refs } },
	{ "mttr-recorded", "MTTR recorded", "fail",
	    "traffic never recovered", { 0, NULL } },
};

static struct rpt_step steps[] = {
	{ 1, "Did traffic recover in both directions within 5 s?", "no",
	    "no ping reply after 19:49:22.466", { 1, ping_refs } },
	{ 2, "Was an IKE negotiation observed after the failover?", "yes",
	    "IKE_AUTH completed at 19:49:23.876", { 1, ike_refs } },
	{ 3, "Is an IKE SA with the standby up while traffic drops?", "yes",
	    "ESP for SPI c1a2b3d4, which fw-b does not have", { 2, esp_refs } },
};

static struct rpt_loss_window loss_windows[] = {
	/* start and end are filled in by make_report() */
	{ "192.0.2.100 -> 203.0.113.100", 0, 0, -1, "ping", 200,
	    { 1, ping_refs } },
	{ "203.0.113.100 -> 192.0.2.100", 0, 0, 3084, "esp", 1,
	    { 2, esp_refs } },
};

static struct rpt_evidence evidence[] = {
	{ "fw-a.log", "syslog", "fw-a",
	    "5e0c1f3a7b9d2e4f6a8c0b1d3e5f7a9c2b4d6e8f0a1c3e5b7d9f2a4c6e8b0d1f",
	    EVIDENCE_COMMIT, 48213, 612, 0 },
	{ "fw-b.log", "syslog", "fw-b",
	    "a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d1e3f5a7b9c1d2e4f6a8b0c2d4e6f8a1b3",
	    EVIDENCE_COMMIT, 51877, 655, 0 },
	{ "ping-branch7.txt", "ping", NULL,
	    "9b1d5f0c2e7a4b68d3f1a9c0e5b7d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c0e2b4",
	    EVIDENCE_COMMIT, 9120, 120, 1 },
};

static struct rpt_timeline_event timeline[4];

static int64_t forward_bins[] = { 5, 5, 5, 0, 0, 0, 0, 0, 0, -1 };
static int64_t reverse_bins[] = { 5, 5, 5, 0, 0, 0, 5, 5, 5, 5 };
static struct rpt_series series[2];

static struct rpt_finding findings[] = {
	{ "vendor-default-timers", "DPD interval and IKE lifetime are the "
	    "vendor defaults and were never validated." },
};

static fp_time
at(const char *iso)
{
	fp_time t = FP_TIME_NONE;

	fp_time_parse_iso(iso, &t);
	return t;
}

static void
make_report(struct report *r)
{
	memset(r, 0, sizeof(*r));
	r->procedure_id = "VPN-HA-FAILOVER-TEST";
	r->procedure_title = "VPN high-availability failover test";
	r->procedure_revision = "3";
	r->change_category = "non-disruptive (controlled failure)";
	r->review_cycle = "quarterly";

	r->run_id = 17;
	r->tunnel = "hq-to-branch-7";
	r->scenario = 2;
	r->scenario_title = "Data-plane disruption";
	r->method = "power cut of the primary";
	r->executed_by = "Zoë Łukasiewicz-Nørgaard";
	r->primary = "fw-a";
	r->standby = "fw-b";
	r->peer = "branch-7-gw";
	r->roles_source = "stated";
	r->failover_at = at("2026-12-04T19:49:22.666Z");
	r->failover_source = "fw-b.log line 1042: HA state active";
	r->max_outage_ms = 5000;
	r->created_at = at("2026-12-04T19:40:00Z");

	r->verdict = "state-drift";
	r->cause = "spi-mismatch";
	r->summary = "The standby's IKE SA came up 1.2 s after the failover, "
	    "but the peer kept sending ESP for SPI c1a2b3d4, which the "
	    "standby does not have, so traffic did not resume.";
	r->mttr_ms = -1;
	r->mttr_source = "ping";
	r->mttr_resolution_ms = 200;
	r->child_sa_ms = 1210;
	r->loss_window_ms = -1;
	r->evaluated_at = at("2026-12-04T20:02:11.250Z");

	loss_windows[0].start = at("2026-12-04T19:49:22.466Z");
	loss_windows[0].end = FP_TIME_NONE;
	loss_windows[1].start = at("2026-12-04T19:49:22.512Z");
	loss_windows[1].end = at("2026-12-04T19:49:25.596Z");

	timeline[0] = (struct rpt_timeline_event){
	    at("2026-12-04T19:49:22.666Z"), "fw-b", "ha_failover",
	    "HA state changed to active" };
	timeline[1] = (struct rpt_timeline_event){
	    at("2026-12-04T19:49:23.876Z"), "fw-b", "ike_sa_established",
	    "IKE SA 7 with branch-7-gw <branch7@example.com>" };
	/* A hostile log line: an escape sequence and a stray byte. */
	timeline[2] = (struct rpt_timeline_event){
	    at("2026-12-04T19:49:24.001Z"), "branch-7-gw", "invalid_spi",
	    "\x1b[31mreceived ESP for unknown SPI c1a2b3d4 \xff" };
	timeline[3] = (struct rpt_timeline_event){
	    at("2026-12-04T19:49:25.596Z"), NULL, "tunnel_up",
	    "reverse direction delivers again" };

	series[0] = (struct rpt_series){ "192.0.2.100 -> 203.0.113.100",
	    at("2026-12-04T19:49:20Z"), 1000000, 10, forward_bins };
	series[1] = (struct rpt_series){ "203.0.113.100 -> 192.0.2.100",
	    at("2026-12-04T19:49:20Z"), 1000000, 10, reverse_bins };

	r->n_preconditions = sizeof(preconditions) / sizeof(preconditions[0]);
	r->preconditions = preconditions;
	r->n_criteria = sizeof(criteria) / sizeof(criteria[0]);
	r->criteria = criteria;
	r->n_steps = sizeof(steps) / sizeof(steps[0]);
	r->steps = steps;
	r->n_loss_windows = sizeof(loss_windows) / sizeof(loss_windows[0]);
	r->loss_windows = loss_windows;
	r->n_evidence = sizeof(evidence) / sizeof(evidence[0]);
	r->evidence = evidence;
	r->n_timeline = sizeof(timeline) / sizeof(timeline[0]);
	r->timeline = timeline;
	r->n_series = sizeof(series) / sizeof(series[0]);
	r->series = series;
	r->n_findings = sizeof(findings) / sizeof(findings[0]);
	r->findings = findings;

	r->defect_id = "DEF-2026-004";
	r->defect_status = "open";
	r->evidence_commit = EVIDENCE_COMMIT;
	r->generated_at = at("2026-12-04T20:05:00.125Z");
	r->tool_version = "0.1.0";
}

/* Keys and the two signed reports every test reads. */

static char *ec_key, *ec_crt, *rsa_key, *rsa_crt, *other_crt, *weak_key,
    *weak_crt, *ec_xml, *rsa_xml, *xsd;

static int
group_setup(void **state)
{
	const char *env = getenv("FP_SRCDIR");
	struct report r;

	(void)state;
	if (env != NULL && *env != '\0')
		srcdir = env;
	xsd = src_path("schema/report.xsd");
	if (access(xsd, R_OK) != 0) {
		fprintf(stderr, "test_xml: schema/report.xsd not found under "
		    "'%s': run from the source tree or set FP_SRCDIR\n",
		    srcdir);
		return -1;
	}
	setenv("FAILPROOF_DATADIR", srcdir, 1);
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	ec_key = tmp_path("ec.key");
	ec_crt = tmp_path("ec.crt");
	rsa_key = tmp_path("rsa.key");
	rsa_crt = tmp_path("rsa.crt");
	other_crt = tmp_path("other.crt");
	weak_key = tmp_path("weak.key");
	weak_crt = tmp_path("weak.crt");
	ec_xml = tmp_path("ec.xml");
	rsa_xml = tmp_path("rsa.xml");

	if (run("cd %s && exec >openssl.log 2>&1 && "
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	    "-nodes -days 2 -subj '/O=Example/CN=failproof ECDSA test signer' "
	    "-keyout ec.key -out ec.crt && "
	    "openssl req -x509 -newkey rsa:2048 -nodes -days 2 "
	    "-subj '/O=Example/CN=failproof RSA test signer' "
	    "-keyout rsa.key -out rsa.crt && "
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	    "-nodes -days 2 -subj '/O=Example/CN=someone else' "
	    "-keyout other.key -out other.crt && "
	    "openssl req -x509 -newkey rsa:1024 -nodes -days 2 "
	    "-subj '/O=Example/CN=weak key' -keyout weak.key -out weak.crt",
	    tmpdir) != 0) {
		fprintf(stderr, "test_xml: openssl could not create the test "
		    "keys: see %s/openssl.log\n", tmpdir);
		return -1;
	}

	make_report(&r);
	if (report_xml_write(&r, ec_xml, ec_key, ec_crt) != 0) {
		fprintf(stderr, "test_xml: %s\n", fp_errmsg());
		return -1;
	}
	r.reviewer = "Ana Pereira";
	r.review_decision = "accepted";
	r.reviewed_at = at("2026-12-05T09:12:44.5Z");
	if (report_xml_write(&r, rsa_xml, rsa_key, rsa_crt) != 0) {
		fprintf(stderr, "test_xml: %s\n", fp_errmsg());
		return -1;
	}

	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	xml_sign_shutdown();
	if (getenv("FP_KEEP_TMP") == NULL)
		run("rm -rf %s", tmpdir);
	free(ec_key);
	free(ec_crt);
	free(rsa_key);
	free(rsa_crt);
	free(other_crt);
	free(weak_key);
	free(weak_crt);
	free(ec_xml);
	free(rsa_xml);
	free(xsd);
	return 0;
}

/* Building and validation */

/* Parse a file with the verifier's parser. */
static xmlDocPtr
read_doc(const char *path)
{
	char *data = NULL;
	size_t len = 0;
	xmlDocPtr doc = NULL;

	assert_int_equal(fp_read_file(path, 1 << 24, &data, &len), 0);
	assert_int_equal(xml_read_memory(data, len, path, &doc), 0);
	free(data);
	return doc;
}

static void
build_validates_against_schema(void **state)
{
	struct report r;
	xmlDocPtr doc = NULL;

	(void)state;
	make_report(&r);
	assert_int_equal(report_xml_build(&r, &doc), 0);
	assert_int_equal(report_xml_validate(doc, xsd), 0);
	xmlFreeDoc(doc);
}

static void
build_uses_report_namespace(void **state)
{
	struct report r;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;

	(void)state;
	make_report(&r);
	assert_int_equal(report_xml_build(&r, &doc), 0);
	root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "report");
	assert_non_null(root->ns);
	assert_string_equal((const char *)root->ns->href, REPORT_XML_NS);
	xmlFreeDoc(doc);
}

static void
validate_rejects_unknown_verdict(void **state)
{
	struct report r;
	xmlDocPtr doc = NULL;

	(void)state;
	make_report(&r);
	r.verdict = "mostly-fine";
	r.cause = NULL;
	assert_int_equal(report_xml_build(&r, &doc), 0);
	assert_int_equal(report_xml_validate(doc, xsd), FP_EINVAL);
	assert_errmsg_has("(/report/verdict)");
	assert_errmsg_has("'mostly-fine'");
	xmlFreeDoc(doc);
}

static void
validate_rejects_bad_sha256(void **state)
{
	char *saved = evidence[1].sha256;
	struct report r;
	xmlDocPtr doc = NULL;

	(void)state;
	make_report(&r);
	evidence[1].sha256 = "A3B5C7";
	assert_int_equal(report_xml_build(&r, &doc), 0);
	evidence[1].sha256 = saved;
	assert_int_equal(report_xml_validate(doc, xsd), FP_EINVAL);
	assert_errmsg_has("(/report/evidence/file[2])");
	xmlFreeDoc(doc);
}

static void
validate_rejects_foreign_cause(void **state)
{
	struct report r;
	xmlDocPtr doc = NULL;

	(void)state;
	make_report(&r);
	r.cause = "dpd-mismatch";
	assert_int_equal(report_xml_build(&r, &doc), 0);
	assert_int_equal(report_xml_validate(doc, xsd), FP_EINVAL);
	assert_errmsg_has("cause 'dpd-mismatch' does not belong to verdict "
	    "'state-drift'");
	xmlFreeDoc(doc);
}

static void
validate_rejects_cause_of_pass(void **state)
{
	struct report r;
	xmlDocPtr doc = NULL;

	(void)state;
	make_report(&r);
	r.verdict = "pass";
	assert_int_equal(report_xml_build(&r, &doc), 0);
	assert_int_equal(report_xml_validate(doc, xsd), FP_EINVAL);
	assert_errmsg_has("the verdict 'pass' has no cause");
	xmlFreeDoc(doc);
}

static void
validate_reports_line_numbers(void **state)
{
	char *path = tmp_path("bad-line.xml");
	xmlDocPtr doc;

	(void)state;
	/* The writer puts <verdict> on line 18 of the file. */
	copy_replacing(ec_xml, path, "value=\"state-drift\"",
	    "value=\"bogus\"");
	doc = read_doc(path);
	assert_int_equal(report_xml_validate(doc, xsd), FP_EINVAL);
	assert_errmsg_has("line 18 (/report/verdict)");
	xmlFreeDoc(doc);
	free(path);
}

static void
build_escapes_hostile_text(void **state)
{
	(void)state;
	assert_true(file_contains(ec_xml, ">\\x1b[31mreceived ESP"));
	assert_true(file_contains(ec_xml, "c1a2b3d4 \\xff</event>"));
}

static void
build_keeps_non_ascii_name(void **state)
{
	(void)state;
	assert_true(file_contains(ec_xml,
	    "<executed-by>Zoë Łukasiewicz-Nørgaard</executed-by>"));
}

static void
build_leaves_out_absent_values(void **state)
{
	(void)state;
	assert_true(file_contains(ec_xml, "<metrics recovered=\"false\" "
	    "mttr-source=\"ping\" mttr-resolution-ms=\"200\" "
	    "child-sa-ms=\"1210\">"));
	assert_true(file_contains(ec_xml, "start=\"2026-12-04T19:49:22."
	    "466000Z\" open=\"true\" source=\"ping\""));
}

static void
build_writes_pending_signoff(void **state)
{
	(void)state;
	assert_true(file_contains(ec_xml, "<signoff>\n    <pending/>\n"));
}

static void
build_writes_review(void **state)
{
	(void)state;
	assert_true(file_contains(rsa_xml, "<review decision=\"accepted\" "
	    "at=\"2026-12-05T09:12:44.500000Z\">"));
}

/* Signed output */

static void
signed_file_validates(void **state)
{
	xmlDocPtr doc;

	(void)state;
	doc = read_doc(ec_xml);
	assert_int_equal(report_xml_validate(doc, xsd), 0);
	xmlFreeDoc(doc);
}

static void
signature_is_last_child(void **state)
{
	xmlDocPtr doc;
	xmlNodePtr last;

	(void)state;
	doc = read_doc(ec_xml);
	last = xmlDocGetRootElement(doc)->last;
	while (last != NULL && last->type != XML_ELEMENT_NODE)
		last = last->prev;
	assert_non_null(last);
	assert_string_equal((const char *)last->name, "Signature");
	assert_string_equal((const char *)last->ns->href,
	    "http://www.w3.org/2000/09/xmldsig#");
	xmlFreeDoc(doc);
}

static void
ecdsa_uses_ecdsa_sha256(void **state)
{
	(void)state;
	assert_true(file_contains(ec_xml, "Algorithm=\"http://www.w3.org/2001/"
	    "04/xmldsig-more#ecdsa-sha256\""));
}

static void
signature_uses_exclusive_c14n(void **state)
{
	(void)state;
	assert_true(file_contains(ec_xml, "<ds:CanonicalizationMethod "
	    "Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"));
}

static void
rsa_uses_rsa_sha256(void **state)
{
	(void)state;
	assert_true(file_contains(rsa_xml, "Algorithm=\"http://www.w3.org/"
	    "2001/04/xmldsig-more#rsa-sha256\""));
}

static void
xmlsec1_accepts_ecdsa(void **state)
{
	(void)state;
	assert_true(xmlsec1_verifies(ec_crt, ec_xml));
}

static void
xmlsec1_accepts_rsa(void **state)
{
	(void)state;
	assert_true(xmlsec1_verifies(rsa_crt, rsa_xml));
}

static void
verify_accepts_ecdsa(void **state)
{
	struct xml_verify_result res;

	(void)state;
	assert_int_equal(xml_verify_file(ec_xml, ec_crt, &res), 0);
	assert_int_equal(res.n_signers, 1);
	assert_int_equal(res.signers[0].trusted, 1);
	assert_string_equal(res.signers[0].subject,
	    "CN=failproof ECDSA test signer, O=Example");
	assert_string_equal(res.evidence_commit, EVIDENCE_COMMIT);
	xml_verify_result_release(&res);
}

static void
verify_accepts_rsa(void **state)
{
	struct xml_verify_result res;

	(void)state;
	assert_int_equal(xml_verify_file(rsa_xml, rsa_crt, &res), 0);
	assert_int_equal(res.signers[0].trusted, 1);
	assert_string_equal(res.signers[0].subject,
	    "CN=failproof RSA test signer, O=Example");
	xml_verify_result_release(&res);
}

static void
verify_without_trust_marks_untrusted(void **state)
{
	struct xml_verify_result res;

	(void)state;
	assert_int_equal(xml_verify_file(ec_xml, NULL, &res), 0);
	assert_int_equal(res.signers[0].trusted, 0);
	assert_int_equal(strlen(res.signers[0].fingerprint), 64);
	xml_verify_result_release(&res);
}

static void
verify_rejects_other_signer(void **state)
{
	struct xml_verify_result res;

	(void)state;
	assert_int_equal(xml_verify_file(ec_xml, other_crt, &res), FP_EVERIFY);
	assert_errmsg_has("the signature is intact but its signer "
	    "'CN=failproof ECDSA test signer, O=Example'");
	assert_errmsg_has("is not trusted");
	assert_null(res.signers);
}

/* Documents changed after signing */

static void
changed_verdict_text_rejected(void **state)
{
	char *path = tmp_path("changed-summary.xml");
	struct xml_verify_result res;

	(void)state;
	copy_replacing(ec_xml, path, "so traffic did not resume.",
	    "so traffic did resume.");
	assert_false(xmlsec1_verifies(ec_crt, path));
	assert_int_equal(xml_verify_file(path, ec_crt, &res), FP_EVERIFY);
	assert_errmsg_has("digest mismatch for Reference URI=\"\"");
	assert_errmsg_has("the signed content changed after signing");
	free(path);
}

static void
changed_attribute_rejected(void **state)
{
	char *path = tmp_path("changed-verdict.xml");
	struct xml_verify_result res;

	(void)state;
	copy_replacing(rsa_xml, path, "<verdict value=\"state-drift\" "
	    "cause=\"spi-mismatch\"", "<verdict value=\"pass\"");
	assert_false(xmlsec1_verifies(rsa_crt, path));
	assert_int_equal(xml_verify_file(path, rsa_crt, &res), FP_EVERIFY);
	assert_errmsg_has("the signed content changed after signing");
	free(path);
}

static void
changed_signature_value_rejected(void **state)
{
	char *path = tmp_path("changed-signature.xml");
	struct xml_verify_result res;

	(void)state;
	copy_replacing(rsa_xml, path, "<ds:SignatureValue>",
	    "<ds:SignatureValue>AAAA");
	assert_false(xmlsec1_verifies(rsa_crt, path));
	assert_int_equal(xml_verify_file(path, rsa_crt, &res), FP_EVERIFY);
	assert_errmsg_has("the signature value does not match SignedInfo");
	free(path);
}

/* xmllint --format re-indents only the signature of failproof's output. */
static void
reindented_file_rejected(void **state)
{
	char *path = tmp_path("reindented.xml");
	struct xml_verify_result res;

	(void)state;
	assert_int_equal(run("xmllint --format %s > %s", ec_xml, path), 0);
	assert_false(xmlsec1_verifies(ec_crt, path));
	assert_int_equal(xml_verify_file(path, ec_crt, &res), FP_EVERIFY);
	assert_errmsg_has("reformatted or its whitespace changed");
	free(path);
}

/* With tabs the signed content changes as well. */
static void
tab_indented_file_rejected(void **state)
{
	char *path = tmp_path("tab-indented.xml");
	struct xml_verify_result res;

	(void)state;
	assert_int_equal(run("XMLLINT_INDENT='\t' xmllint --format %s > %s",
	    rsa_xml, path), 0);
	assert_false(xmlsec1_verifies(rsa_crt, path));
	assert_int_equal(xml_verify_file(path, rsa_crt, &res), FP_EVERIFY);
	assert_errmsg_has("digest mismatch for Reference URI=\"\" (the whole "
	    "document, enveloped)");
	assert_errmsg_has("reformatted or its whitespace changed");
	free(path);
}

/*
 * A report signed by xmlsec1 and pretty-printed with xmllint --format
 * afterwards.  The digest no longer matches, and the cause is whitespace.
 */
static void
pretty_printed_sample_rejected(void **state)
{
	char *cert = src_path(REFORMATTED ".signer.pem");
	char *path = src_path(REFORMATTED ".input.xml");
	struct xml_verify_result res;

	(void)state;
	assert_int_equal(xml_verify_file(path, cert, &res), FP_EVERIFY);
	assert_errmsg_has("digest mismatch for Reference URI=\"\" (the whole "
	    "document, enveloped)");
	assert_errmsg_has("the document was reformatted or its whitespace "
	    "changed after signing");
	free(cert);
	free(path);
}

static void
pretty_printed_sample_fails_xmlsec1(void **state)
{
	char *cert = src_path(REFORMATTED ".signer.pem");
	char *path = src_path(REFORMATTED ".input.xml");

	(void)state;
	assert_false(xmlsec1_verifies(cert, path));
	free(cert);
	free(path);
}

static void
signed_sample_verifies(void **state)
{
	char *cert = src_path(REFORMATTED ".signer.pem");
	char *path = src_path(REFORMATTED ".original.xml");
	struct xml_verify_result res;

	(void)state;
	assert_int_equal(xml_verify_file(path, cert, &res), 0);
	assert_string_equal(res.signers[0].subject,
	    "CN=failproof test signer, O=Example");
	assert_null(res.evidence_commit);
	xml_verify_result_release(&res);
	free(cert);
	free(path);
}

/* Hostile and malformed input */

static void
doctype_rejected_unread(void **state)
{
	char *secret = tmp_path("secret.txt"), *path = tmp_path("doctype.xml");
	char *doc;
	struct xml_verify_result res;

	(void)state;
	write_text(secret, "TOP-SECRET-CONTENT\n");
	doc = xasprintf("<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE report [\n"
	    "  <!ENTITY leak SYSTEM \"file://%s\">\n"
	    "]>\n"
	    "<report xmlns=\"" REPORT_XML_NS "\">&leak;</report>\n", secret);
	write_text(path, doc);
	spy_begin();
	assert_int_equal(xml_verify_file(path, NULL, &res), FP_EINVAL);
	spy_end();
	assert_errmsg_has("line 2: DOCTYPE declarations are not allowed");
	assert_int_equal(secret_opens, 0);
	assert_null(strstr(fp_errmsg(), "TOP-SECRET"));
	free(doc);
	free(secret);
	free(path);
}

/* The spy above must see an entity load, or the test above proves nothing. */
static void
spy_sees_entity_loads(void **state)
{
	char *secret = tmp_path("secret.txt"), *path = tmp_path("entity.xml");
	char *doc;
	xmlDocPtr parsed;

	(void)state;
	write_text(secret, "TOP-SECRET-CONTENT\n");
	doc = xasprintf("<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE r [<!ENTITY leak SYSTEM \"file://%s\">]>\n"
	    "<r>&leak;</r>\n", secret);
	write_text(path, doc);
	spy_begin();
	parsed = xmlReadFile(path, NULL, XML_PARSE_NOENT | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);
	spy_end();
	assert_int_not_equal(secret_opens, 0);
	xmlFreeDoc(parsed);
	free(doc);
	free(secret);
	free(path);
}

static void
unsigned_file_rejected(void **state)
{
	char *path = tmp_path("unsigned.xml");
	struct xml_verify_result res;

	(void)state;
	write_text(path, "<report xmlns=\"" REPORT_XML_NS "\"/>\n");
	assert_int_equal(xml_verify_file(path, NULL, &res), FP_EVERIFY);
	assert_errmsg_has("no ds:Signature element");
	free(path);
}

static void
malformed_file_rejected(void **state)
{
	char *path = tmp_path("truncated.xml");
	struct xml_verify_result res;

	(void)state;
	write_text(path, "<report xmlns=\"" REPORT_XML_NS "\">\n<run>\n");
	assert_int_equal(xml_verify_file(path, NULL, &res), FP_EINVAL);
	assert_errmsg_has("not well-formed XML");
	free(path);
}

static void
external_reference_rejected(void **state)
{
	char *path = tmp_path("external-ref.xml");
	char *target = tmp_path("secret-ref.xml"), *uri;
	struct xml_verify_result res;

	(void)state;
	write_text(target, "<x/>\n");
	uri = xasprintf("<ds:Reference URI=\"file://%s\">", target);
	copy_replacing(ec_xml, path, "<ds:Reference URI=\"\">", uri);
	assert_int_equal(xml_verify_file(path, NULL, &res), FP_EVERIFY);
	assert_errmsg_has("invalid URI type");
	assert_errmsg_has("accepts only an enveloped signature over the "
	    "whole document");
	free(uri);
	free(target);
	free(path);
}

static void
sha1_digest_rejected(void **state)
{
	char *path = tmp_path("sha1.xml");
	struct xml_verify_result res;

	(void)state;
	copy_replacing(ec_xml, path, "http://www.w3.org/2001/04/xmlenc#sha256",
	    "http://www.w3.org/2000/09/xmldsig#sha1");
	assert_int_equal(xml_verify_file(path, NULL, &res), FP_EVERIFY);
	assert_errmsg_has("href=http://www.w3.org/2000/09/xmldsig#sha1");
	free(path);
}

static void
missing_certificate_rejected(void **state)
{
	char *path = tmp_path("no-cert.xml");
	struct xml_verify_result res;

	(void)state;
	copy_replacing(ec_xml, path, "<ds:X509Data><ds:X509Certificate>",
	    "<ds:X509Data><ds:X509SubjectName>CN=x</ds:X509SubjectName>"
	    "<ds:X509Certificate>");
	copy_replacing(path, path, "<ds:X509Certificate>", "<ds:Object>");
	copy_replacing(path, path, "</ds:X509Certificate>", "</ds:Object>");
	assert_int_equal(xml_verify_file(path, NULL, &res), FP_EVERIFY);
	assert_errmsg_has("no certificate in KeyInfo/X509Data");
	free(path);
}

/* Signing rules */

static void
sign_rejects_signed_document(void **state)
{
	xmlDocPtr doc;

	(void)state;
	doc = read_doc(ec_xml);
	assert_int_equal(xml_sign_doc(doc, rsa_key, rsa_crt), FP_EINVAL);
	assert_errmsg_has("already signed");
	xmlFreeDoc(doc);
}

static void
sign_rejects_weak_rsa(void **state)
{
	char *path = tmp_path("weak.xml");
	struct report r;

	(void)state;
	make_report(&r);
	assert_int_equal(report_xml_write(&r, path, weak_key, weak_crt),
	    FP_EINVAL);
	assert_errmsg_has("has 1024 bits");
	assert_int_not_equal(access(path, F_OK), 0);
	free(path);
}

static void
sign_rejects_mismatched_cert(void **state)
{
	char *path = tmp_path("mismatch.xml");
	struct report r;

	(void)state;
	make_report(&r);
	assert_int_equal(report_xml_write(&r, path, ec_key, other_crt),
	    FP_EINVAL);
	assert_errmsg_has("does not match the private key");
	free(path);
}

static void
sign_failure_leaves_document(void **state)
{
	struct report r;
	xmlDocPtr doc = NULL;
	xmlChar *before = NULL, *after = NULL;
	int before_len = 0, after_len = 0;

	(void)state;
	make_report(&r);
	assert_int_equal(report_xml_build(&r, &doc), 0);
	xmlDocDumpMemory(doc, &before, &before_len);
	assert_int_equal(xml_sign_doc(doc, ec_key, other_crt), FP_EINVAL);
	xmlDocDumpMemory(doc, &after, &after_len);
	assert_string_equal((const char *)after, (const char *)before);
	xmlFree(before);
	xmlFree(after);
	xmlFreeDoc(doc);
}

static void
write_rejects_invalid_model(void **state)
{
	char *path = tmp_path("invalid.xml");
	struct report r;

	(void)state;
	make_report(&r);
	r.evidence_commit = "not-a-commit";
	assert_int_equal(report_xml_write(&r, path, ec_key, ec_crt),
	    FP_EINVAL);
	assert_errmsg_has("(/report/provenance)");
	assert_int_not_equal(access(path, F_OK), 0);
	free(path);
}

static void
shutdown_restores_entity_loader(void **state)
{
	xmlExternalEntityLoader before;

	(void)state;
	xml_sign_shutdown();
	before = xmlGetExternalEntityLoader();
	assert_int_equal(xml_sign_init(), 0);
	xml_sign_shutdown();
	assert_ptr_equal(xmlGetExternalEntityLoader(), before);
	assert_int_equal(xml_sign_init(), 0);
}

static void
init_is_idempotent(void **state)
{
	(void)state;
	assert_int_equal(xml_sign_init(), 0);
	assert_int_equal(xml_sign_init(), 0);
	xml_sign_shutdown();
	xml_sign_shutdown();
	assert_int_equal(xml_sign_init(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(build_validates_against_schema),
		cmocka_unit_test(build_uses_report_namespace),
		cmocka_unit_test(validate_rejects_unknown_verdict),
		cmocka_unit_test(validate_rejects_bad_sha256),
		cmocka_unit_test(validate_rejects_foreign_cause),
		cmocka_unit_test(validate_rejects_cause_of_pass),
		cmocka_unit_test(validate_reports_line_numbers),
		cmocka_unit_test(build_escapes_hostile_text),
		cmocka_unit_test(build_keeps_non_ascii_name),
		cmocka_unit_test(build_leaves_out_absent_values),
		cmocka_unit_test(build_writes_pending_signoff),
		cmocka_unit_test(build_writes_review),
		cmocka_unit_test(signed_file_validates),
		cmocka_unit_test(signature_is_last_child),
		cmocka_unit_test(ecdsa_uses_ecdsa_sha256),
		cmocka_unit_test(signature_uses_exclusive_c14n),
		cmocka_unit_test(rsa_uses_rsa_sha256),
		cmocka_unit_test(xmlsec1_accepts_ecdsa),
		cmocka_unit_test(xmlsec1_accepts_rsa),
		cmocka_unit_test(verify_accepts_ecdsa),
		cmocka_unit_test(verify_accepts_rsa),
		cmocka_unit_test(verify_without_trust_marks_untrusted),
		cmocka_unit_test(verify_rejects_other_signer),
		cmocka_unit_test(changed_verdict_text_rejected),
		cmocka_unit_test(changed_attribute_rejected),
		cmocka_unit_test(changed_signature_value_rejected),
		cmocka_unit_test(reindented_file_rejected),
		cmocka_unit_test(tab_indented_file_rejected),
		cmocka_unit_test(pretty_printed_sample_rejected),
		cmocka_unit_test(pretty_printed_sample_fails_xmlsec1),
		cmocka_unit_test(signed_sample_verifies),
		cmocka_unit_test(doctype_rejected_unread),
		cmocka_unit_test(spy_sees_entity_loads),
		cmocka_unit_test(unsigned_file_rejected),
		cmocka_unit_test(malformed_file_rejected),
		cmocka_unit_test(external_reference_rejected),
		cmocka_unit_test(sha1_digest_rejected),
		cmocka_unit_test(missing_certificate_rejected),
		cmocka_unit_test(sign_rejects_signed_document),
		cmocka_unit_test(sign_rejects_weak_rsa),
		cmocka_unit_test(sign_rejects_mismatched_cert),
		cmocka_unit_test(sign_failure_leaves_document),
		cmocka_unit_test(write_rejects_invalid_model),
		cmocka_unit_test(shutdown_restores_entity_loader),
		cmocka_unit_test(init_is_idempotent),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
