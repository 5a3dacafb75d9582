#!/bin/sh
# Reviewer sign-off of drill A.  The executor cannot review, by name or
# by the key or subject of their report signature under another name.
# A valid review adds a second signature that pdfsig, xmlsec1 and
# 'failproof verify' accept beside the first.  A change to the run after
# the review makes the sign-off stale in the next report.
. "$(dirname "$0")/lib.sh"

ws=$TMP/ws
drill=$DATA/drills/A-dataplane-failover

# new_signer NAME SUBJECT [KEY]: a throwaway certificate, with a new P-256
# key or for the existing key KEY.
new_signer() {
	if [ $# -ge 3 ]; then
		openssl req -x509 -new -key "$3" -out "$TMP/$1.cert.pem" \
		    -days 2 -subj "$2" >/dev/null 2>&1
	else
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		    -nodes -keyout "$TMP/$1.key.pem" -out "$TMP/$1.cert.pem" \
		    -days 2 -subj "$2" >/dev/null 2>&1
	fi
}

new_signer ana "/CN=Ana Engineer/O=Example"
new_signer bo "/CN=Bo Reviewer/O=Example"
# The executor's key in a certificate that names someone else, and a new
# key in a certificate that names the executor.
new_signer alias "/CN=Someone Else/O=Example" "$TMP/ana.key.pem"
new_signer namesake "/CN=Ana Engineer/O=Example"

run=$(setup_drill "$ws" "$drill" 2) && ok "drill imports" ||
    not_ok "drill imports"
fp -q -C "$ws" evaluate "$run"
check_status "report is issued" 0 fp -C "$ws" report "$run" \
    --xml "$TMP/report.xml" --pdf "$TMP/report.pdf" \
    --key "$TMP/ana.key.pem" --cert "$TMP/ana.cert.pem"

review() {
	fp -C "$ws" review "$run" --decision approve \
	    --comment "Checked the captures against the ping gaps" "$@"
}

# Separation of duties
check_status "executor's name is refused" 1 review \
    --reviewer "  ana   ENGINEER " --key "$TMP/bo.key.pem" \
    --cert "$TMP/bo.cert.pem"
check_contains "refusal names the executor" "$(cat "$TMP/err")" \
    "ran this test (run $run was executed by 'Ana Engineer')"
check_status "executor's key under another name is refused" 1 review \
    --reviewer "Someone Else" --key "$TMP/ana.key.pem" \
    --cert "$TMP/alias.cert.pem"
check_contains "refusal names the public key" "$(cat "$TMP/err")" \
    "has the public key of the certificate that signed report 'run-$run-report-1'"
check_status "executor's certificate subject is refused" 1 review \
    --reviewer "Zed Reviewer" --key "$TMP/namesake.key.pem" \
    --cert "$TMP/namesake.cert.pem"
check_contains "refusal names the certificate's holder" "$(cat "$TMP/err")" \
    "is issued to 'Ana Engineer', who ran this test"
# The same holder in another letter case and attribute form is refused.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$TMP/case.key.pem" -out "$TMP/case.cert.pem" -days 2 \
    -subj "/O=Example/CN=ana engineer" >/dev/null 2>&1
check_status "executor's name in another case is refused" 1 review \
    --reviewer "Zed Reviewer" --key "$TMP/case.key.pem" \
    --cert "$TMP/case.cert.pem"
check_status "executor's certificate is refused" 1 review \
    --reviewer "Bo Reviewer" --key "$TMP/ana.key.pem" \
    --cert "$TMP/ana.cert.pem"
# Who changed the tunnel in the drill's quarter implemented what it tests.
fp -q -C "$ws" tunnel add site-ha --units fwa,fwb --peer peer \
    --vendor strongswan --ike 2
fp -q -C "$ws" change add --tunnel site-ha --kind timer \
    --at 2026-11-20 --by "Cy Changer <cy@example.org>" --ref "CHG-7 DPD 10s"
check_status "the author of a change record is refused" 1 review \
    --reviewer "Cy Changer" --key "$TMP/bo.key.pem" \
    --cert "$TMP/bo.cert.pem"
check_contains "refusal names the change" "$(cat "$TMP/err")" \
    "made change 'CHG-7 DPD 10s' to tunnel 'site-ha' in 2026Q4"
check_status "a review needs a comment" 1 fp -C "$ws" review "$run" \
    --reviewer "Bo Reviewer" --decision approve --comment " " \
    --key "$TMP/bo.key.pem" --cert "$TMP/bo.cert.pem"
check_status "decision is approve or reject" 2 fp -C "$ws" review "$run" \
    --reviewer "Bo Reviewer" --decision maybe --comment "x" \
    --key "$TMP/bo.key.pem" --cert "$TMP/bo.cert.pem"
check_status "a refused review leaves no tag" 1 \
    git -C "$ws" rev-parse -q --verify "refs/tags/run-$run-review-1"

# A valid review
check_status "reviewer signs off" 0 review --reviewer "Bo Reviewer" \
    --key "$TMP/bo.key.pem" --cert "$TMP/bo.cert.pem" \
    --pdf "$TMP/reviewed.pdf" --xml "$TMP/reviewed.xml"

# pdfsig exits 0 even when a signature is broken: count its lines.
sig=$(pdfsig -no-ocsp "$TMP/reviewed.pdf" 2>&1)
check_eq "pdfsig: two signatures" \
    "$(printf '%s\n' "$sig" | grep -c '^Signature #')" 2
check_eq "pdfsig: both valid" \
    "$(printf '%s\n' "$sig" | grep -c 'Signature Validation: Signature is Valid')" 2
check_contains "pdfsig: second signer is the reviewer" \
    "$(printf '%s\n' "$sig" | sed -n '/^Signature #2/,$p')" "CN=Bo Reviewer"
check_contains "pdfsig: the review covers the whole file" \
    "$(printf '%s\n' "$sig" | sed -n '/^Signature #2/,$p')" \
    "Total document signed"
check_status "issued PDF is unchanged" 0 \
    cmp -s "$TMP/report.pdf" "$ws/runs/run-0001/reports/run-1-report-1.pdf"

check_status "xmlsec1: report signature" 0 xmlsec1 --verify \
    --trusted-pem "$TMP/ana.cert.pem" "$TMP/reviewed.xml"
check_status "xmlsec1: sign-off signature" 0 xmlsec1 --verify \
    --trusted-pem "$TMP/bo.cert.pem" \
    --node-xpath "(//*[local-name()='Signature'])[2]" "$TMP/reviewed.xml"
check_status "xmllint: reviewed XML matches report.xsd" 0 xmllint --noout \
    --schema "$TESTS_DIR/../schema/report.xsd" "$TMP/reviewed.xml"
check_status "failproof verify accepts both files" 0 \
    fp -C "$ws" verify "$TMP/reviewed.pdf" "$TMP/reviewed.xml"
check_contains "verify names the sign-off" "$(cat "$TMP/out")" \
    "signed by O=Example, CN=Bo Reviewer, reviewer's sign-off 'review-1'"
check_contains "sign-off states the decision" \
    "$(cat "$TMP/reviewed.xml")" 'decision="approve"'
check_contains "sign-off states the report digest" \
    "$(cat "$TMP/reviewed.xml")" \
    "xml-sha256=\"$(sha256sum "$TMP/report.xml" | cut -c1-64)\""

check_eq "review commit is authored by the reviewer" \
    "$(git -C "$ws" log -1 --format=%an "run-$run-review-1")" "Bo Reviewer"
check_contains "review commit says what changed" \
    "$(git -C "$ws" log -1 --format=%B "run-$run-review-1")" \
    "Approve report run-$run-report-1 of run $run"

# Changes after signing
sed 's/<reviewer>Bo Reviewer</<reviewer>Ana Engineer</' \
    "$TMP/reviewed.xml" >"$TMP/forged.xml"
check_status "a changed sign-off does not verify" 3 \
    fp -C "$ws" verify "$TMP/forged.xml"
check_status "xmlsec1 rejects the changed sign-off" 1 xmlsec1 --verify \
    --trusted-pem "$TMP/bo.cert.pem" \
    --node-xpath "(//*[local-name()='Signature'])[2]" "$TMP/forged.xml"
sed 's/<verdict value="pass"/<verdict value="state-drift"/' \
    "$TMP/reviewed.xml" >"$TMP/forged-verdict.xml"
check_status "a changed verdict does not verify" 3 \
    fp -C "$ws" verify "$TMP/forged-verdict.xml"

# A sign-off copied in front of the real one, with the same xml:id, would
# let the real one be changed while its digest matched the copy.
python3 - "$TMP/reviewed.xml" "$TMP/duplicated.xml" <<'EOF'
import sys
s = open(sys.argv[1]).read()
start = s.index('<reviewer-signoff')
end = s.index('</reviewer-signoff>') + len('</reviewer-signoff>')
part = s[start:end]
changed = part.replace('decision="approve"', 'decision="reject"')
open(sys.argv[2], 'w').write(s[:start] + part + changed + s[end:])
EOF
check_status "a duplicated xml:id does not verify" 3 \
    fp -C "$ws" verify "$TMP/duplicated.xml"
check_contains "the duplicate is named" "$(cat "$TMP/err")" \
    "xml:id must be present and unique"

# A change to the run after the review makes the sign-off stale.
for host in fwa fwb peer; do
	fp -q -C "$ws" import --run "$run" --host "$host" \
	    "$drill/$host.swanctl.conf"
done
check_status "the old report can no longer be reviewed" 1 review \
    --reviewer "Cy Reviewer" --key "$TMP/bo.key.pem" \
    --cert "$TMP/bo.cert.pem"
check_contains "the refusal says the run changed" "$(cat "$TMP/err")" \
    "changed after report 'run-$run-report-1' was issued"
fp -q -C "$ws" evaluate "$run"
check_status "report after the re-import" 0 fp -C "$ws" report "$run" \
    --xml "$TMP/report2.xml" --pdf "$TMP/report2.pdf" \
    --key "$TMP/ana.key.pem" --cert "$TMP/ana.cert.pem"
check_contains "XML shows the stale sign-off" "$(cat "$TMP/report2.xml")" \
    'decision="approve" at="'
check_contains "XML marks it stale" "$(cat "$TMP/report2.xml")" \
    'stale="true"'
check_contains "XML lists the review record" "$(cat "$TMP/report2.xml")" \
    'kind="review" path="runs/run-0001/reviews/review-1.json"'
text=$(pdftotext "$TMP/report2.pdf" - 2>/dev/null | tr '\n' ' ')
check_contains "PDF says the sign-off is stale" "$text" \
    "stale: the run changed after the review"
# The drill ran in December 2026.
fp -q -C "$ws" quarterly --quarter 2026Q4 --xml "$TMP/q.xml" \
    --key "$TMP/ana.key.pem" --cert "$TMP/ana.cert.pem"
check_contains "the quarterly report marks the sign-off stale" \
    "$(cat "$TMP/q.xml")" 'status="stale"'
finish
