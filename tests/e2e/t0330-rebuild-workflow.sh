#!/bin/sh
# A rebuild restores everything the repository records, not only runs
# and evidence.  The workspace has the procedure's revisions and
# approvals, a tunnel and a change record, and the defect drill B1
# opened and drill A verified, with its owner, due date and fix.  It has
# waivers, an attestation, an issued report with its signer and its
# sign-off, a clock offset, a timeline read with --markers and a counter
# snapshot read with --at.  The rebuilt store must equal a copy of the
# original one table by table, and the commands must print the same.
. "$(dirname "$0")/lib.sh"

ws=$TMP/ws
copy=$TMP/original
db=$ws/.failproof/store.db
template=$TESTS_DIR/../templates/vpn-ha-failover-test.xml
b1_drill=$DATA/drills/B1-peer-reject-identity
a_drill=$DATA/drills/A-dataplane-failover
make_signer
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$TMP/bo.key.pem" -out "$TMP/bo.cert.pem" -days 2 \
    -subj "/CN=Bo Reviewer/O=Example" >/dev/null 2>&1

# new_run DRILL: a run of the drill on tunnel site-ha, scenario 2; prints
# its id.
new_run() {
	fp -C "$ws" run new --tunnel site-ha --scenario 2 \
	    --method process-kill --executed-by "Ana Engineer" --primary fwa \
	    --standby fwb --peer peer --failover-at "$(drill_kill_time "$1")" |
	    tail -n 1
}

# Document control and the schedule
fp -q init "$ws"
sed 's|<revision>1.0</revision>|<revision>1.1</revision>|' "$template" \
    >"$TMP/procedure-1.1.xml"
fp -q -C "$ws" procedure approve 1.0 --by "Quality Lead" --at 2026-11-02 &&
fp -q -C "$ws" procedure revise "$TMP/procedure-1.1.xml" \
    --author "Ana Engineer" --summary "Tighter repeatability
across two lines" &&
fp -q -C "$ws" procedure approve 1.1 --by "Quality Lead" &&
fp -q -C "$ws" procedure approve 1.1 --by "Quality Lead" &&
fp -q -C "$ws" tunnel add site-ha --units fwa,fwb --peer peer \
    --vendor strongswan --ike 2 --by "Net Admin" &&
fp -q -C "$ws" change add --tunnel site-ha --kind timer --at 2026-11-20 \
    --by "Cy Changer <cy@example.org>" --ref "CHG-7 DPD 10s" &&
    ok "procedure, tunnel and change recorded" ||
    not_ok "procedure, tunnel and change recorded"

# Drill B1 fails on site-ha scenario 2 and opens a defect.  Its first
# file is read with a clock offset, its second with vendor rules of the
# user's, and the run is corrected once.
mkdir "$TMP/rules"
printf 'vendor lab-ha\nprogram hamon\n\nrule ha_failover\n\tliteral became active\n\tmatch ^node (?<conn>\\S+) became active$\n\tset detail ACTIVE\n' \
    >"$TMP/rules/lab.rules"
b1=$(new_run "$b1_drill")
fp -q -C "$ws" import --run "$b1" --host fwa --clock-offset fwa=-20ms \
    "$b1_drill/fwa.charon.log" &&
fp -q -C "$ws" import --run "$b1" --host fwb --rules "$TMP/rules" \
    "$b1_drill/fwb.charon.log" &&
fp -q -C "$ws" import --run "$b1" --host peer "$b1_drill/peer.charon.log" \
    "$b1_drill/peer-wan.pcap" &&
fp -q -C "$ws" import --run "$b1" "$b1_drill/lan.ping.txt" \
    "$b1_drill/lan.iperf3-client.json" &&
fp -q -C "$ws" run set "$b1" --max-outage 4s &&
fp -q -C "$ws" evaluate "$b1" &&
    ok "B1 evaluates" || not_ok "B1 evaluates"
check_eq "B1 opens defect 1" \
    "$(fp -C "$ws" defects --json | jq -c 'map([.id, .run, .status])')" \
    "[[1,$b1,\"open\"]]"
fp -q -C "$ws" defect 1 set --owner "Dee Owner" --due 2027-01-15 \
    --by "Ana Engineer" &&
fp -q -C "$ws" defect 1 set --status fixed --by "Dee Owner" &&
fp -q -C "$ws" waive --defect 1 --justification "Identity fix scheduled" \
    --approver "Quality Lead" --expires 2027-03-31 &&
    ok "defect assigned, fixed and waived" ||
    not_ok "defect assigned, fixed and waived"

# Drill A passes on the same tunnel and scenario and verifies the defect.
# Its timeline uses markers of its own, and a swanctl listing without a
# time is read with --at.
a=$(new_run "$a_drill")
sed -n '2,12p' "$a_drill/state-3-after-takeover.txt" >"$TMP/peer-sas.txt"
import_drill "$ws" "$a" "$a_drill" &&
fp -q -C "$ws" import --run "$a" --kind timeline \
    --markers "$DATA/timeline/switchover.markers" \
    "$DATA/timeline/switchover.events.log" &&
fp -q -C "$ws" import --run "$a" --host peer --at 2026-12-04T19:49:31Z \
    "$TMP/peer-sas.txt" &&
fp -q -C "$ws" attest "$a" lifetimes-aligned --by "Bo Reviewer" \
    --note "compared swanctl --list-conns on fwa, fwb and peer" &&
fp -q -C "$ws" waive --run "$a" --criterion no-asymmetric-routing \
    --justification "Captures at the peer only" --approver "Quality Lead" \
    --expires 2027-03-31 &&
fp -C "$ws" evaluate --json "$a" >"$TMP/a.json" &&
    ok "A evaluates" || not_ok "A evaluates"
check_eq "the markers make the timeline graceful" \
    "$(jq -r .timeline_method "$TMP/a.json")" graceful
check_eq "A verifies the defect" \
    "$(fp -C "$ws" defects --json | jq -c 'map([.status, .verified_by_run])')" \
    "[[\"verified\",$a]]"
fp -q -C "$ws" report "$a" --xml "$TMP/report.xml" --pdf "$TMP/report.pdf" \
    --key "$TMP/key.pem" --cert "$TMP/cert.pem" &&
fp -q -C "$ws" review "$a" --reviewer "Bo Reviewer" --decision approve \
    --comment "Checked the captures against the ping gaps" \
    --key "$TMP/bo.key.pem" --cert "$TMP/bo.cert.pem" \
    --pdf "$TMP/reviewed.pdf" --xml "$TMP/reviewed.xml" &&
    ok "A is reported and signed off" || not_ok "A is reported and signed off"

# dump WORKSPACE: the rows of every table, in a fixed order.  The run's
# changed_at, the procedure's loaded_at and a clock offset's set_at are
# left out: no record states them, so a rebuild gives them the time of
# the commit that changed them, which the check below covers instead.
dump() {
	sqlite3 "$1/.failproof/store.db" <<'EOF'
.mode list
.headers on
SELECT id, procedure_id, revision, title, change_category, review_cycle,
    max_outage_ms, sha256, definition FROM procedure ORDER BY id;
SELECT * FROM procedure_control ORDER BY procedure;
SELECT id, procedure, tunnel, scenario, method, executed_by, primary_host,
    standby_host, peer_host, failover_at, max_outage_ms, created_at
    FROM run ORDER BY id;
SELECT run, host, offset_us FROM clock_offset ORDER BY run, host;
SELECT * FROM evidence ORDER BY id;
SELECT * FROM event ORDER BY id;
SELECT * FROM sample ORDER BY id;
SELECT * FROM packet ORDER BY id;
SELECT * FROM step ORDER BY id;
SELECT * FROM counter ORDER BY id;
SELECT * FROM flow ORDER BY id;
SELECT * FROM flow_path ORDER BY id;
SELECT * FROM flow_segment ORDER BY path, t_start, first_packet;
SELECT * FROM flow_anomaly ORDER BY flow, packet, kind;
SELECT * FROM evaluation ORDER BY id;
SELECT * FROM defect ORDER BY id;
SELECT * FROM report ORDER BY id;
SELECT * FROM review ORDER BY id;
SELECT * FROM attestation ORDER BY id;
SELECT * FROM waiver ORDER BY id;
SELECT * FROM defect_change ORDER BY id;
SELECT * FROM tunnel ORDER BY id;
SELECT * FROM change_record ORDER BY id;
EOF
}

# count TABLE: its rows in the workspace's store
count() {
	sqlite3 "$db" "SELECT count(*) FROM $1"
}

# command_output WORKSPACE: what the commands print.  Each 'evaluate'
# commits, so the time it runs at and the commit it names differ between
# the two workspaces after the first one.
command_output() {
	fp -C "$1" due --json --at 2026-12-31 &&
	fp -C "$1" defects --json &&
	fp -C "$1" procedure show &&
	fp -C "$1" tunnel list &&
	fp -C "$1" verify "$TMP/reviewed.pdf" "$TMP/reviewed.xml" &&
	fp -C "$1" evaluate --json "$b1" |
	    jq -S 'del(.evaluated_at, .evidence_commit)' &&
	fp -C "$1" evaluate --json "$a" |
	    jq -S 'del(.evaluated_at, .evidence_commit)'
}

cp -a "$ws" "$copy"
dump "$copy" >"$TMP/before.txt"
# Each table has rows of the test's making, so equal dumps are not empty.
for table in procedure_control clock_offset counter flow evaluation \
    defect report review attestation waiver defect_change tunnel \
    change_record; do
	check_eq "$table has rows before the rebuild" \
	    "$(test "$(count "$table")" -gt 0 && echo yes)" yes
done
check_eq "the defect is fixed, then verified" \
    "$(sqlite3 "$db" 'SELECT status, fixed_by, closed_by_run FROM defect')" \
    "verified|Dee Owner|$a"
check_eq "the timeline's markers made events" \
    "$(sqlite3 "$db" "SELECT count(*) FROM event WHERE kind = 'failure_injected' AND detail = 'graceful'")" 1
check_eq "the report's signer is recorded" \
    "$(sqlite3 "$db" 'SELECT signer_name, signer_subject FROM report')" \
    "Ana Engineer|O=Example, CN=failproof test signer"

rm -f "$ws"/.failproof/store.db*
check_status "rebuild succeeds" 0 fp -C "$ws" rebuild
check_contains "rebuild counts the runs" "$(cat "$TMP/out")" \
    "2 runs, $(sqlite3 "$copy/.failproof/store.db" 'SELECT count(*) FROM evidence') evidence files, 2 evaluations, 1 defects"
check_contains "rebuild counts the review workflow" "$(cat "$TMP/out")" \
    "1 reports, 1 reviews, 1 attestations, 2 waivers, 2 defect changes"
check_contains "rebuild counts the schedule" "$(cat "$TMP/out")" \
    "2 procedure rows, 3 approvals, 1 tunnels, 1 change records, 1 clock offsets"
check_eq "rebuild warns of nothing" "$(cat "$TMP/err")" ""

dump "$ws" >"$TMP/after.txt"
if cmp -s "$TMP/before.txt" "$TMP/after.txt"; then
	ok "every table is restored"
else
	not_ok "every table is restored" \
	    "$(diff "$TMP/before.txt" "$TMP/after.txt" | head -n 20)"
fi

# Staleness needs the order of the times left out of the dump: the last
# change of each run stays before its evaluation, report and review, in
# the rebuilt store as in the original.
order() {
	sqlite3 "$1/.failproof/store.db" "SELECT r.id,
	    r.changed_at < (SELECT max(evaluated_at) FROM evaluation e
		WHERE e.run = r.id),
	    coalesce(r.changed_at < (SELECT max(issued_at) FROM report p
		WHERE p.run = r.id), '-'),
	    coalesce(r.changed_at < (SELECT max(reviewed_at) FROM review v
		WHERE v.run = r.id), '-')
	    FROM run r ORDER BY r.id"
}
check_eq "runs changed before their evaluation, report and review" \
    "$(order "$ws")" "$(order "$copy")"
check_eq "the reviewed run is current" "$(order "$ws" | tail -n 1)" \
    "$a|1|1|1"

# The restored signer keeps the executor's certificate from reviewing
# under another name.
check_status "the executor's certificate still cannot review" 1 \
    fp -C "$ws" review "$a" --reviewer "Zed Reviewer" --decision approve \
    --comment "x" --key "$TMP/key.pem" --cert "$TMP/cert.pem"
check_contains "the refusal names the report's signer" "$(cat "$TMP/err")" \
    "has the public key of the certificate that signed report 'run-$a-report-1'"

command_output "$copy" >"$TMP/output-before.txt" 2>&1
command_output "$ws" >"$TMP/output-after.txt" 2>&1
if cmp -s "$TMP/output-before.txt" "$TMP/output-after.txt"; then
	ok "due, defects, procedure, tunnels, verify and evaluate agree"
else
	not_ok "due, defects, procedure, tunnels, verify and evaluate agree" \
	    "$(diff "$TMP/output-before.txt" "$TMP/output-after.txt" | head -n 20)"
fi
check_contains "the output includes the verified defect" \
    "$(cat "$TMP/output-after.txt")" '"verified_by_run": '"$a"
check_contains "the output includes the sign-off's signature" \
    "$(cat "$TMP/output-after.txt")" "reviewer's sign-off 'review-1'"
check_contains "the output includes the waived criterion" \
    "$(cat "$TMP/output-after.txt")" '"review": "waived"'
check_contains "the output includes the attestation" \
    "$(cat "$TMP/output-after.txt")" "attested by Bo Reviewer at"

# Vendor rules are not evidence: a rebuild parses syslog files with the
# rules there are now, and warns when they are not those of the import.
printf '# changed after the import\n' >>"$TMP/rules/lab.rules"
check_status "rebuild with changed rules succeeds" 0 fp -C "$ws" rebuild
check_contains "the changed rules are reported" "$(cat "$TMP/err")" \
    "1 syslog files were parsed again with vendor rules other than those of their import"
rm -r "$TMP/rules"
check_status "rebuild without the rules folder succeeds" 0 fp -C "$ws" rebuild
check_contains "the missing folder is reported" "$(cat "$TMP/err")" \
    "1 syslog files were parsed again with vendor rules"
finish
