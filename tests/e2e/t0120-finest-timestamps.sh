#!/bin/sh
# When the same message arrives in a whole-second RFC 3164 syslog and in
# charon's millisecond file log, the figures come from the finer stamp.
. "$(dirname "$0")/lib.sh"

drill=$DATA/drills/C-ctrlplane-interrupt
ws=$TMP/ws
fp -q init "$ws"
run=$(fp -C "$ws" run new --tunnel t --scenario 1 --method process-kill \
    --executed-by a --primary fwa --standby fwb --peer peer \
    --failover-at "$(drill_kill_time "$drill")" | tail -n 1)
fp -q -C "$ws" import --run "$run" --host fwb "$drill/fwb.syslog-rfc3164.log"
fp -q -C "$ws" import --run "$run" --host fwb "$drill/fwb.charon.log"
fp -q -C "$ws" import --run "$run" "$drill/lan.ping.txt"
fp -C "$ws" evaluate --json "$run" >"$TMP/e.json"
check_eq "time to CHILD SA from the millisecond log" \
    "$(jq -r .child_sa_ms "$TMP/e.json")" 3047
check_eq "cited from the millisecond log" \
    "$(jq -r '.child_sa_evidence[0].file' "$TMP/e.json")" fwb.charon.log
finish
