#!/bin/sh
# A crash between an import's git commit and its SQLite commit leaves a
# committed file the store does not index; the next command indexes it
# again from the archived copy, and the evaluation is unchanged.
. "$(dirname "$0")/lib.sh"

ws=$TMP/ws
drill=$DATA/drills/A-dataplane-failover
run=$(setup_drill "$ws" "$drill" 2) && ok "drill imports" || not_ok "drill imports"
db=$ws/.failproof/store.db
before=$(fp -C "$ws" evaluate --json "$run" | jq -c '[.verdict, .mttr_ms, .loss_window_ms]')
events=$(sqlite3 "$db" 'SELECT count(*) FROM event')

# What the store looks like when the process died after the git commit of
# fwb.charon.log: the file and its sidecar are committed, no rows exist.
id=$(sqlite3 "$db" "SELECT id FROM evidence WHERE name = 'fwb.charon.log'")
sqlite3 "$db" "DELETE FROM event WHERE evidence = $id; DELETE FROM evidence WHERE id = $id"
check_eq "rows removed for the simulation" \
    "$(sqlite3 "$db" "SELECT count(*) FROM evidence WHERE name = 'fwb.charon.log'")" 0

fp -C "$ws" evaluate --json "$run" >"$TMP/after.json" 2>"$TMP/err"
check_contains "the repair is reported" "$(cat "$TMP/err")" "interrupted import"
check_eq "the file is indexed again" \
    "$(sqlite3 "$db" "SELECT count(*) FROM evidence WHERE name = 'fwb.charon.log'")" 1
check_eq "its events are back" "$(sqlite3 "$db" 'SELECT count(*) FROM event')" "$events"
check_eq "the evaluation is unchanged" \
    "$(jq -c '[.verdict, .mttr_ms, .loss_window_ms]' "$TMP/after.json")" "$before"

# A file staged but never committed is what a failed import left: it is
# not indexed.
mkdir -p "$ws/runs/run-0001/evidence"
cp "$drill/fwa.charon.log" "$ws/runs/run-0001/evidence/stray.log"
printf 'run: 1\nkind: syslog\nsha256: %s\nhost: fwa\ntz: \nyear: 0\nstrict: 0\n' \
    "$(sha256sum "$drill/fwa.charon.log" | cut -d' ' -f1)" \
    >"$ws/runs/run-0001/evidence/stray.log.import"
git -C "$ws" add runs/run-0001/evidence/stray.log
fp -C "$ws" evaluate "$run" >/dev/null 2>"$TMP/err"
check_eq "an uncommitted file is not indexed" \
    "$(sqlite3 "$db" "SELECT count(*) FROM evidence WHERE name = 'stray.log'")" 0
check_contains "its removal is reported" "$(cat "$TMP/err")" "removed 2 file(s)"
if [ -e "$ws/runs/run-0001/evidence/stray.log" ]; then
	not_ok "the uncommitted file is removed"
else
	ok "the uncommitted file is removed"
fi
check_eq "the index no longer stages it" "$(git -C "$ws" status --porcelain)" ""
finish
