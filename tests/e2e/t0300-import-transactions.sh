#!/bin/sh
# An import is all or nothing: a bad file names its line, exits non-zero
# and leaves the store and the repository as they were; the same bytes
# imported twice are a no-op; evidence is archived byte for byte.
. "$(dirname "$0")/lib.sh"

ws=$TMP/ws
drill=$DATA/drills/A-dataplane-failover
fp -q init "$ws"
run=$(fp -C "$ws" run new --tunnel t1 --scenario 2 --method power \
    --executed-by "Ana Engineer" | tail -n 1)
check_eq "run id is printed last" "$run" 1

db=$ws/.failproof/store.db
latest=$(ls "$TESTS_DIR/../schema" | sed -n 's/^0*\([0-9][0-9]*\)-.*\.sql$/\1/p' | sort -n | tail -n 1)
check_eq "schema version recorded" "$(sqlite3 "$db" 'PRAGMA user_version')" "$latest"
check_eq "store runs in WAL mode" "$(sqlite3 "$db" 'PRAGMA journal_mode')" wal
check_eq "procedure recorded" \
    "$(sqlite3 "$db" 'SELECT procedure_id FROM procedure')" VPN-HA-FAILOVER-TEST

fp -q -C "$ws" import --run "$run" --host fwb "$drill/fwb.charon.log"
commits=$(git -C "$ws" rev-list --count HEAD)
events=$(sqlite3 "$db" 'SELECT count(*) FROM event')

printf '%s\n' \
    '2026-12-04T19:49:10.914 00[DMN] Starting IKE charon daemon' \
    '<30>1 2026-13-01T19:49:10Z fwb charon - - - 00[IKE] bad month' \
    >"$TMP/bad.log"
check_status "bad syslog line fails the import" 1 \
    fp -C "$ws" import --run "$run" --host fwb "$TMP/bad.log"
check_contains "error names file and line" "$(cat "$TMP/err")" "'bad.log' line 2"
check_contains "error says what is wrong" "$(cat "$TMP/err")" "2026-13-01"
check_eq "no commit for a failed import" \
    "$(git -C "$ws" rev-list --count HEAD)" "$commits"
check_eq "no events from a failed import" \
    "$(sqlite3 "$db" 'SELECT count(*) FROM event')" "$events"
check_eq "no evidence row from a failed import" \
    "$(sqlite3 "$db" "SELECT count(*) FROM evidence WHERE name = 'bad.log'")" 0
check_eq "working tree clean after a failed import" \
    "$(git -C "$ws" status --porcelain)" ""

printf 'not a capture at all\n' >"$TMP/junk.pcap"
check_status "unknown content names the fix" 1 \
    fp -C "$ws" import --run "$run" "$TMP/junk.pcap"
check_contains "unknown kind message" "$(cat "$TMP/err")" "--kind"

check_status "re-import of the same bytes succeeds" 0 \
    fp -C "$ws" import --run "$run" --host fwb "$drill/fwb.charon.log"
check_contains "re-import says it is a no-op" "$(cat "$TMP/out")" \
    "already imported"
check_eq "re-import adds no commit" \
    "$(git -C "$ws" rev-list --count HEAD)" "$commits"

path=$(sqlite3 "$db" "SELECT repo_path FROM evidence WHERE name = 'fwb.charon.log'")
check_eq "archived byte for byte" \
    "$(git -C "$ws" show "HEAD:$path" | sha256sum | cut -d' ' -f1)" \
    "$(sha256sum "$drill/fwb.charon.log" | cut -d' ' -f1)"
check_eq "stored SHA-256 matches the file" \
    "$(sqlite3 "$db" "SELECT sha256 FROM evidence WHERE name = 'fwb.charon.log'")" \
    "$(sha256sum "$drill/fwb.charon.log" | cut -d' ' -f1)"
check_eq "events keep their source line" \
    "$(sqlite3 "$db" "SELECT line FROM event WHERE kind = 'ike_sa_established'")" \
    "$(grep -n 'IKE_SA ha-vpn\[1\] established' "$drill/fwb.charon.log" | cut -d: -f1)"

check_status "unknown run is an error" 1 \
    fp -C "$ws" import --run 99 "$drill/lan.ping.txt"
check_contains "unknown run message" "$(cat "$TMP/err")" "run 99 not found"
check_status "a report of an unevaluated run is refused" 1 \
    fp -C "$ws" report "$run" --xml "$TMP/r.xml" --key k --cert c
check_contains "refusal says to evaluate" "$(cat "$TMP/err")" "evaluate"
check_status "invalid scenario is a usage error" 2 \
    fp -C "$ws" run new --tunnel t --scenario 4 --method power --executed-by a
check_status "not a workspace" 1 fp -C "$TMP/nowhere" evaluate 1
check_status "zero maximum outage is a usage error" 2 \
    fp -C "$ws" run new --tunnel t --scenario 2 --method power \
    --executed-by a --max-outage 0
check_status "empty tunnel is a usage error" 2 \
    fp -C "$ws" run new --tunnel '' --scenario 2 --method power --executed-by a
check_status "one host in two roles is a usage error" 2 \
    fp -C "$ws" run new --tunnel t --scenario 2 --method power \
    --executed-by a --primary fwa --standby fwa
check_status "missing file is named" 1 \
    fp -C "$ws" import --run "$run" "$TMP/missing.log"
check_contains "missing file message" "$(cat "$TMP/err")" "No such file"
: >"$TMP/empty.log"
check_status "empty file is rejected" 1 \
    fp -C "$ws" import --run "$run" "$TMP/empty.log"
check_contains "empty file message" "$(cat "$TMP/err")" "is empty"

# A failover instant outside the evidence is a mistyped date or zone.
fp -q -C "$ws" import --run "$run" "$drill/lan.ping.txt"
fp -q -C "$ws" run set "$run" --failover-at 2030-01-01T00:00:00Z
check_status "failover outside the evidence is rejected" 1 \
    fp -C "$ws" evaluate "$run"
check_contains "the covered range is named" "$(cat "$TMP/err")" \
    "outside the evidence"
check_status "the executor of a run cannot change" 2 \
    fp -C "$ws" run set "$run" --executed-by "Someone Else"
check_status "the failover instant can be corrected" 0 \
    fp -C "$ws" run set "$run" --failover-at "$(drill_kill_time "$drill")"
check_status "the corrected run evaluates" 0 fp -C "$ws" evaluate "$run"
check_contains "the correction is a commit" \
    "$(git -C "$ws" log --format=%s | sed -n 2p)" "Change run $run"

# Invalid option values are usage errors (exit 2), found before any
# workspace work.
check_status "an invalid quarter is a usage error" 2 fp -C "$ws" quarterly \
    --quarter 2026Q5 --xml "$TMP/q.xml" --key k --cert c
check_status "an impossible expiry date is a usage error" 2 fp -C "$ws" \
    waive --run "$run" --criterion new-ike-sa --justification j \
    --approver "Bo Reviewer" --expires 2099-02-30
finish
