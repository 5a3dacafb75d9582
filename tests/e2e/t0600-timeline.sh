#!/bin/sh
# The drill timeline and the harness: the five lab drills evaluated
# without --failover-at, their events.log imported instead, get the
# verdicts and figures of t0100; a graceful switchover recorded in a
# timeline is reported; B1's iperf3 error during the dead tunnel keeps
# the run failed; a harness error before the failure makes a run errored.
. "$(dirname "$0")/lib.sh"

HARNESS=$DATA/harness

# new_run WS SCENARIO [RUN OPTIONS...]: a run without --failover-at
new_run() {
	ws=$1
	scenario=$2
	shift 2
	fp -C "$ws" run new --tunnel site-ha --scenario "$scenario" \
	    --method process-kill --executed-by "Ana Engineer" --primary fwa \
	    --standby fwb --peer peer "$@" | tail -n 1
}

# timeline_drill NAME SCENARIO: evaluate a drill from its timeline into
# $TMP/NAME.json
timeline_drill() {
	ws=$TMP/$1
	drill=$DATA/drills/$1
	fp -q init "$ws" && run=$(new_run "$ws" "$2") &&
	    import_drill "$ws" "$run" "$drill" &&
	    fp -q -C "$ws" import --run "$run" "$drill/events.log" || {
		not_ok "$1 imports with its timeline"
		return 1
	}
	ok "$1 imports with its timeline"
	fp -C "$ws" evaluate --json "$run" >"$TMP/$1.json" || {
		not_ok "$1 evaluates without --failover-at"
		return 1
	}
	ok "$1 evaluates without --failover-at"
}

field() {
	jq -r "$2" "$TMP/$1.json"
}

criterion() {
	jq -r ".criteria[] | select(.id == \"$2\") | .result" "$TMP/$1.json"
}

finding_ids() {
	jq -r '[.findings[].id] | join(" ")' "$TMP/$1.json"
}

if timeline_drill A-dataplane-failover 2; then
	check_eq "A failover from the KILL: line" \
	    "$(field A-dataplane-failover .failover_at)" \
	    2026-12-04T19:49:25.750000Z
	check_eq "A failover source" \
	    "$(field A-dataplane-failover .failover_source)" \
	    "failure injection in the timeline"
	check_eq "A failover evidence" \
	    "$(jq -c .failover_evidence "$TMP/A-dataplane-failover.json")" \
	    '[{"file":"events.log","line":13}]'
	check_eq "A method from the timeline" \
	    "$(field A-dataplane-failover .timeline_method)" process-kill
	check_eq "A verdict" "$(field A-dataplane-failover .verdict)" pass
	check_eq "A MTTR" "$(field A-dataplane-failover .mttr_ms)" 3084
	check_eq "A loss window" \
	    "$(field A-dataplane-failover .loss_window_ms)" 3268
	check_eq "A outcome" "$(field A-dataplane-failover .outcome)" \
	    inconclusive
	check_eq "A findings" "$(finding_ids A-dataplane-failover)" \
	    timers-not-validated
fi

if timeline_drill B1-peer-reject-identity 2; then
	check_eq "B1 verdict" "$(field B1-peer-reject-identity .verdict)" \
	    peer-rejection
	check_eq "B1 cause" "$(field B1-peer-reject-identity .cause)" \
	    identity-binding
	check_eq "B1 iperf3 error keeps the run failed" \
	    "$(field B1-peer-reject-identity .outcome)" failed
	check_eq "B1 defect opened" \
	    "$(field B1-peer-reject-identity .defect.status)" open
	check_contains "B1 iperf3 error is evidence of the outage" \
	    "$(finding_ids B1-peer-reject-identity)" \
	    harness-error-during-outage
	check_contains "B1 names the iperf3 error" \
	    "$(jq -r '.findings[] | select(.id == "harness-error-during-outage") | .text' "$TMP/B1-peer-reject-identity.json")" \
	    'iperf3 stopped with "interrupt - the client has terminated"'
	check_eq "B1 no MTTR" "$(field B1-peer-reject-identity .mttr_ms)" null
fi

if timeline_drill B4-controlplane-loss 2; then
	check_eq "B4 verdict" "$(field B4-controlplane-loss .verdict)" \
	    control-plane-loss
	check_eq "B4 cause" "$(field B4-controlplane-loss .cause)" dpd-mismatch
	check_eq "B4 outcome" "$(field B4-controlplane-loss .outcome)" failed
	check_eq "B4 failover" "$(field B4-controlplane-loss .failover_at)" \
	    2026-12-04T19:50:17.952000Z
fi

if timeline_drill C-ctrlplane-interrupt 1; then
	check_eq "C verdict" "$(field C-ctrlplane-interrupt .verdict)" pass
	check_eq "C MTTR" "$(field C-ctrlplane-interrupt .mttr_ms)" 3107
	check_eq "C time to CHILD SA" \
	    "$(field C-ctrlplane-interrupt .child_sa_ms)" 3047
fi

if timeline_drill D-state-drift-ha-sync 2; then
	check_eq "D verdict" "$(field D-state-drift-ha-sync .verdict)" \
	    state-drift
	check_eq "D cause" "$(field D-state-drift-ha-sync .cause)" replay-window
	check_eq "D MTTR" "$(field D-state-drift-ha-sync .mttr_ms)" 17626
	check_eq "D loss window" \
	    "$(field D-state-drift-ha-sync .loss_window_ms)" 17800
	check_eq "D new IKE SA fails" \
	    "$(criterion D-state-drift-ha-sync new-ike-sa)" fail
fi

finish
