#!/bin/sh
# The store is an index: a lost or damaged one is rebuilt from the
# evidence repository, and the run evaluates the same afterwards.
. "$(dirname "$0")/lib.sh"

ws=$TMP/ws
drill=$DATA/drills/B1-peer-reject-identity
run=$(setup_drill "$ws" "$drill" 2) && ok "drill imports" || not_ok "drill imports"
before=$(fp -C "$ws" evaluate --json "$run" | jq -c '[.verdict, .cause, .mttr_ms]')
evidence=$(sqlite3 "$ws/.failproof/store.db" 'SELECT count(*) FROM evidence')

rm -f "$ws"/.failproof/store.db*
check_status "a missing store is reported" 1 fp -C "$ws" evaluate "$run"
check_contains "the message names the fix" "$(cat "$TMP/err")" "rebuild"
check_status "rebuild succeeds" 0 fp -C "$ws" rebuild
check_contains "rebuild counts what it restored" "$(cat "$TMP/out")" \
    "1 runs, $evidence evidence files, 1 evaluations"
check_eq "the run evaluates the same" \
    "$(fp -C "$ws" evaluate --json "$run" | jq -c '[.verdict, .cause, .mttr_ms]')" \
    "$before"
check_eq "the failed run's defect is open again" \
    "$(sqlite3 "$ws/.failproof/store.db" "SELECT status FROM defect WHERE run = $run")" \
    open

# Overwrite the database header: SQLite no longer recognises the file.
printf 'this is not a database at all' |
    dd of="$ws/.failproof/store.db" bs=1 seek=0 conv=notrunc 2>/dev/null
check_status "a damaged store is reported" 1 fp -C "$ws" evaluate "$run"
check_contains "the damage message names the fix" "$(cat "$TMP/err")" \
    "rebuild"
check_status "a damaged store is rebuilt" 0 fp -C "$ws" rebuild
check_contains "the damaged store is kept aside" "$(cat "$TMP/out")" \
    "moved the old store"
check_eq "the run evaluates the same after the rebuild" \
    "$(fp -C "$ws" evaluate --json "$run" | jq -c '[.verdict, .cause, .mttr_ms]')" \
    "$before"
# An issued report is never replaced: after a rebuild the next report
# takes the next number the repository has free.
make_signer
check_status "a report is issued" 0 fp -C "$ws" report "$run" \
    --xml "$TMP/r1.xml" --key "$TMP/key.pem" --cert "$TMP/cert.pem"
first=$(git -C "$ws" rev-parse "run-$run-report-1:runs/run-000$run/reports/run-$run-report-1.xml")
rm -f "$ws"/.failproof/store.db*
fp -q -C "$ws" rebuild
fp -q -C "$ws" evaluate "$run"
check_status "a report after the rebuild is issued" 0 fp -C "$ws" report "$run" \
    --xml "$TMP/r2.xml" --key "$TMP/key.pem" --cert "$TMP/cert.pem"
check_eq "it takes the next number" "$(git -C "$ws" tag -l "run-$run-report-2")" \
    "run-$run-report-2"
check_eq "the first report is unchanged" \
    "$(git -C "$ws" rev-parse "HEAD:runs/run-000$run/reports/run-$run-report-1.xml")" \
    "$first"
finish
