/* JUnit XML from the quarterly model, written with libxml2's writer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "junit_export.h"

/* "2026-12-04T19:49:25": the schema's timestamp has no zone; it is UTC. */
static void
junit_time(fp_time t, char buf[FP_TIME_STRLEN])
{
	fp_time_format(t, buf, FP_TIME_STRLEN);
	buf[19] = '\0';
}

static void
seconds(int64_t ms, char buf[32])
{
	snprintf(buf, 32, "%lld.%03lld", (long long)(ms / 1000),
	    (long long)(ms % 1000));
}

/* Counts of one tunnel's test cases. */
struct tally {
	int tests, failures, skipped;
	int64_t ms;
	fp_time first;
};

static int
is_failure(const struct q_run *r)
{
	return r->verdict != NULL && strcmp(r->verdict, "pass") != 0 &&
	    strcmp(r->verdict, "inconclusive") != 0;
}

static struct tally
count(const struct quarterly *q, const char *tunnel)
{
	struct tally t = { 0, 0, 0, 0, FP_TIME_NONE };

	for (size_t i = 0; i < q->n_runs; i++) {
		const struct q_run *r = &q->runs[i];

		if (strcmp(r->tunnel, tunnel) != 0)
			continue;
		t.tests++;
		t.failures += is_failure(r);
		t.skipped += r->verdict == NULL ||
		    strcmp(r->verdict, "inconclusive") == 0;
		t.ms += r->mttr_ms > 0 ? r->mttr_ms : 0;
		if (t.first == FP_TIME_NONE || r->at < t.first)
			t.first = r->at;
	}
	return t;
}

static int
write_case(xmlTextWriterPtr w, const struct q_run *r)
{
	char classname[128], name[64], time[32];
	int rc = 0;

	snprintf(classname, sizeof(classname), "%s.scenario-%d", r->tunnel,
	    r->scenario);
	snprintf(name, sizeof(name), "run %ld", r->id);
	seconds(r->mttr_ms > 0 ? r->mttr_ms : 0, time);
	rc |= xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "name",
	    BAD_CAST name) < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "classname",
	    BAD_CAST classname) < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "time",
	    BAD_CAST time) < 0;
	if (is_failure(r)) {
		char *message = xasprintf("%s%s%s", r->verdict,
		    r->cause ? ": " : "", r->cause ? r->cause : "");

		rc |= xmlTextWriterStartElement(w, BAD_CAST "failure") < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "message",
		    BAD_CAST message) < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "type",
		    BAD_CAST r->verdict) < 0;
		rc |= xmlTextWriterWriteFormatString(w, "run %ld on tunnel %s, "
		    "scenario %d: %s, outcome %s", r->id, r->tunnel,
		    r->scenario, message, r->outcome ? r->outcome : "-") < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
		free(message);
	} else if (r->verdict == NULL || strcmp(r->verdict, "inconclusive") ==
	    0) {
		rc |= xmlTextWriterWriteElement(w, BAD_CAST "skipped",
		    BAD_CAST "") < 0;
	}
	rc |= xmlTextWriterEndElement(w) < 0;
	return rc;
}

int
junit_export(const struct quarterly *q, const char *path)
{
	xmlTextWriterPtr w;
	char stamp[FP_TIME_STRLEN], time[32], number[16];
	int rc = 0, id = 0;

	w = xmlNewTextWriterFilename(path, 0);
	if (w == NULL)
		return fp_fail(FP_EIO, "cannot write '%s'", path);
	xmlTextWriterSetIndent(w, 1);
	rc |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	rc |= xmlTextWriterStartElement(w, BAD_CAST "testsuites") < 0;
	for (size_t t = 0; t < q->n_tunnels && rc == 0; t++) {
		const char *tunnel = q->tunnels[t].name;
		struct tally n = count(q, tunnel);

		if (n.tests == 0)
			continue;
		junit_time(n.first, stamp);
		seconds(n.ms, time);
		snprintf(number, sizeof(number), "%d", id++);
		rc |= xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "name",
		    BAD_CAST tunnel) < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "package",
		    BAD_CAST q->procedure_id) < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "id",
		    BAD_CAST number) < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "timestamp",
		    BAD_CAST stamp) < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "hostname",
		    BAD_CAST "localhost") < 0;
		rc |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "tests",
		    "%d", n.tests) < 0;
		rc |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "failures",
		    "%d", n.failures) < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "errors",
		    BAD_CAST "0") < 0;
		rc |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "skipped",
		    "%d", n.skipped) < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "time",
		    BAD_CAST time) < 0;

		rc |= xmlTextWriterStartElement(w, BAD_CAST "properties") < 0;
		rc |= xmlTextWriterStartElement(w, BAD_CAST "property") < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "name",
		    BAD_CAST "period") < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "value",
		    BAD_CAST q->label) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
		for (size_t i = 0; i < q->n_runs; i++)
			if (strcmp(q->runs[i].tunnel, tunnel) == 0)
				rc |= write_case(w, &q->runs[i]);
		rc |= xmlTextWriterWriteElement(w, BAD_CAST "system-out",
		    BAD_CAST "") < 0;
		rc |= xmlTextWriterWriteElement(w, BAD_CAST "system-err",
		    BAD_CAST "") < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	rc |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	if (rc != 0)
		return fp_fail(FP_EIO, "cannot write the JUnit report '%s'",
		    path);
	return 0;
}
