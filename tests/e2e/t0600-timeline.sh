#!/bin/sh
# The drill timeline and the harness.  The five lab drills, evaluated
# without --failover-at and with their events.log imported instead, get
# the verdicts and figures of t0100.  A graceful switchover recorded in a
# timeline is reported.  B1's iperf3 error during the dead tunnel keeps
# the run failed, and a harness error before the failure makes a run
# errored.  Unsafe or cut harness files are rejected and leave nothing.
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

# Drill A, its timeline replaced by one that records a graceful switchover.
ws=$TMP/graceful
drill=$DATA/drills/A-dataplane-failover
if fp -q init "$ws" && run=$(new_run "$ws" 2) &&
    import_drill "$ws" "$run" "$drill" &&
    fp -q -C "$ws" import --run "$run" \
    "$DATA/timeline/A-graceful.timeline.jsonl" &&
    fp -C "$ws" evaluate --json "$run" >"$TMP/graceful.json"; then
	ok "graceful timeline evaluates"
	check_eq "graceful method from the timeline" \
	    "$(field graceful .timeline_method)" graceful
	check_eq "graceful failover from the timeline" \
	    "$(field graceful .failover_at)" 2026-12-04T19:49:25.750000Z
	check_contains "graceful switchover reported" \
	    "$(finding_ids graceful)" graceful-switchover
	check_contains "graceful switchover names the timeline line" \
	    "$(jq -r '.findings[] | select(.id == "graceful-switchover") | .text' "$TMP/graceful.json")" \
	    "A-graceful.timeline.jsonl line 2"
	check_contains "stated and recorded methods disagree" \
	    "$(jq -r '.findings[] | select(.id == "timeline-mismatch") | .text' "$TMP/graceful.json")" \
	    "the run states the method process-kill but the timeline records graceful"
	check_eq "graceful verdict unchanged" "$(field graceful .verdict)" pass
else
	not_ok "graceful timeline evaluates"
fi

# errored_run NAME FILE...: drill A with FILE imported too, evaluated into
# $TMP/NAME.json with the KILL time stated
errored_run() {
	name=$1
	shift
	ws=$TMP/$name
	run=$(setup_drill "$ws" "$DATA/drills/A-dataplane-failover" 2) &&
	    fp -q -C "$ws" import --run "$run" "$@" &&
	    fp -C "$ws" evaluate --json "$run" >"$TMP/$name.json"
}

# A harness error before the failure: the run is errored, no defect.
if errored_run junit-error \
    "$HARNESS/failproof__junit-drill-A-error-before-kill.xml"; then
	ok "drill A with a JUnit error evaluates"
	check_eq "JUnit error before the kill: errored" \
	    "$(field junit-error .outcome)" errored
	check_eq "JUnit error: verdict still measured" \
	    "$(field junit-error .verdict)" pass
	check_eq "JUnit error: no defect" "$(field junit-error .defect)" null
	check_contains "JUnit error named" \
	    "$(jq -r '.findings[] | select(.id == "harness-error") | .text' "$TMP/junit-error.json")" \
	    "test 'test_tunnel_up_before_kill' could not be carried out at 2026-12-04T19:49:20.800Z (failproof__junit-drill-A-error-before-kill.xml line 4), before the failure"
	check_contains "JUnit error: outcome reason" \
	    "$(field junit-error .summary)" "did not run properly"
else
	not_ok "drill A with a JUnit error evaluates"
fi

# iperf3 died 10 s into the test, before the kill at 12.75 s: a copy of
# drill A's client result cut after its tenth interval, with an error.
jq '.intervals |= .[0:10] | .end = {} |
    .error = "error - unable to receive control message: Connection reset by peer" |
    del(.server_output_json)' \
    "$DATA/drills/A-dataplane-failover/lan.iperf3-client.json" \
    >"$TMP/iperf3-died.json"
if errored_run iperf3-error "$TMP/iperf3-died.json"; then
	ok "drill A with a failed iperf3 evaluates"
	check_eq "iperf3 error before the kill: errored" \
	    "$(field iperf3-error .outcome)" errored
	check_contains "iperf3 error named" \
	    "$(jq -r '.findings[] | select(.id == "harness-error") | .text' "$TMP/iperf3-error.json")" \
	    'iperf3 stopped with "error - unable to receive control message: Connection reset by peer" at 2026-12-04T19:49:23.'
else
	not_ok "drill A with a failed iperf3 evaluates"
fi

# Robot Framework: the suite setup failed before the kill.
if errored_run robot-error \
    "$HARNESS/failproof__robot-drill-setup-error.xml"; then
	ok "drill A with a Robot suite setup error evaluates"
	check_eq "Robot setup error: errored" \
	    "$(field robot-error .outcome)" errored
	check_contains "Robot failure after the kill reported" \
	    "$(finding_ids robot-error)" harness-step-failed
	check_contains "Robot times read as UTC" \
	    "$(jq -r '.findings[] | select(.id == "harness-time-zone") | .text' "$TMP/robot-error.json")" \
	    "read as UTC (--tz not given)"
else
	not_ok "drill A with a Robot suite setup error evaluates"
fi

# Hard case 12's iperf3 died at 19:49:26.000, inside drill A's outage
# (25.750 to 28.834): evidence of the outage, the run is not errored.
if errored_run iperf3-in-outage \
    "$DATA/cases/12-iperf3-error-partial-trailing-text.input.json"; then
	ok "drill A with iperf3 dying in the outage evaluates"
	check_eq "iperf3 error in the outage: not errored" \
	    "$(field iperf3-in-outage .outcome)" inconclusive
	check_contains "iperf3 error in the outage: evidence of it" \
	    "$(jq -r '.findings[] | select(.id == "harness-error-during-outage") | .text' "$TMP/iperf3-in-outage.json")" \
	    "at 2026-12-04T19:49:26.000Z (12-iperf3-error-partial-trailing-text.input.json interval 3), during the outage"
else
	not_ok "drill A with iperf3 dying in the outage evaluates"
fi

# A harness error once traffic had recovered: no outage explains it.
cat >"$TMP/late-error.xml" <<'EOF'
<testsuite name="drill"><testcase name="test_old_sas_deleted" timestamp="2026-12-04T19:49:40Z" time="30"><error message="ssh to 198.51.100.2 timed out"/></testcase></testsuite>
EOF
if errored_run late-error "$TMP/late-error.xml"; then
	ok "drill A with a late harness error evaluates"
	check_eq "harness error after recovery: errored" \
	    "$(field late-error .outcome)" errored
	check_contains "harness error after recovery explained" \
	    "$(jq -r '.findings[] | select(.id == "harness-error") | .text' "$TMP/late-error.json")" \
	    "at 2026-12-04T19:50:10.000Z (late-error.xml line 1), after traffic had recovered in both directions"
else
	not_ok "drill A with a late harness error evaluates"
fi

# Unsafe or broken harness files: a position, a non-zero exit, nothing kept.
ws=$TMP/bad
fp -q init "$ws" && run=$(new_run "$ws" 2)
evidence_rows() {
	sqlite3 "$ws/.failproof/store.db" \
	    "SELECT (SELECT count(*) FROM evidence) || '/' || (SELECT count(*) FROM step)"
}
check_status "XXE Robot output rejected" 1 \
    fp -C "$ws" import --run "$run" "$HARNESS/failproof__robot-xxe-doctype.xml"
check_contains "XXE rejection names the position" "$(cat "$TMP/err")" \
    "'failproof__robot-xxe-doctype.xml' line 2 column 1: the document declares a DOCTYPE"
check_status "truncated JUnit rejected" 1 \
    fp -C "$ws" import --run "$run" \
    "$HARNESS/publish-unit-test-result__pytest_corrupt-xml.xml"
check_contains "truncated JUnit names the position" "$(cat "$TMP/err")" \
    "line 11 column 22: invalid XML"
head -c 2000 "$HARNESS/chaostoolkit-ansible__journal.json" >"$TMP/journal.json"
check_status "truncated journal rejected" 1 \
    fp -C "$ws" import --run "$run" --kind chaos "$TMP/journal.json"
check_contains "truncated journal names the position" "$(cat "$TMP/err")" \
    "'journal.json' line 78 column 16: invalid JSON"
check_eq "nothing stored for the rejected files" "$(evidence_rows)" 0/0
check_status "a valid journal imports" 0 \
    fp -C "$ws" import --run "$run" --tz Europe/Paris \
    "$HARNESS/chaostoolkit-ansible__journal.json"
check_contains "journal import counts its steps" "$(cat "$TMP/out")" \
    "chaos, 0 events, 0 samples, 0 packets, 6 steps"
check_eq "journal steps stored" "$(evidence_rows)" 1/6
check_eq "journal zone stored" \
    "$(sqlite3 "$ws/.failproof/store.db" "SELECT DISTINCT zone FROM step")" \
    "Europe/Paris (--tz)"

finish
