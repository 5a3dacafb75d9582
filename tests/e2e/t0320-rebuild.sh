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
finish
