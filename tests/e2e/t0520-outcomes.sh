#!/bin/sh
# Outcomes, preconditions and findings.  The drills' swanctl.conf files
# decide lifetimes-aligned and the timers finding.  A failure injected
# before traffic flowed is blocked, not failed.  An attestation fills a
# precondition the evidence leaves open.  Graceful-only runs and
# status-only evidence are findings.
. "$(dirname "$0")/lib.sh"

drill_a=$DATA/drills/A-dataplane-failover
drill_b4=$DATA/drills/B4-controlplane-loss

# new_run WS TUNNEL METHOD FAILOVER: prints the id of a new run.
new_run() {
	fp -C "$1" run new --tunnel "$2" --scenario 2 --method "$3" \
	    --executed-by "Ana Engineer" --primary fwa --standby fwb \
	    --peer peer --failover-at "$4" | tail -n 1
}

import_configs() {
	for host in fwa fwb peer; do
		fp -q -C "$1" import --run "$2" --host "$host" \
		    "$3/$host.swanctl.conf" || return 1
	done
}

pre() {
	jq -r ".preconditions[] | select(.id == \"$2\") | .$3" "$1"
}

finding() {
	jq -r ".findings[] | select(.id == \"$2\") | .text" "$1"
}

# Configurations of drill A: aligned lifetimes, timers validated.
ws=$TMP/a
run=$(setup_drill "$ws" "$drill_a" 2)
check_contains "swanctl.conf is detected as config" \
    "$(fp -C "$ws" import --run "$run" --host fwa "$drill_a/fwa.swanctl.conf")" \
    "fwa.swanctl.conf: config, 2 events"
check_status "the other sides import" 0 import_configs "$ws" "$run" \
    "$drill_a"
fp -C "$ws" evaluate --json "$run" >"$TMP/a.json"
check_eq "A: verdict kept" "$(jq -r .verdict "$TMP/a.json")" pass
check_eq "A: MTTR kept" "$(jq -r .mttr_ms "$TMP/a.json")" 3084
check_eq "A: lifetimes aligned from the configurations" \
    "$(pre "$TMP/a.json" lifetimes-aligned result)" met
check_contains "A: the lifetimes are stated" \
    "$(pre "$TMP/a.json" lifetimes-aligned reason)" \
    "peer: IKE rekey 4h, lifetime 4h24m; CHILD rekey 1h, lifetime 1h6m"
check_contains "A: the peer's lifetimes cite its configuration" \
    "$(jq -c '.preconditions[] | select(.id == "lifetimes-aligned") | .evidence' "$TMP/a.json")" \
    '"file":"peer.swanctl.conf"'
check_eq "A: no timers-not-validated finding" \
    "$(finding "$TMP/a.json" timers-not-validated)" ""
check_contains "A: timers validated, defaults named" \
    "$(finding "$TMP/a.json" timers-validated)" \
    "peer: IKE rekey_time 4h"
check_eq "A: outcome inconclusive" "$(jq -r .outcome "$TMP/a.json")" \
    inconclusive
check_contains "A: the outcome says why" \
    "$(jq -r .outcome_reason "$TMP/a.json")" \
    "the evidence cannot decide no-asymmetric-routing"

# Drill B4: the peer's DPD delay is 300 s, the HA pair's 10 s.
ws=$TMP/b4
run=$(setup_drill "$ws" "$drill_b4" 2)
import_configs "$ws" "$run" "$drill_b4"
fp -C "$ws" evaluate --json "$run" >"$TMP/b4.json"
check_eq "B4: cause kept" "$(jq -r .cause "$TMP/b4.json")" dpd-mismatch
check_contains "B4: the DPD timers differ" \
    "$(finding "$TMP/b4.json" dpd-timers-differ)" \
    "fwa 10s, fwb 10s, peer 300s"
check_eq "B4: outcome failed" "$(jq -r .outcome "$TMP/b4.json")" failed
check_contains "B4: the outcome names the verdict" \
    "$(jq -r .outcome_reason "$TMP/b4.json")" \
    "the system broke a criterion: verdict control-plane-loss"
check_eq "B4: the outcome cites evidence" \
    "$(jq '.outcome_evidence | length > 0' "$TMP/b4.json")" true

# Blocked: a ping started after the failure, so no traffic flowed before
# it.  The capture is drill A's own ping output from icmp_seq=64, the
# first request after the kill at 19:49:25.750, to the end; the summary
# is left out because ping never printed one for this part.
ws=$TMP/blocked
fp -q init "$ws"
drill_b1=$DATA/drills/B1-peer-reject-identity
b1=$(new_run "$ws" T process-kill "$(drill_kill_time "$drill_b1")")
import_drill "$ws" "$b1" "$drill_b1"
fp -q -C "$ws" evaluate "$b1"
run=$(new_run "$ws" T process-kill "$(drill_kill_time "$drill_a")")
sed -n '1p;/icmp_seq=64 /,/icmp_seq=225 /p' "$drill_a/lan.ping.txt" \
    >"$TMP/late.ping.txt"
for host in fwa fwb peer; do
	fp -q -C "$ws" import --run "$run" --host "$host" \
	    "$drill_a/$host.charon.log"
done
fp -q -C "$ws" import --run "$run" "$TMP/late.ping.txt" 2>/dev/null
fp -C "$ws" evaluate --json "$run" >"$TMP/blocked.json"
check_eq "blocked: traffic before the failure not met" \
    "$(pre "$TMP/blocked.json" traffic-before-failure result)" not-met
check_eq "blocked: outcome" "$(jq -r .outcome "$TMP/blocked.json")" blocked
check_contains "blocked: the reason names the precondition" \
    "$(jq -r .outcome_reason "$TMP/blocked.json")" \
    "precondition not met, so the failure was not injected"
check_eq "blocked: no defect" "$(jq -r .defect "$TMP/blocked.json")" null
check_eq "blocked: the verdict alone is pass" \
    "$(jq -r .verdict "$TMP/blocked.json")" pass
check_eq "blocked: its pass verdict verifies no defect" \
    "$(fp -C "$ws" defects --json | jq -r '.[0].status')" open

# Attestation of a precondition the evidence leaves undetermined.
ws=$TMP/attest
run=$(setup_drill "$ws" "$drill_a" 2)
fp -C "$ws" evaluate --json "$run" >"$TMP/before.json"
check_eq "without configurations lifetimes are undetermined" \
    "$(pre "$TMP/before.json" lifetimes-aligned result)" undetermined
check_status "an unknown precondition is refused" 1 fp -C "$ws" attest \
    "$run" lifetimes-equal --by "Ana Engineer" --note "x"
check_status "a precondition the evidence decided is refused" 1 fp -C "$ws" \
    attest "$run" logging-enabled --by "Ana Engineer" --note "x"
check_contains "the refusal names the decision" "$(cat "$TMP/err")" \
    "was decided by the evidence (met"
check_status "attestation recorded" 0 fp -C "$ws" attest "$run" \
    lifetimes-aligned --by "Ana Engineer" \
    --note "compared swanctl --list-conns on fwa, fwb and peer"
check_eq "attestation is the actor's commit" \
    "$(git -C "$ws" log -1 --format=%an)" "Ana Engineer"
check_status "a report needs the evaluation again" 1 fp -C "$ws" report \
    "$run" --xml "$TMP/x.xml" --key /dev/null --cert /dev/null
fp -C "$ws" evaluate --json "$run" >"$TMP/after.json"
check_eq "the precondition is attested" \
    "$(pre "$TMP/after.json" lifetimes-aligned result)" attested
check_contains "attested, not observed" \
    "$(pre "$TMP/after.json" lifetimes-aligned reason)" \
    "attested by Ana Engineer at"
check_contains "the note is kept" \
    "$(pre "$TMP/after.json" lifetimes-aligned reason)" \
    "not observed in the evidence: compared swanctl --list-conns"
check_eq "an observed precondition stays met" \
    "$(pre "$TMP/after.json" traffic-before-failure result)" met

# Graceful switchover as the only method of a tunnel in the quarter.
ws=$TMP/graceful
fp -q init "$ws"
kill_at=$(drill_kill_time "$drill_a")
g=$(new_run "$ws" G graceful "$kill_at")
import_drill "$ws" "$g" "$drill_a"
fp -C "$ws" evaluate --json "$g" >"$TMP/g1.json"
check_contains "graceful run: the method is a finding" \
    "$(finding "$TMP/g1.json" graceful-switchover)" "graceful switchover"
check_contains "graceful only: every run of the tunnel" \
    "$(finding "$TMP/g1.json" graceful-only)" \
    "Every run of tunnel 'G' in 2026Q4 (1) used a graceful switchover"
k=$(new_run "$ws" G process-kill "$kill_at")
import_drill "$ws" "$k" "$drill_a"
fp -C "$ws" evaluate --json "$g" >"$TMP/g2.json"
check_eq "a hard failure in the quarter ends graceful-only" \
    "$(finding "$TMP/g2.json" graceful-only)" ""

# SA status lines only: no traffic evidence at all.
ws=$TMP/status
fp -q init "$ws"
run=$(new_run "$ws" S process-kill "$kill_at")
for host in fwa fwb peer; do
	fp -q -C "$ws" import --run "$run" --host "$host" \
	    "$drill_a/$host.charon.log"
done
fp -C "$ws" evaluate --json "$run" >"$TMP/status.json"
check_contains "status-only evidence is a finding" \
    "$(finding "$TMP/status.json" status-only-evidence)" \
    "an SA that is up proves no traffic"
check_eq "status-only evidence is inconclusive" \
    "$(jq -r .outcome "$TMP/status.json")" inconclusive
check_eq "traffic-resumed cannot pass on SA status" \
    "$(jq -r '.criteria[] | select(.id == "traffic-resumed") | .result' "$TMP/status.json")" \
    inconclusive
finish
