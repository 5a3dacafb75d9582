/*
 * Waivers of a run's criterion or of a design defect.  Each is a record
 * file runs/run-000N/waivers/waiver-K.json (N the run, or the run that
 * opened the defect) committed with the approver as the author.
 */
#include <stdlib.h>
#include <string.h>

#include "review_record.h"
#include "schedule.h"
#include "waiver.h"

static int
check_request(const struct waiver_request *req, fp_time now,
    fp_time *expires)
{
	int rc;

	if ((req->criterion != NULL) == (req->defect > 0))
		return fp_fail(FP_EINVAL, "name what is waived: --run ID "
		    "--criterion ID, or --defect ID");
	if (req->criterion != NULL && req->run <= 0)
		return fp_fail(FP_EINVAL, "--criterion needs --run ID");
	if ((rc = actor_name_check(req->approver, "--approver")) != 0)
		return rc;
	if (req->justification == NULL ||
	    strspn(req->justification, " \t\r\n") ==
	    strlen(req->justification))
		return fp_fail(FP_EINVAL, "--justification is required: say "
		    "why the risk is accepted");
	if (req->expires == NULL)
		return fp_fail(FP_EINVAL, "--expires is required: a waiver "
		    "without an end is not accepted");
	if ((rc = schedule_parse_date("--expires", req->expires,
	    expires)) != 0)
		return rc;
	if (*expires <= now)
		return fp_fail(FP_EINVAL, "--expires '%s' is not in the future "
		    "(expiry is compared in UTC)", req->expires);
	return 0;
}

/* Check the target and find the run whose folder keeps the record. */
static int
check_target(struct workspace *ws, const struct waiver_request *req,
    struct fp_run *run)
{
	struct store_defect d = { 0 };
	struct procedure proc = { 0 };
	long run_id = req->run;
	int rc;

	if (req->defect > 0) {
		if ((rc = store_defect_get(ws->store, req->defect, &d)) != 0)
			return rc;
		if (strcmp(d.status, "verified") == 0) {
			store_defect_release(&d);
			return fp_fail(FP_EDENIED, "defect %ld is verified by "
			    "run %ld: there is nothing left to waive",
			    req->defect, d.closed_by_run);
		}
		run_id = d.run;
		store_defect_release(&d);
	}
	if ((rc = store_run_get(ws->store, run_id, run)) != 0)
		return rc;
	if (req->criterion != NULL) {
		if ((rc = record_run_procedure(ws, run, &proc)) != 0)
			return rc;
		if (procedure_criterion(&proc, req->criterion) == NULL)
			rc = fp_fail(FP_ENOTFOUND, "unknown criterion '%s': "
			    "the procedure's criteria are listed by "
			    "'failproof evaluate --json %ld'", req->criterion,
			    run_id);
		procedure_release(&proc);
		if (rc != 0)
			return rc;
	}
	if (actor_same(req->approver, run->executed_by))
		return fp_fail(FP_EDENIED, "approver '%s' executed run %ld: "
		    "a waiver is a review decision and needs someone who did "
		    "not run the test", req->approver, run->id);
	return 0;
}

static char *
target_text(const struct store_waiver *w)
{
	if (w->criterion != NULL)
		return xasprintf("criterion %s of run %ld", w->criterion,
		    w->run);
	return xasprintf("defect %ld", w->defect);
}

int
waiver_create(struct workspace *ws, const struct waiver_request *req,
    struct store_waiver *out)
{
	struct fp_run run = { 0 };
	char *rundir = NULL, *dir = NULL, *rel = NULL, *msg = NULL;
	char *target = NULL, expires[FP_TIME_STRLEN];
	fp_time now = fp_now();
	json_t *body = NULL;
	long number;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = check_request(req, now, &out->expires_at)) != 0 ||
	    (rc = check_target(ws, req, &run)) != 0)
		goto out;
	out->run = req->criterion ? req->run : 0;
	out->criterion = req->criterion ? xstrdup(req->criterion) : NULL;
	out->defect = req->defect;
	out->justification = xstrdup(req->justification);
	out->approver = xstrdup(req->approver);
	/* The record states milliseconds; the row keeps the same instant. */
	out->created_at = now - now % 1000;

	fp_time_format_ms(out->expires_at, expires, sizeof(expires));
	target = target_text(out);
	rundir = workspace_run_dir(run.id);
	dir = xasprintf("%s/waivers", rundir);
	rel = record_next_path(ws, dir, "waiver", &number);
	body = json_pack("{s:s, s:s, s:s, s:o, s:o}", "target", target,
	    "justification", req->justification, "approver", req->approver,
	    "expires_at", record_time_json(out->expires_at), "created_at",
	    record_time_json(now));
	json_object_set_new(body, "run", out->run ? json_integer(out->run) :
	    json_null());
	json_object_set_new(body, "criterion", out->criterion ?
	    json_string(out->criterion) : json_null());
	json_object_set_new(body, "defect", out->defect ?
	    json_integer(out->defect) : json_null());
	msg = xasprintf("Waive %s until %s\n\napprover: %s\n"
	    "justification: %s\nexpires: %s (UTC)\n", target, expires,
	    req->approver, req->justification, expires);
	if ((rc = record_commit(ws, rel, body, req->approver, msg,
	    &out->record)) != 0)
		goto out;
	rc = store_waiver_insert(ws->store, out);
out:
	json_decref(body);
	free(target);
	free(msg);
	free(rel);
	free(dir);
	free(rundir);
	fp_run_release(&run);
	return rc;
}

void
waiver_release(struct store_waiver *w)
{
	free(w->criterion);
	free(w->justification);
	free(w->approver);
	store_record_release(&w->record);
	memset(w, 0, sizeof(*w));
}

int
waiver_active(const struct store_waiver *w, fp_time now)
{
	return now < w->expires_at;
}

const char *
waiver_status(const struct store_waiver *v, size_t n, long run,
    const char *criterion, long defect, fp_time now,
    const struct store_waiver **which)
{
	const struct store_waiver *latest = NULL, *active = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct store_waiver *w = &v[i];

		if (criterion != NULL && (w->criterion == NULL ||
		    w->run != run || strcmp(w->criterion, criterion) != 0))
			continue;
		if (criterion == NULL && w->defect != defect)
			continue;
		latest = w;
		if (waiver_active(w, now))
			active = w;
	}
	if (which != NULL)
		*which = active ? active : latest;
	if (active != NULL)
		return "waived";
	return latest != NULL ? "not-reviewed" : NULL;
}

char *
waiver_describe(const struct store_waiver *w, fp_time now)
{
	char expires[FP_TIME_STRLEN], *target, *text;

	fp_time_format_ms(w->expires_at, expires, sizeof(expires));
	target = target_text(w);
	if (waiver_active(w, now))
		text = xasprintf("%s waived by %s until %s (UTC): %s", target,
		    w->approver, expires, w->justification);
	else
		text = xasprintf("%s not reviewed: the waiver by %s expired "
		    "%s (UTC): %s", target, w->approver, expires,
		    w->justification);
	free(target);
	return text;
}

json_t *
waiver_json(const struct store_waiver *w, fp_time now)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)w->id,
	    "approver", w->approver, "justification", w->justification,
	    "expires_at", record_time_json(w->expires_at), "status",
	    waiver_active(w, now) ? "active" : "expired");
}

int
waiver_annotate(struct workspace *ws, long run, json_t *result, fp_time now)
{
	struct store_waiver *v = NULL;
	const struct store_waiver *w;
	const char *status;
	size_t n = 0, i;
	json_t *c;
	int rc;

	if ((rc = store_waiver_list(ws->store, run, &v, &n)) != 0)
		return rc;
	json_array_foreach(json_object_get(result, "criteria"), i, c) {
		status = waiver_status(v, n, run, json_string_value(
		    json_object_get(c, "id")), 0, now, &w);
		if (status == NULL)
			continue;
		json_object_set_new(c, "review", json_string(status));
		json_object_set_new(c, "waiver", waiver_json(w, now));
	}
	store_waiver_list_free(v, n);
	return 0;
}
