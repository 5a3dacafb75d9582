#!/bin/sh
# The life of a design defect.  Drill B1 fails on tunnel T scenario 2 and
# opens a defect with a due date but no owner.  Users can assign it and
# claim it fixed but never verify it.  A failing re-run and a pass on
# another tunnel leave it alone, and drill A, a passing re-run on T
# scenario 2, verifies it.
. "$(dirname "$0")/lib.sh"

ws=$TMP/ws
fp -q init "$ws"

# add_run TUNNEL DRILL: a run of the drill on tunnel TUNNEL, scenario 2,
# evaluated; prints the run id.
add_run() {
	d=$DATA/drills/$2
	id=$(fp -C "$ws" run new --tunnel "$1" --scenario 2 \
	    --method process-kill --executed-by "Ana Engineer" --primary fwa \
	    --standby fwb --peer peer --failover-at "$(drill_kill_time "$d")" |
	    tail -n 1) || return 1
	import_drill "$ws" "$id" "$d" || return 1
	fp -C "$ws" evaluate --json "$id" >"$TMP/run-$id.json" || return 1
	echo "$id"
}

defect() {
	fp -C "$ws" defects --json | jq -r ".[] | select(.id == $1) | $2"
}

b1=$(add_run T B1-peer-reject-identity) && ok "B1 evaluates" ||
    not_ok "B1 evaluates"
check_eq "B1 opens defect 1" "$(jq -r .defect.id "$TMP/run-$b1.json")" 1
check_eq "the defect is open" "$(defect 1 .status)" open
check_eq "the defect keeps the failed criterion" \
    "$(defect 1 '.evidence.failed_criteria | index("traffic-resumed") != null')" \
    true
check_eq "the defect keeps the verdict" "$(defect 1 .evidence.verdict)" \
    peer-rejection
# The procedure's review cycle is quarterly: due three months after opening.
opened=$(defect 1 .opened_at)
due=$(defect 1 .due_at)
check_eq "due one review cycle after opening" \
    "$(date -u -d "${opened%%T*} +3 months" +%Y-%m-%d)" "${due%%T*}"

check_status "a user cannot verify a defect" 1 \
    fp -C "$ws" defect 1 set --status verified --by "Dee Owner"
check_contains "the refusal says how it closes" "$(cat "$TMP/err")" \
    "verified (closed) only by a passing run of tunnel 'T' scenario 2"
check_status "fixed needs an owner" 1 \
    fp -C "$ws" defect 1 set --status fixed --by "Dee Owner"
check_status "owner and due date are set" 0 \
    fp -C "$ws" defect 1 set --owner "Dee Owner" --due 2027-01-15 \
    --by "Ana Engineer"
check_eq "owner recorded" "$(defect 1 .owner)" "Dee Owner"
check_eq "due date recorded" "$(defect 1 .due_at)" \
    "2027-01-15T00:00:00.000Z"
check_eq "the change is authored by its actor" \
    "$(git -C "$ws" log -1 --format=%an)" "Ana Engineer"
check_contains "the change's commit says what changed" \
    "$(git -C "$ws" log -1 --format=%s)" \
    "Change defect 1: owner=Dee Owner due=2027-01-15"
check_status "only the owner claims a fix" 1 \
    fp -C "$ws" defect 1 set --status fixed --by "Ana Engineer"
check_status "the owner claims the fix" 0 \
    fp -C "$ws" defect 1 set --status fixed
check_eq "the defect is fixed, not closed" "$(defect 1 .status)" fixed
check_eq "the claim is the owner's commit" \
    "$(git -C "$ws" log -1 --format=%an)" "Dee Owner"
check_eq "an open listing still shows it" \
    "$(fp -C "$ws" defects --open --json | jq 'map(.id) | index(1) != null')" \
    true

b4=$(add_run T B4-controlplane-loss) && ok "failing re-run evaluates" ||
    not_ok "failing re-run evaluates"
check_eq "a failing re-run does not verify it" "$(defect 1 .status)" fixed
check_eq "the failing re-run opens its own defect" \
    "$(jq -r .defect.id "$TMP/run-$b4.json")" 2

other=$(add_run other-tunnel A-dataplane-failover) &&
    ok "pass on another tunnel evaluates" ||
    not_ok "pass on another tunnel evaluates"
check_eq "a pass on another tunnel does not verify it" \
    "$(defect 1 .status)" fixed

a=$(add_run T A-dataplane-failover) && ok "passing re-run evaluates" ||
    not_ok "passing re-run evaluates"
check_eq "the re-run passes" "$(jq -r .verdict "$TMP/run-$a.json")" pass
# Drill A failed its primary at 19:49:25, after B1 (19:43:49) but before
# B4 (19:50:17): a pass verifies only defects whose failure came earlier.
check_eq "it verifies the defect of the earlier failure" \
    "$(jq -r .defects_closed "$TMP/run-$a.json")" 1
check_eq "defect 1 is verified" "$(defect 1 .status)" verified
check_eq "by the passing run" "$(defect 1 .verified_by_run)" "$a"
check_eq "a pass before B4's failure does not verify defect 2" \
    "$(defect 2 .status)" open
check_eq "one defect stays unverified" \
    "$(fp -C "$ws" defects --open --json | jq length)" 1
check_status "a verified defect cannot change" 1 \
    fp -C "$ws" defect 1 set --owner "Someone Else"
check_contains "the table shows the verifying run" \
    "$(fp -C "$ws" defects)" "verified by run $a"
# A pass without the evidence to judge what failed verifies nothing:
# drill D broke new-ike-sa; a later run with ping output alone passes
# the traffic questions but cannot judge new-ike-sa.
ws2=$TMP/ws2
dd=$DATA/drills/D-state-drift-ha-sync
da=$DATA/drills/A-dataplane-failover
d_run=$(setup_drill "$ws2" "$dd" 2)
fp -q -C "$ws2" evaluate "$d_run"
p_run=$(fp -C "$ws2" run new --tunnel site-ha --scenario 2 \
    --method process-kill --executed-by "Ana Engineer" --primary fwa \
    --standby fwb --peer peer --failover-at "$(drill_kill_time "$da")" |
    tail -n 1)
fp -q -C "$ws2" import --run "$p_run" "$da/lan.ping.txt"
fp -C "$ws2" evaluate --json "$p_run" >"$TMP/ping-only.json"
check_eq "a ping-only run passes" "$(jq -r .verdict "$TMP/ping-only.json")" pass
check_eq "but verifies no defect" \
    "$(jq -r .defects_closed "$TMP/ping-only.json")" 0
check_eq "drill D's defect stays open" \
    "$(fp -C "$ws2" defects --open --json | jq length)" 1
finish
