/*
 * Unit tests of the classifier and the traffic measurements: evidence
 * sets built in memory, one per branch of the decision tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evaluation.h"

#define SEC 1000000LL
#define T0 1796413700000000LL	/* 2026-12-04T19:48:20Z */
#define FAILOVER (T0 + 20 * SEC)

struct fixture {
	struct evidence_set set;
	struct fp_run run;
	struct procedure proc;
	struct evaluation ev;
	size_t cap_events;
	size_t cap_samples;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	setenv("FAILPROOF_DATADIR", ".", 0);
	if (procedure_load_file(NULL, &f->proc) != 0)
		return -1;
	f->run.id = 1;
	f->run.scenario = 2;
	f->run.method = "process-kill";
	f->run.tunnel = "t";
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	evaluation_release(&f->ev);
	free(f->set.events);
	free(f->set.samples);
	procedure_release(&f->proc);
	free(f);
	return 0;
}

static struct fp_event *
add_event(struct fixture *f, fp_time ts, const char *host, const char *kind,
    const char *direction)
{
	struct stored_event *se;

	if (f->set.n_events == f->cap_events) {
		f->cap_events = f->cap_events ? f->cap_events * 2 : 16;
		f->set.events = realloc(f->set.events,
		    f->cap_events * sizeof(*f->set.events));
	}
	se = &f->set.events[f->set.n_events++];
	memset(se, 0, sizeof(*se));
	se->file = host;
	se->e.line = (long)f->set.n_events;
	se->e.ts = ts;
	se->e.host = host;
	se->e.kind = kind;
	se->e.direction = direction;
	se->e.is_response = -1;
	se->e.msgid = -1;
	return &se->e;
}

static void
add_sample(struct fixture *f, const char *source, fp_time start, fp_time end,
    int both, int64_t delivered)
{
	struct stored_sample *ss;

	if (f->set.n_samples == f->cap_samples) {
		f->cap_samples = f->cap_samples ? f->cap_samples * 2 : 256;
		f->set.samples = realloc(f->set.samples,
		    f->cap_samples * sizeof(*f->set.samples));
	}
	ss = &f->set.samples[f->set.n_samples++];
	memset(ss, 0, sizeof(*ss));
	ss->file = strcmp(source, "ping") == 0 ? "ping.txt" : "iperf3.json";
	ss->s.line = (long)f->set.n_samples;
	ss->s.source = source;
	ss->s.src = strcmp(source, "ping") == 0 ? "local" : "203.0.113.100";
	ss->s.dst = strcmp(source, "ping") == 0 ? "203.0.113.100" :
	    "192.0.2.100";
	ss->s.both_directions = both;
	ss->s.t_start = start;
	ss->s.t_end = end;
	ss->s.offered = 1;
	ss->s.delivered = delivered;
	ss->s.lost = delivered ? 0 : 1;
	ss->s.bytes = -1;
	ss->s.resolution = strcmp(source, "ping") == 0 ? 200000 : SEC;
}

/* Pings every 200 ms from T0 to end; none answered in [gap_from, gap_to). */
static void
add_pings(struct fixture *f, fp_time gap_from, fp_time gap_to, fp_time end)
{
	for (fp_time t = T0; t <= end; t += 200000) {
		int answered = t < gap_from || t >= gap_to;

		add_sample(f, "ping", t, t, 1, answered);
	}
}

static void
run_classify(struct fixture *f)
{
	struct classify_input in = { 0 };

	in.run = &f->run;
	in.procedure = &f->proc;
	in.set = &f->set;
	in.primary = "fwa";
	in.standby = "fwb";
	in.peer = "peer";
	in.failover = FAILOVER;
	in.max_outage_ms = 5000;
	classify(&in, &f->ev);
}

static const char *
criterion(const struct evaluation *ev, const char *id)
{
	for (size_t i = 0; i < ev->n_criteria; i++)
		if (strcmp(ev->criteria[i].id, id) == 0)
			return ev->criteria[i].result;
	return "missing";
}

static void
add_baseline_logs(struct fixture *f)
{
	add_event(f, T0 + SEC, "fwa", "ike_sa_established", NULL);
	add_event(f, T0 + SEC, "peer", "ike_sa_established", NULL);
}

static void
test_pass_measures_mttr(void **state)
{
	struct fixture *f = *state;

	add_baseline_logs(f);
	add_event(f, FAILOVER + 3 * SEC, "fwb", "ike_sa_established", NULL);
	add_event(f, FAILOVER + 3 * SEC, "fwb", "child_sa_established",
	    NULL);
	add_event(f, FAILOVER + 3 * SEC, "peer", "duplicate_identity", NULL);
	add_pings(f, FAILOVER - 100000, FAILOVER + 3100000, T0 + 40 * SEC);
	run_classify(f);

	assert_string_equal(f->ev.verdict, "pass");
	assert_null(f->ev.cause);
	/* Pings every 200 ms: the first reply at or after failover + 3.1 s
	 * is at + 3.2 s, the last before the outage at - 0.2 s. */
	assert_int_equal(f->ev.mttr_ms, 3200);
	assert_int_equal(f->ev.loss_window_ms, 3400);
	assert_int_equal(f->ev.child_sa_ms, 3000);
	assert_string_equal(criterion(&f->ev, "new-ike-sa"), "pass");
	assert_string_equal(criterion(&f->ev, "traffic-resumed"), "pass");
	assert_string_equal(criterion(&f->ev, "old-sas-removed"), "pass");
	assert_string_equal(criterion(&f->ev, "no-asymmetric-routing"),
	    "inconclusive");
	assert_string_equal(f->ev.outcome, "inconclusive");
}

static void
test_mttr_at_threshold_passes(void **state)
{
	struct fixture *f = *state;

	add_baseline_logs(f);
	add_event(f, FAILOVER + SEC, "fwb", "ike_sa_established", NULL);
	add_pings(f, FAILOVER - 100000, FAILOVER + 5 * SEC, T0 + 40 * SEC);
	/* The first reply is at exactly failover + 5.000 s. */
	run_classify(f);
	assert_int_equal(f->ev.mttr_ms, 5000);
	assert_string_equal(f->ev.verdict, "pass");
}

static void
test_slow_recovery(void **state)
{
	struct fixture *f = *state;

	add_baseline_logs(f);
	add_event(f, FAILOVER + 4 * SEC, "fwb", "ike_sa_established", NULL);
	add_pings(f, FAILOVER - 100000, FAILOVER + 6 * SEC, T0 + 40 * SEC);
	run_classify(f);
	assert_string_equal(f->ev.verdict, "transient-timing");
	assert_string_equal(f->ev.cause, "slow-recovery");
	assert_int_equal(f->ev.mttr_ms, 6000);
}

static void
test_intermittent(void **state)
{
	struct fixture *f = *state;

	add_baseline_logs(f);
	add_event(f, FAILOVER + SEC, "fwb", "ike_sa_established", NULL);
	/* Back after 2 s, then 3 s without replies. */
	for (fp_time t = T0; t <= T0 + 40 * SEC; t += 200000) {
		int answered = t < FAILOVER ||
		    (t >= FAILOVER + 2 * SEC && t < FAILOVER + 6 * SEC) ||
		    t >= FAILOVER + 9 * SEC;

		add_sample(f, "ping", t, t, 1, answered);
	}
	run_classify(f);
	assert_string_equal(f->ev.verdict, "transient-timing");
	assert_string_equal(f->ev.cause, "intermittent");
}

static void
test_dpd_mismatch(void **state)
{
	struct fixture *f = *state;

	add_baseline_logs(f);
	add_event(f, FAILOVER + 3 * SEC, "fwb", "invalid_spi", NULL);
	add_pings(f, FAILOVER - 100000, T0 + 60 * SEC, T0 + 40 * SEC);
	run_classify(f);
	assert_string_equal(f->ev.verdict, "control-plane-loss");
	assert_string_equal(f->ev.cause, "dpd-mismatch");
	assert_int_equal(f->ev.mttr_ms, -1);
	assert_int_equal(f->ev.loss_window_ms, -1);
	assert_string_equal(criterion(&f->ev, "mttr-recorded"), "fail");
	assert_string_equal(f->ev.outcome, "failed");
}

static void
test_negotiation_frozen(void **state)
{
	struct fixture *f = *state;

	add_baseline_logs(f);
	add_event(f, FAILOVER + 3 * SEC, "fwb", "ike_init_sent", "sent");
	add_event(f, FAILOVER + 7 * SEC, "fwb", "retransmit", "sent");
	add_pings(f, FAILOVER - 100000, T0 + 60 * SEC, T0 + 40 * SEC);
	run_classify(f);
	assert_string_equal(f->ev.verdict, "control-plane-loss");
	assert_string_equal(f->ev.cause, "negotiation-frozen");
}

static void
test_ike_state_reset(void **state)
{
	struct fixture *f = *state;

	add_baseline_logs(f);
	add_event(f, FAILOVER + 9 * SEC, "peer", "dpd_timeout", NULL);
	add_pings(f, FAILOVER - 100000, T0 + 60 * SEC, T0 + 40 * SEC);
	run_classify(f);
	assert_string_equal(f->ev.verdict, "control-plane-loss");
	assert_string_equal(f->ev.cause, "ike-state-reset");
}

static void
test_peer_rejects_identity(void **state)
{
	struct fixture *f = *state;

	add_baseline_logs(f);
	add_event(f, FAILOVER + 3 * SEC, "peer", "peer_config_missing", NULL);
	add_event(f, FAILOVER + 3 * SEC, "peer", "ike_auth_failed", "sent");
	add_event(f, FAILOVER + 3 * SEC, "fwb", "ike_auth_failed", "received");
	add_pings(f, FAILOVER - 100000, T0 + 60 * SEC, T0 + 40 * SEC);
	run_classify(f);
	assert_string_equal(f->ev.verdict, "peer-rejection");
	assert_string_equal(f->ev.cause, "identity-binding");
}

static void
test_peer_rejects_certificate(void **state)
{
	struct fixture *f = *state;

	add_baseline_logs(f);
	add_event(f, FAILOVER + 3 * SEC, "peer", "cert_invalid", NULL);
	add_event(f, FAILOVER + 3 * SEC, "fwb", "ike_auth_failed", "received");
	add_pings(f, FAILOVER - 100000, T0 + 60 * SEC, T0 + 40 * SEC);
	run_classify(f);
	assert_string_equal(f->ev.verdict, "peer-rejection");
	assert_string_equal(f->ev.cause, "certificate-binding");
}

static void
test_peer_rejects_proposal(void **state)
{
	struct fixture *f = *state;

	add_baseline_logs(f);
	add_event(f, FAILOVER + 3 * SEC, "fwb", "proposal_mismatch",
	    "received");
	add_pings(f, FAILOVER - 100000, T0 + 60 * SEC, T0 + 40 * SEC);
	run_classify(f);
	assert_string_equal(f->ev.verdict, "peer-rejection");
	assert_string_equal(f->ev.cause, "proposal-mismatch");
}

static void
test_rejection_by_standby_is_not_peer(void **state)
{
	struct fixture *f = *state;

	/* The standby refusing the peer is not the peer rejecting it. */
	add_baseline_logs(f);
	add_event(f, FAILOVER + 3 * SEC, "fwb", "ike_auth_failed", "sent");
	add_pings(f, FAILOVER - 100000, T0 + 60 * SEC, T0 + 40 * SEC);
	run_classify(f);
	assert_string_equal(f->ev.verdict, "control-plane-loss");
}

static void
test_state_drift_replay(void **state)
{
	struct fixture *f = *state;
	struct fp_event *e;

	add_baseline_logs(f);
	add_event(f, T0 + SEC, "fwb", "ha_sync", NULL);
	add_event(f, FAILOVER + SEC, "fwb", "ha_ike_sa_activated", NULL);
	e = add_event(f, FAILOVER + 3 * SEC, "peer", "ike_message", "sent");
	e->exchange = "INFORMATIONAL";
	e->is_response = 1;
	add_event(f, FAILOVER + 3 * SEC, "peer", "replay_check_failed", NULL);
	add_pings(f, FAILOVER - 100000, FAILOVER + 17 * SEC, T0 + 60 * SEC);
	run_classify(f);
	assert_string_equal(f->ev.verdict, "state-drift");
	assert_string_equal(f->ev.cause, "replay-window");
	assert_string_equal(criterion(&f->ev, "new-ike-sa"), "fail");
	assert_string_equal(criterion(&f->ev, "old-sas-removed"), "fail");
	assert_int_equal(f->ev.mttr_ms, 17000);
}

static void
test_state_drift_spi(void **state)
{
	struct fixture *f = *state;

	add_baseline_logs(f);
	add_event(f, FAILOVER + 2 * SEC, "fwb", "ike_sa_established", NULL);
	add_event(f, FAILOVER + 3 * SEC, "fwb", "invalid_spi", NULL);
	add_pings(f, FAILOVER - 100000, T0 + 60 * SEC, T0 + 40 * SEC);
	run_classify(f);
	assert_string_equal(f->ev.verdict, "state-drift");
	assert_string_equal(f->ev.cause, "spi-mismatch");
}

static void
test_status_only_is_inconclusive(void **state)
{
	struct fixture *f = *state;

	add_baseline_logs(f);
	add_event(f, FAILOVER + 2 * SEC, "fwb", "ike_sa_established", NULL);
	add_event(f, FAILOVER + 2 * SEC, "fwb", "child_sa_established", NULL);
	add_event(f, FAILOVER + 30 * SEC, "peer", "dpd_sent", NULL);
	run_classify(f);
	assert_string_equal(f->ev.verdict, "inconclusive");
	assert_string_equal(f->ev.cause, "insufficient-evidence");
	assert_string_equal(criterion(&f->ev, "traffic-resumed"),
	    "inconclusive");
	assert_string_equal(criterion(&f->ev, "new-child-sa"), "pass");
	assert_int_equal(f->ev.n_findings >= 1, 1);
	assert_string_equal(f->ev.findings[0].id, "status-only-evidence");
}

static void
test_one_direction_cannot_pass(void **state)
{
	struct fixture *f = *state;

	/* iperf3 -R alone proves only remote to local. */
	add_baseline_logs(f);
	add_event(f, FAILOVER + 2 * SEC, "fwb", "ike_sa_established", NULL);
	for (int i = 0; i < 40; i++)
		add_sample(f, "iperf3", T0 + i * SEC, T0 + (i + 1) * SEC, 0,
		    i == 20 || i == 21 ? 0 : 100);
	run_classify(f);
	assert_string_not_equal(f->ev.verdict, "pass");
	assert_string_equal(criterion(&f->ev, "traffic-resumed"),
	    "inconclusive");
}

static void
test_finest_source_gives_figures(void **state)
{
	struct fixture *f = *state;

	/* iperf3 seconds say recovery at +2 s; ping replies at +3.1 s. */
	add_baseline_logs(f);
	add_event(f, FAILOVER + 2 * SEC, "fwb", "ike_sa_established", NULL);
	for (int i = 0; i < 40; i++)
		add_sample(f, "iperf3", T0 + i * SEC, T0 + (i + 1) * SEC, 0,
		    i == 20 || i == 21 ? 0 : 100);
	add_pings(f, FAILOVER - 100000, FAILOVER + 3100000, T0 + 40 * SEC);
	run_classify(f);
	assert_int_equal(f->ev.mttr_ms, 3200);
	assert_int_equal(f->ev.loss_window_ms, 3400);
	assert_string_equal(f->ev.mttr_source, "ping");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pass_measures_mttr, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mttr_at_threshold_passes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_recovery, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_intermittent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dpd_mismatch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_negotiation_frozen, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ike_state_reset, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_peer_rejects_identity,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_rejects_certificate,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_rejects_proposal,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rejection_by_standby_is_not_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_drift_replay, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_state_drift_spi, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_status_only_is_inconclusive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_direction_cannot_pass,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_finest_source_gives_figures, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
