/*
 * Why a run got its outcome: the criterion, precondition or finding that
 * decided it, with that item's evidence.
 *
 *   passed        the verdict is pass and every criterion passed
 *   failed        the system broke a criterion (this opens a defect)
 *   errored       the harness or the tool failed, see the finding
 *   blocked       a precondition was not met: the failure was not
 *                 injected under the conditions the procedure requires
 *   inconclusive  the evidence cannot decide a criterion
 */
#include <stdlib.h>
#include <string.h>

#include "classify_internal.h"

static void
copy_refs(struct ev_refs *to, const struct ev_refs *from)
{
	for (size_t i = 0; i < from->n; i++)
		ev_refs_add(to, from->v[i].file, from->v[i].unit,
		    from->v[i].number);
}

/* "id (reason); id (reason)" of the judgements with the given result. */
static char *
list_results(const struct ev_judgement *v, size_t n, const char *result,
    struct ev_refs *refs)
{
	struct fp_buf b = { 0 };

	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].result, result) != 0)
			continue;
		fp_buf_printf(&b, "%s%s (%s)", b.len ? "; " : "", v[i].id,
		    v[i].reason ? v[i].reason : "");
		copy_refs(refs, &v[i].refs);
	}
	return b.len ? fp_buf_detach(&b) : NULL;
}

int
outcome_blocked(const struct evaluation *ev)
{
	for (size_t i = 0; i < ev->n_preconditions; i++)
		if (strcmp(ev->preconditions[i].result, "not-met") == 0)
			return 1;
	return 0;
}

static const struct ev_finding *
find_finding(const struct evaluation *ev, const char *prefix)
{
	for (size_t i = 0; i < ev->n_findings; i++)
		if (strncmp(ev->findings[i].id, prefix, strlen(prefix)) == 0)
			return &ev->findings[i];
	return NULL;
}

void
explain_outcome(struct evaluation *ev)
{
	const struct ev_finding *f;
	char *list;

	if (strcmp(ev->outcome, "errored") == 0) {
		f = find_finding(ev, "harness");
		/* The harness finding's text already states that the drill
		 * did not run properly. */
		ev->outcome_reason = xstrdup(f ? f->text : "the drill did not "
		    "run properly: the harness reported an error");
	} else if (strcmp(ev->outcome, "blocked") == 0) {
		list = list_results(ev->preconditions, ev->n_preconditions,
		    "not-met", &ev->outcome_refs);
		ev->outcome_reason = xasprintf("precondition not met, so the "
		    "failure was not injected under the procedure's conditions: "
		    "%s", list ? list : "?");
		free(list);
	} else if (strcmp(ev->outcome, "failed") == 0) {
		list = list_results(ev->criteria, ev->n_criteria, "fail",
		    &ev->outcome_refs);
		/* A failure class cites the decision path that found it. */
		for (size_t i = 0; strcmp(ev->verdict, "pass") != 0 &&
		    i < ev->n_answers; i++)
			copy_refs(&ev->outcome_refs, &ev->answers[i].refs);
		ev->outcome_reason = xasprintf("the system broke a criterion: "
		    "%s%s%s%s", strcmp(ev->verdict, "pass") != 0 ?
		    "verdict " : "", strcmp(ev->verdict, "pass") != 0 ?
		    ev->verdict : "", strcmp(ev->verdict, "pass") != 0 && list ?
		    "; " : "", list ? list : "");
		free(list);
	} else if (strcmp(ev->outcome, "inconclusive") == 0) {
		list = list_results(ev->criteria, ev->n_criteria,
		    "inconclusive", &ev->outcome_refs);
		ev->outcome_reason = xasprintf("the evidence cannot decide %s",
		    list ? list : "the verdict");
		free(list);
	} else {
		for (size_t i = 0; i < ev->n_criteria; i++)
			if (strcmp(ev->criteria[i].id, "traffic-resumed") == 0)
				copy_refs(&ev->outcome_refs,
				    &ev->criteria[i].refs);
		ev->outcome_reason = xstrdup("the verdict is pass and every "
		    "criterion passed on its evidence");
	}
	/* An outage cited by absence (nothing after it) still has the last
	 * delivery before it. */
	for (size_t i = 0; ev->outcome_refs.n == 0 && i < ev->n_windows; i++)
		if (ev->windows[i].best)
			copy_refs(&ev->outcome_refs, &ev->windows[i].refs);
}
