#!/bin/sh
# A clock offset given at import shifts that host's events and is stated
# in the signed report.
. "$(dirname "$0")/lib.sh"

drill=$DATA/drills/A-dataplane-failover
ws=$TMP/ws
make_signer
fp -q init "$ws"
run=$(fp -C "$ws" run new --tunnel t --scenario 2 --method process-kill \
    --executed-by a --primary fwa --standby fwb --peer peer \
    --failover-at "$(drill_kill_time "$drill")" | tail -n 1)
fp -q -C "$ws" import --run "$run" --host fwb --clock-offset fwb=+250ms \
    "$drill/fwb.charon.log"
fp -q -C "$ws" import --run "$run" --host peer "$drill/peer.charon.log"
fp -q -C "$ws" import --run "$run" "$drill/lan.ping.txt"
fp -C "$ws" evaluate --json "$run" >"$TMP/e.json"
# fwb logged its CHILD SA 3.043 s after the kill; the offset adds 0.250 s.
check_eq "the standby's CHILD SA time includes the offset" \
    "$(jq -r .child_sa_ms "$TMP/e.json")" 3293
fp -q -C "$ws" report "$run" --xml "$TMP/r.xml" --pdf "$TMP/r.pdf" \
    --key "$TMP/key.pem" --cert "$TMP/cert.pem"
check_contains "the XML states the offset" "$(cat "$TMP/r.xml")" \
    "corrected by +0.250000 s"
check_contains "the PDF states the offset" \
    "$(pdftotext "$TMP/r.pdf" - 2>/dev/null | tr '\n' ' ')" \
    "host fwb were corrected by +0.250000 s"
finish
