/*
 * Design defects: due dates, owners, the owner's claim that a defect is
 * fixed, and listings.  A change is a record file
 * runs/run-000N/defects/defect-D-change-K.json (N the run that opened
 * defect D) committed with the actor as the author.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "defect.h"
#include "review_record.h"
#include "schedule.h"
#include "waiver.h"

#define US_PER_SECOND 1000000LL

static const struct {
	const char *name;
	int months;
} cycles[] = {
	{ "monthly", 1 },
	{ "quarterly", 3 },
	{ "semi-annually", 6 },
	{ "half-yearly", 6 },
	{ "annually", 12 },
	{ "yearly", 12 },
};

static int
days_in_month(int64_t year, unsigned month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

int
defect_due(const char *review_cycle, fp_time opened, fp_time *due)
{
	int64_t seconds = opened / US_PER_SECOND, day_seconds, year;
	time_t t = (time_t)seconds;
	unsigned month, day;
	int months = 0;
	struct tm tm;

	for (size_t i = 0; i < sizeof(cycles) / sizeof(cycles[0]); i++)
		if (review_cycle != NULL &&
		    strcasecmp(review_cycle, cycles[i].name) == 0)
			months = cycles[i].months;
	if (months == 0)
		return fp_fail(FP_EINVAL, "the procedure's review cycle '%s' is "
		    "not one failproof can add to a date (monthly, quarterly, "
		    "semi-annually, annually)", review_cycle ?
		    review_cycle : "");
	if (gmtime_r(&t, &tm) == NULL)
		return fp_fail(FP_EINVAL, "the defect's opening time is out of "
		    "range");
	day_seconds = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	year = (int64_t)tm.tm_year + 1900 + (tm.tm_mon + months) / 12;
	month = (unsigned)((tm.tm_mon + months) % 12) + 1;
	day = (unsigned)tm.tm_mday;
	if ((int)day > days_in_month(year, month))
		day = (unsigned)days_in_month(year, month);
	*due = (fp_days_from_civil(year, month, day) * 86400 + day_seconds) *
	    US_PER_SECOND + opened % US_PER_SECOND;
	return 0;
}

int
defect_plan(struct workspace *ws, const struct fp_run *run, long defect,
    fp_time opened, json_t *result)
{
	struct store_procedure proc = { 0 };
	json_t *evidence, *failed, *c;
	fp_time due = FP_TIME_NONE;
	char *text;
	size_t i;
	int rc;

	if ((rc = store_procedure_get(ws->store, run->procedure, &proc)) != 0)
		return rc;
	/* A cycle failproof cannot count leaves the due date to the owner. */
	if (defect_due(proc.review_cycle, opened, &due) != 0)
		due = FP_TIME_NONE;
	fp_clear_error();
	store_procedure_release(&proc);

	failed = json_array();
	json_array_foreach(json_object_get(result, "criteria"), i, c)
		if (strcmp(json_string_value(json_object_get(c, "result")) ?
		    json_string_value(json_object_get(c, "result")) : "",
		    "fail") == 0)
			json_array_append(failed, json_object_get(c, "id"));
	evidence = json_pack("{s:I, s:O, s:O, s:O, s:o, s:O, s:O}", "run",
	    (json_int_t)run->id,
	    "verdict", json_object_get(result, "verdict"),
	    "cause", json_object_get(result, "cause"),
	    "evidence_commit", json_object_get(result, "evidence_commit"),
	    "failed_criteria", failed,
	    "reason", json_object_get(result, "outcome_reason"),
	    "evidence", json_object_get(result, "outcome_evidence"));
	if (evidence == NULL)
		return fp_fail(FP_EINVAL, "the evaluation of run %ld lacks the "
		    "fields a defect keeps", run->id);
	text = json_dumps(evidence, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(evidence);
	rc = store_defect_plan(ws->store, defect, due, text);
	free(text);
	return rc;
}

json_t *
defect_summary_json(struct workspace *ws, long defect)
{
	struct store_defect d;
	json_t *o;

	if (store_defect_get(ws->store, defect, &d) != 0)
		return json_pack("{s:I}", "id", (json_int_t)defect);
	o = json_pack("{s:I, s:s, s:s?, s:o}", "id",
	    (json_int_t)d.id, "status", d.status, "owner", d.owner,
	    "due_at", record_time_json(d.due_at));
	store_defect_release(&d);
	return o;
}

static int
check_change(const struct defect_change_request *req,
    const struct store_defect *d, fp_time *due)
{
	int rc;

	if (req->owner == NULL && req->due == NULL && req->status == NULL)
		return fp_fail(FP_EINVAL, "nothing to change: give --owner, "
		    "--due or --status fixed");
	if (strcmp(d->status, "verified") == 0)
		return fp_fail(FP_EDENIED, "defect %ld is verified by run %ld "
		    "and can no longer change", d->id, d->closed_by_run);
	if (req->status != NULL && strcmp(req->status, "fixed") != 0)
		return fp_fail(FP_EDENIED, "--status %s: a user can only mark "
		    "a defect fixed; it is verified (closed) only by a passing "
		    "run of tunnel '%s' scenario %d", req->status, d->tunnel,
		    d->scenario);
	if (req->owner != NULL &&
	    (rc = actor_name_check(req->owner, "--owner")) != 0)
		return rc;
	if (req->actor != NULL &&
	    (rc = actor_name_check(req->actor, "--by")) != 0)
		return rc;
	if (req->due != NULL &&
	    (rc = schedule_parse_date("--due", req->due, due)) != 0)
		return rc;
	return 0;
}

/* Who makes the change: --by, else the owner (new or current). */
static const char *
change_actor(const struct defect_change_request *req,
    const struct store_defect *d, int *rc)
{
	const char *owner = req->owner ? req->owner : d->owner;

	*rc = 0;
	if (req->status != NULL) {
		if (owner == NULL) {
			*rc = fp_fail(FP_EINVAL, "defect %ld has no owner: "
			    "only its owner can claim it fixed, so set --owner "
			    "first", d->id);
			return NULL;
		}
		if (req->actor != NULL && !actor_same(req->actor, owner)) {
			*rc = fp_fail(FP_EDENIED, "'%s' is not the owner of "
			    "defect %ld ('%s'): only the owner can claim it "
			    "fixed", req->actor, d->id, owner);
			return NULL;
		}
	}
	if (req->actor != NULL)
		return req->actor;
	if (owner == NULL)
		*rc = fp_fail(FP_EINVAL, "--by NAME is required: the change "
		    "is committed with its author");
	return owner;
}

int
defect_set(struct workspace *ws, const struct defect_change_request *req)
{
	struct store_defect_change change = { 0 };
	struct store_defect d = { 0 };
	struct fp_buf what = { 0 };
	char *rundir = NULL, *dir = NULL, *rel = NULL, *msg = NULL, *prefix;
	char day[16];
	fp_time due = FP_TIME_NONE, now = fp_now();
	const char *actor;
	json_t *body = NULL;
	long number;
	int rc;

	if ((rc = store_defect_get(ws->store, req->id, &d)) != 0)
		return rc;
	if ((rc = check_change(req, &d, &due)) != 0)
		goto out;
	actor = change_actor(req, &d, &rc);
	if (rc != 0)
		goto out;

	if (req->owner != NULL)
		fp_buf_printf(&what, "owner=%s", req->owner);
	if (due != FP_TIME_NONE) {
		schedule_format_day(due, day);
		fp_buf_printf(&what, "%sdue=%s", what.len ? " " : "", day);
	}
	if (req->status != NULL)
		fp_buf_printf(&what, "%sstatus=fixed", what.len ? " " : "");
	rundir = workspace_run_dir(d.run);
	dir = xasprintf("%s/defects", rundir);
	prefix = xasprintf("defect-%ld-change", d.id);
	rel = record_next_path(ws, dir, prefix, &number);
	free(prefix);
	body = json_pack("{s:I, s:s, s:s, s:o, s:s?, s:o, s:s?}", "defect",
	    (json_int_t)d.id, "actor", actor, "change", what.data,
	    "changed_at", record_time_json(now), "owner", req->owner,
	    "due_at", record_time_json(due), "status", req->status);
	msg = xasprintf("Change defect %ld: %s\n\ntunnel: %s\nscenario: %d\n"
	    "opened by run: %ld\nby: %s\n", d.id, what.data, d.tunnel,
	    d.scenario, d.run, actor);
	if ((rc = record_commit(ws, rel, body, actor, msg,
	    &change.record)) != 0)
		goto out;
	change.defect = d.id;
	change.actor = (char *)actor;
	change.change = what.data;
	/* The record states milliseconds, and the row keeps the same
	 * instant, so a rebuild restores the same times. */
	change.changed_at = now - now % 1000;
	if ((rc = store_begin(ws->store)) != 0)
		goto out;
	if ((rc = store_defect_update(ws->store, d.id, req->owner, due,
	    req->status ? actor : NULL, change.changed_at)) != 0 ||
	    (rc = store_defect_change_insert(ws->store, &change)) != 0) {
		store_rollback(ws->store);
		goto out;
	}
	rc = store_commit(ws->store);
out:
	store_record_release(&change.record);
	json_decref(body);
	fp_buf_free(&what);
	free(msg);
	free(rel);
	free(dir);
	free(rundir);
	store_defect_release(&d);
	return rc;
}

static json_t *
defect_json(const struct store_defect *d, const struct store_waiver *w,
    size_t n_waivers, fp_time now)
{
	const struct store_waiver *which = NULL;
	const char *review;
	json_error_t err;
	json_t *o, *evidence;

	o = json_pack("{s:I, s:I, s:s, s:i, s:s, s:s?, s:s, s:o, s:s?, s:o, "
	    "s:o, s:s?}", "id", (json_int_t)d->id, "run", (json_int_t)d->run,
	    "tunnel", d->tunnel, "scenario", d->scenario, "verdict",
	    d->verdict, "cause", d->cause, "status", d->status, "opened_at",
	    record_time_json(d->opened_at), "owner", d->owner, "due_at",
	    record_time_json(d->due_at), "fixed_at",
	    record_time_json(d->fixed_at), "fixed_by", d->fixed_by);
	json_object_set_new(o, "verified_at", record_time_json(d->closed_at));
	json_object_set_new(o, "verified_by_run", d->closed_by_run ?
	    json_integer(d->closed_by_run) : json_null());
	json_object_set_new(o, "overdue", json_boolean(d->due_at !=
	    FP_TIME_NONE && strcmp(d->status, "verified") != 0 &&
	    now >= d->due_at));
	evidence = d->evidence ? json_loads(d->evidence, 0, &err) : NULL;
	json_object_set_new(o, "evidence", evidence ? evidence : json_null());
	review = waiver_status(w, n_waivers, 0, NULL, d->id, now, &which);
	json_object_set_new(o, "review", review ? json_string(review) :
	    json_null());
	json_object_set_new(o, "waiver", which ? waiver_json(which, now) :
	    json_null());
	return o;
}

int
defect_list_json(struct workspace *ws, int open_only, fp_time now,
    json_t **out)
{
	struct store_defect *v = NULL;
	struct store_waiver *w = NULL;
	size_t n = 0, nw = 0;
	int rc;

	*out = NULL;
	if ((rc = store_defect_list(ws->store, open_only, &v, &n)) != 0)
		return rc;
	if ((rc = store_waiver_list(ws->store, 0, &w, &nw)) != 0)
		goto out;
	*out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(*out, defect_json(&v[i], w, nw, now));
out:
	store_waiver_list_free(w, nw);
	store_defect_list_free(v, n);
	return rc;
}
