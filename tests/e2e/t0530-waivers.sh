#!/bin/sh
# Waivers: an active waiver marks a criterion or a defect as waived, an
# expired one as not reviewed, and neither turns a result into a pass.
# Expiry is compared in UTC and the report shows the zone.
. "$(dirname "$0")/lib.sh"

ws=$TMP/ws
run=$(setup_drill "$ws" "$DATA/drills/A-dataplane-failover" 2)
make_signer

criterion_field() {
	fp -C "$ws" evaluate --json "$run" |
	    jq -r ".criteria[] | select(.id == \"no-asymmetric-routing\") | $1"
}

waive() {
	fp -C "$ws" waive --run "$run" --criterion no-asymmetric-routing \
	    --justification "no capture point at the standby in this lab" "$@"
}

check_status "an expiry in the past is refused" 1 waive \
    --approver "Cy Approver" --expires 2020-01-01
check_contains "the refusal says UTC" "$(cat "$TMP/err")" \
    "is not in the future (expiry is compared in UTC)"
check_status "the executor cannot approve" 1 waive \
    --approver "Ana Engineer" --expires 2099-01-01
check_status "an unknown criterion is refused" 1 fp -C "$ws" waive \
    --run "$run" --criterion no-such-criterion --justification x \
    --approver "Cy Approver" --expires 2099-01-01

# A waiver that expires two seconds from now.
soon=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)
check_status "waiver recorded" 0 waive --approver "Cy Approver" \
    --expires "$soon"
check_contains "the expiry is printed in UTC" "$(cat "$TMP/out")" "(UTC)"
check_eq "the waiver is the approver's commit" \
    "$(git -C "$ws" log -1 --format=%an)" "Cy Approver"
check_eq "active: the criterion is waived" "$(criterion_field .review)" \
    waived
check_eq "active: the result is unchanged" "$(criterion_field .result)" \
    inconclusive
sleep 3
check_eq "expired: the criterion is not reviewed" \
    "$(criterion_field .review)" not-reviewed
check_eq "expired: the waiver says so" "$(criterion_field .waiver.status)" \
    expired
check_eq "expired: never a pass" "$(criterion_field .result)" inconclusive
check_eq "expired: the outcome stays inconclusive" \
    "$(fp -C "$ws" evaluate --json "$run" | jq -r .outcome)" inconclusive

fp -q -C "$ws" evaluate "$run"
check_status "report with the expired waiver" 0 fp -C "$ws" report "$run" \
    --xml "$TMP/report.xml" --pdf "$TMP/report.pdf" \
    --key "$TMP/key.pem" --cert "$TMP/cert.pem"
check_contains "XML: the waiver record says not reviewed" \
    "$(cat "$TMP/report.xml")" \
    "criterion no-asymmetric-routing of run $run not reviewed: the waiver by Cy Approver expired"
check_contains "XML: the expiry shows the zone" "$(cat "$TMP/report.xml")" \
    "Z (UTC)"
text=$(pdftotext "$TMP/report.pdf" - 2>/dev/null | tr '\n' ' ')
check_contains "PDF: the waiver is not reviewed" "$text" "not reviewed"

# A defect waiver.
b1=$TMP/b1
id=$(setup_drill "$b1" "$DATA/drills/B1-peer-reject-identity" 2)
fp -q -C "$b1" evaluate "$id"
check_status "a defect waiver is recorded" 0 fp -C "$b1" waive --defect 1 \
    --justification "identity fixed in the next maintenance window" \
    --approver "Cy Approver" --expires 2099-12-31
check_eq "the defect is waived" \
    "$(fp -C "$b1" defects --json | jq -r '.[0].review')" waived
check_eq "a waived defect stays open" \
    "$(fp -C "$b1" defects --json | jq -r '.[0].status')" open
check_eq "the waiver expiry is UTC midnight" \
    "$(fp -C "$b1" defects --json | jq -r '.[0].waiver.expires_at')" \
    "2099-12-31T00:00:00.000Z"
finish
