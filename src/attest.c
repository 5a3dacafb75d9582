/*
 * Attestations of preconditions.  Record files are
 * runs/run-000N/attestations/attestation-K.json.
 */
#include <stdlib.h>
#include <string.h>

#include "attest.h"
#include "review_record.h"

static int
check_precondition(struct workspace *ws, const struct fp_run *run,
    const char *id)
{
	struct procedure proc;
	struct fp_buf known = { 0 };
	int rc, found = 0;

	if ((rc = record_run_procedure(ws, run, &proc)) != 0)
		return rc;
	for (size_t i = 0; i < proc.n_preconditions; i++) {
		if (strcmp(proc.preconditions[i].id, id) == 0)
			found = 1;
		fp_buf_printf(&known, "%s%s", i ? ", " : "",
		    proc.preconditions[i].id);
	}
	if (!found)
		rc = fp_fail(FP_ENOTFOUND, "unknown precondition '%s': the "
		    "procedure has %s", id, known.data ? known.data : "none");
	fp_buf_free(&known);
	procedure_release(&proc);
	return rc;
}

/*
 * An attestation replaces evidence only where the evidence could not
 * decide.  A precondition the latest evaluation judged met or not-met
 * cannot be attested.
 */
static int
check_undecided(struct workspace *ws, long run, const char *id)
{
	struct store_evaluation ev = { 0 };
	json_t *o, *p;
	size_t i;
	int rc = 0;

	if (store_evaluation_latest(ws->store, run, &ev) != 0) {
		fp_clear_error();
		return 0;	/* not evaluated yet: nothing decided */
	}
	o = json_loads(ev.result_json, 0, NULL);
	json_array_foreach(json_object_get(o, "preconditions"), i, p) {
		const char *pid = json_string_value(json_object_get(p, "id"));
		const char *result = json_string_value(json_object_get(p,
		    "result"));

		if (pid && result && strcmp(pid, id) == 0 &&
		    (strcmp(result, "met") == 0 ||
		    strcmp(result, "not-met") == 0))
			rc = fp_fail(FP_EINVAL, "precondition '%s' of run %ld "
			    "was decided by the evidence (%s: %s): an "
			    "attestation only covers what the evidence cannot "
			    "decide", id, run, result,
			    json_string_value(json_object_get(p, "reason")) ?
			    json_string_value(json_object_get(p, "reason")) :
			    "see 'failproof evaluate'");
	}
	json_decref(o);
	store_evaluation_release(&ev);
	return rc;
}

int
attest_record(struct workspace *ws, long run_id, const char *precondition,
    const char *by, const char *note, struct store_attestation *out)
{
	struct fp_run run = { 0 };
	char *rundir = NULL, *dir = NULL, *rel = NULL, *msg = NULL;
	fp_time now = fp_now();
	json_t *body = NULL;
	long number;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = actor_name_check(by, "--by")) != 0)
		return rc;
	if (note == NULL || strspn(note, " \t\r\n") == strlen(note))
		return fp_fail(FP_EINVAL, "--note is required: say what was "
		    "checked and how");
	if ((rc = store_run_get(ws->store, run_id, &run)) != 0 ||
	    (rc = check_precondition(ws, &run, precondition)) != 0 ||
	    (rc = check_undecided(ws, run_id, precondition)) != 0)
		goto out;

	rundir = workspace_run_dir(run_id);
	dir = xasprintf("%s/attestations", rundir);
	rel = record_next_path(ws, dir, "attestation", &number);
	body = json_pack("{s:I, s:s, s:s, s:s, s:o}", "run", (json_int_t)run_id,
	    "precondition", precondition, "attested_by", by, "note", note,
	    "attested_at", record_time_json(now));
	msg = xasprintf("Attest precondition %s of run %ld\n\nby: %s\n"
	    "note: %s\n\nStated by a person, not observed in the evidence.\n",
	    precondition, run_id, by, note);
	if ((rc = record_commit(ws, rel, body, by, msg, &out->record)) != 0)
		goto out;
	out->run = run_id;
	out->precondition = xstrdup(precondition);
	out->attested_by = xstrdup(by);
	out->note = xstrdup(note);
	/* The record states milliseconds; the row keeps the same instant. */
	out->attested_at = now - now % 1000;
	if ((rc = store_begin(ws->store)) != 0)
		goto out;
	if ((rc = store_attestation_insert(ws->store, out)) != 0 ||
	    (rc = store_run_touch(ws->store, run_id)) != 0) {
		store_rollback(ws->store);
		goto out;
	}
	rc = store_commit(ws->store);
out:
	json_decref(body);
	free(msg);
	free(rel);
	free(dir);
	free(rundir);
	fp_run_release(&run);
	return rc;
}

void
attest_release(struct store_attestation *a)
{
	free(a->precondition);
	free(a->attested_by);
	free(a->note);
	store_record_release(&a->record);
	memset(a, 0, sizeof(*a));
}

int
attest_apply(struct workspace *ws, long run, struct evaluation *ev)
{
	struct store_attestation *v = NULL;
	char when[FP_TIME_STRLEN];
	size_t n = 0;
	int rc;

	if ((rc = store_attestation_list(ws->store, run, &v, &n)) != 0)
		return rc;
	for (size_t i = 0; i < ev->n_preconditions; i++) {
		struct ev_judgement *p = &ev->preconditions[i];
		const struct store_attestation *a = NULL;

		if (strcmp(p->result, "undetermined") != 0)
			continue;
		for (size_t k = 0; k < n; k++)
			if (strcmp(v[k].precondition, p->id) == 0)
				a = &v[k];
		if (a == NULL)
			continue;
		fp_time_format_ms(a->attested_at, when, sizeof(when));
		free(p->reason);
		p->result = "attested";
		p->reason = xasprintf("attested by %s at %s (UTC), not observed "
		    "in the evidence: %s (record %s, commit %.12s)",
		    a->attested_by, when, a->note, a->record.path,
		    a->record.commit_id);
	}
	store_attestation_list_free(v, n);
	return 0;
}
