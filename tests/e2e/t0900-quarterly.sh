#!/bin/sh
# The quarterly schedule and compliance report: due dates across quarter
# boundaries and after a change record, document control of the
# procedure, the signed quarterly XML and PDF of a quarter with generated
# runs, and the OSCAL and JUnit exports checked against their schemas.
. "$(dirname "$0")/lib.sh"

ws=$TMP/ws
D=$DATA/drills
ROOT=$TESTS_DIR/..
make_signer

# add_run DRILL SCENARIO TUNNEL: record, import and evaluate; prints the id
add_run() {
	run=$(fp -C "$ws" run new --tunnel "$3" --scenario "$2" \
	    --method process-kill --executed-by "Ana Engineer" --primary fwa \
	    --standby fwb --peer peer \
	    --failover-at "$(drill_kill_time "$D/$1")" | tail -n 1) || return 1
	import_drill "$ws" "$run" "$D/$1" >/dev/null || return 1
	fp -q -C "$ws" evaluate "$run" || return 1
	echo "$run"
}

# due_field AT TUNNEL SCENARIO FIELD
due_field() {
	fp -C "$ws" due --json --at "$1" |
	    jq -r ".[] | select(.tunnel == \"$2\" and .scenario == $3) | .$4"
}

fp -q init "$ws"
check_status "procedure approved with its signing date" 0 \
    fp -C "$ws" procedure approve 1.0 --by "Quality Lead" --at 2026-11-02
check_status "tunnel registered" 0 fp -C "$ws" tunnel add site-ha \
    --units fwa,fwb --peer peer --vendor strongswan --ike 2
fp -q -C "$ws" tunnel add branch-7 --units b7a,b7b --peer hq \
    --vendor strongswan --ike 1
check_status "tunnel name with a slash is rejected" 2 \
    fp -C "$ws" tunnel add a/b --units x,y --peer p --vendor v --ike 2
check_status "tunnel with one unit is rejected" 2 \
    fp -C "$ws" tunnel add single --units x --peer p --vendor v --ike 2
check_contains "tunnel list shows the IKE version" \
    "$(fp -C "$ws" tunnel list)" "branch-7"

pass2=$(add_run A-dataplane-failover 2 site-ha) &&
pass1=$(add_run C-ctrlplane-interrupt 1 site-ha) &&
back3=$(add_run A-dataplane-failover 3 site-ha) &&
fail2=$(add_run D-state-drift-ha-sync 2 site-ha) &&
    ok "four drills imported and evaluated" ||
    not_ok "four drills imported and evaluated"

# Due dates: a pass on 2026-12-04 (Q4) is due again by the end of Q1.
check_eq "due: last pass of scenario 2" \
    "$(due_field 2026-12-20 site-ha 2 last_pass_run)" "$pass2"
check_eq "due: current in the quarter of the pass" \
    "$(due_field 2026-12-20 site-ha 2 status)" current
check_eq "due: next due date across the year boundary" \
    "$(due_field 2026-12-20 site-ha 2 due_by)" 2027-03-31
check_eq "due: on the last day of Q1 it is due" \
    "$(due_field 2027-03-31T23:59:59Z site-ha 2 status)" due
check_eq "due: on the first day of Q2 it is overdue" \
    "$(due_field 2027-04-01 site-ha 2 status)" overdue
# Drill D (failed) ran at 19:42, drill A (passed) at 19:49.
check_eq "due: the latest run before A is the failed one" \
    "$(due_field 2026-12-04T19:45:00Z site-ha 2 last_run)" "$fail2"
check_eq "due: a failed run is not a pass" \
    "$(due_field 2026-12-04T19:45:00Z site-ha 2 last_pass_run)" null
check_eq "due: a tunnel that never passed goes missing" \
    "$(due_field 2099-01-01 branch-7 1 status)" missing

# A change record makes a re-test due, and is a commit by its actor.
check_status "change recorded" 0 fp -C "$ws" change add --tunnel site-ha \
    --kind crypto --at 2027-02-01T09:30:00Z \
    --by "Ben Ops <ben@example.org>" --ref "CHG-1042 AES-GCM"
check_eq "change commit authored by the actor" \
    "$(git -C "$ws" log -1 --format='%an <%ae>')" "Ben Ops <ben@example.org>"
check_eq "due: before the change, only due" \
    "$(due_field 2027-01-31 site-ha 1 status)" due
check_eq "due: after the change, re-test required" \
    "$(due_field 2027-02-02 site-ha 1 status)" "re-test required"
check_eq "due: the re-test names the change kind" \
    "$(due_field 2027-02-02 site-ha 3 change.kind)" crypto
check_status "change of an unregistered tunnel is rejected" 1 \
    fp -C "$ws" change add --tunnel nowhere --kind timer --at 2027-01-01 \
    --by Ben --ref x
check_status "change of an unknown kind is rejected" 2 \
    fp -C "$ws" change add --tunnel site-ha --kind color --at 2027-01-01 \
    --by Ben --ref x

# Document control: a draft revision, approval by its author refused, and
# a run under the draft flagged.
sed 's|<revision>1.0</revision>|<revision>1.1</revision>|' \
    "$ROOT/templates/vpn-ha-failover-test.xml" >"$TMP/procedure-1.1.xml"
check_status "revision 1.1 recorded as a draft" 0 fp -C "$ws" procedure \
    revise "$TMP/procedure-1.1.xml" --author "Ana Engineer" \
    --summary "Tighter repeatability"
check_status "the author cannot approve her revision" 1 \
    fp -C "$ws" procedure approve 1.1 --by "Ana Engineer"
check_contains "procedure show lists the draft" \
    "$(fp -C "$ws" procedure show)" "revision 1.1: draft"
draft=$(add_run B1-peer-reject-identity 2 site-ha) &&
    ok "run recorded under the draft" || not_ok "run recorded under the draft"

# Generated runs in 2026 on four more tunnels, so the quarter has
# earlier quarters to compare with.
FAILPROOF=$FAILPROOF sh "$ROOT/tests/bench/gen-runs.sh" "$ws" 40 4 \
    2026-01-01T00:00:00Z 2027-01-01T00:00:00Z >/dev/null 2>&1 &&
    ok "runs generated" || not_ok "runs generated"

check_status "quarterly report issued" 0 fp -C "$ws" quarterly \
    --quarter 2026Q4 --xml "$TMP/q.xml" --pdf "$TMP/q.pdf" \
    --key "$TMP/key.pem" --cert "$TMP/cert.pem"

sig=$(pdfsig -no-ocsp "$TMP/q.pdf" 2>&1)
check_contains "pdfsig: signature valid" "$sig" "Signature is Valid"
check_contains "pdfsig: whole document signed" "$sig" "Total document signed"
check_contains "pdfsig: detached CMS" "$sig" "adbe.pkcs7.detached"
check_status "xmlsec1 verifies the quarterly XML" 0 \
    xmlsec1 --verify --trusted-pem "$TMP/cert.pem" "$TMP/q.xml"
check_status "quarterly XML matches quarterly.xsd" 0 \
    xmllint --noout --schema "$ROOT/schema/quarterly.xsd" "$TMP/q.xml"

xp() {
	xmllint --xpath "$1" "$TMP/q.xml" 2>/dev/null
}
Q='/*[local-name()="quarterly-report"]'
check_eq "coverage: scenario 1 of site-ha passed" \
    "$(xp "string($Q/*[local-name()='coverage']/*[@tunnel='site-ha' and @scenario='1']/@result)")" \
    pass
check_eq "coverage: branch-7 not tested" \
    "$(xp "string($Q/*[local-name()='coverage']/*[@tunnel='branch-7' and @scenario='2']/@result)")" \
    not-tested
group="$Q/*[local-name()='mttr-statistics']/*[@tunnel='site-ha' and @scenario='2']/*[local-name()='period']"
# Scenario 2 recovered in 3.084 s (drill A) and 17.626 s (drill D); B1
# never recovered.
check_eq "MTTR median of site-ha scenario 2" "$(xp "string($group/@median-ms)")" 10355
check_eq "MTTR p95 of site-ha scenario 2" "$(xp "string($group/@p95-ms)")" 17626
check_eq "MTTR spread of site-ha scenario 2" "$(xp "string($group/@spread-ms)")" 14542
check_eq "not repeatable beyond the tolerance" "$(xp "string($group/@repeatable)")" no
check_eq "unrecovered run counted" "$(xp "string($group/@not-recovered)")" 1
check_eq "earlier quarters compared for generated tunnels" \
    "$(xp "count($Q/*[local-name()='mttr-statistics']/*[@tunnel='gen-000']/*[local-name()='earlier']) > 0")" \
    true
pair="$Q/*[local-name()='failback-symmetry']/*[@tunnel='site-ha']"
check_eq "failback paired with the scenario 2 run" \
    "$(xp "string($pair/@failover-run)")" "$pass2"
check_eq "failback held in both directions" \
    "$(xp "string($pair/@held-both-directions)")" true
check_eq "run under the draft flagged" \
    "$(xp "string($Q/*[local-name()='runs']/*[@id='$draft']/*[local-name()='flag']/@id)")" \
    draft-revision
check_eq "run under the approved revision not flagged for it" \
    "$(xp "count($Q/*[local-name()='runs']/*[@id='$pass2']/*[@id='draft-revision' or @id='unapproved-revision'])")" \
    0
check_eq "draft revision is a finding" \
    "$(xp "count($Q/*[local-name()='findings']/*[@id='draft-revision' and @run='$draft'])")" 1
check_eq "tunnel without runs is a finding" \
    "$(xp "count($Q/*[local-name()='findings']/*[@id='no-run-in-period' and @tunnel='branch-7'])")" 1
check_eq "prohibited assumption carried from the evaluation" \
    "$(xp "count($Q/*[local-name()='findings']/*[@id='timers-not-validated' and @run='$pass2'])")" 1
check_eq "defect of drill D open at the end" \
    "$(xp "string($Q/*[local-name()='defects']/*[@run='$fail2']/@open-at-end)")" true
check_eq "sign-off pending" \
    "$(xp "string($Q/*[local-name()='runs']/*[@id='$pass2']/*[local-name()='signoff']/@status)")" pending

text=$(pdftotext "$TMP/q.pdf" - 2>/dev/null)
check_contains "PDF shows the coverage matrix" "$text" "Coverage: tunnel"
check_contains "PDF shows the MTTR chart" "$text" "MTTR per tunnel over quarters"
check_contains "PDF shows failback symmetry" "$text" "Failback symmetry"
check_eq "quarterly tag archived the PDF" \
    "$(git -C "$ws" show "quarterly-2026Q4-1:quarterly/quarterly-2026Q4-1.pdf" | sha256sum | cut -d' ' -f1)" \
    "$(sha256sum "$TMP/q.pdf" | cut -d' ' -f1)"

sed 's/median-ms="10355"/median-ms="3084"/' "$TMP/q.xml" >"$TMP/tampered.xml"
check_status "xmlsec1 rejects a changed median" 1 \
    xmlsec1 --verify --trusted-pem "$TMP/cert.pem" "$TMP/tampered.xml"

# OSCAL, validated against the NIST 1.1.3 schemas with Debian's
# python3-jsonschema (hence /usr/bin/python3, whatever python3 is first
# in PATH).
check_status "OSCAL export" 0 fp -C "$ws" export oscal --quarter 2026Q4 \
    --out "$TMP/oscal"
for doc in assessment-results:assessment-results catalog:catalog poam:poam; do
	check_status "OSCAL ${doc%%:*} valid against the NIST schema" 0 \
	    /usr/bin/python3 "$ROOT/tests/oscal-validate.py" \
	    "$DATA/oscal/oscal_${doc#*:}_schema.json" "$TMP/oscal/${doc%%:*}.json"
done
result='.["assessment-results"].results[0]'
check_eq "one finding per criterion of the draft run" \
    "$(jq "[$result.findings[] | select(.props[] | .name == \"run\" and .value == \"$draft\")] | length" "$TMP/oscal/assessment-results.json")" \
    6
check_eq "observation carries the evidence hash" \
    "$(jq -r "[$result.observations[] | .[\"relevant-evidence\"][0].props[] | select(.name == \"sha256\") | .value] | index(\"$(sha256sum "$D/A-dataplane-failover/lan.ping.txt" | cut -d' ' -f1)\") != null" "$TMP/oscal/assessment-results.json")" \
    true
check_eq "timeline logged for the failover" \
    "$(jq "[$result[\"assessment-log\"].entries[] | select(.title == \"Run $pass2: failover\")] | length" "$TMP/oscal/assessment-results.json")" \
    1
check_eq "POA&M item for the open defect of drill D" \
    "$(jq "[.[\"plan-of-action-and-milestones\"][\"poam-items\"][] | select(.description | startswith(\"Run $fail2 failed\"))] | length" "$TMP/oscal/poam.json")" \
    1

# JUnit, validated against the Ant JUnit schema.
check_status "JUnit export" 0 fp -C "$ws" export junit --quarter 2026Q4 \
    --out "$TMP/junit.xml"
check_status "JUnit XML matches JUnit.xsd" 0 \
    xmllint --noout --schema "$DATA/junit/JUnit.xsd" "$TMP/junit.xml"
runs=$(xp "count($Q/*[local-name()='runs']/*)")
check_eq "one test case per run" \
    "$(xmllint --xpath 'count(//testcase)' "$TMP/junit.xml")" "$runs"
check_eq "drill D is a failure" \
    "$(xmllint --xpath "string(//testcase[@name='run $fail2']/failure/@type)" "$TMP/junit.xml")" \
    state-drift

finish
