#!/bin/sh
# Vendor syslog through the real binary: the per-file accounting of
# import, the events command (text, JSON, --kind), --show-unmatched,
# --skip-bad, rule folders from the workspace and --rules (good and
# broken), and --clock-offset stored for later imports.
. "$(dirname "$0")/lib.sh"

ws=$TMP/ws
db=$ws/.failproof/store.db
syslog=$DATA/syslog
fp -q init "$ws"
run=$(fp -C "$ws" run new --tunnel t1 --scenario 2 --method power \
    --executed-by "Ana Engineer" --failover-at 2026-07-08T10:30:00Z |
    tail -n 1)

# --- accounting --------------------------------------------------------

out=$(fp -C "$ws" import --run "$run" \
    "$syslog/keepalived-vrrp-transitions-issues.log")
check_contains "import counts lines" "$out" \
    "lines: 85 read, 0 bad, 0 continued, 64 unmatched (23 mention IKE, IPsec or HA)"
check_contains "import counts events per kind" "$out" \
    "events: ha_failover 20, operator_reset 1"
check_eq "vendor stored with each event" \
    "$(sqlite3 "$db" "SELECT DISTINCT vendor FROM event")" keepalived

out=$(fp -C "$ws" events "$run" --kind ha_failover | head -n 1)
check_eq "events lists time, host, vendor, kind, fields, source" "$out" \
    "2026-01-07T18:06:39.000000Z R6 keepalived ha_failover conn=enp9s0.100 detail=MASTER keepalived-vrrp-transitions-issues.log:17"
check_eq "events --kind filters" \
    "$(fp -C "$ws" events "$run" --kind operator_reset | wc -l)" 1
json=$(fp -C "$ws" events "$run" --json --kind operator_reset)
check_eq "events --json is valid JSON" \
    "$(printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0]["vendor"], d[0]["kind"], d[0]["fields"]["detail"], d[0]["source"]["line"])')" \
    "keepalived operator_reset v2.0.19 73"
check_eq "events --json of no events is an empty array" \
    "$(fp -C "$ws" events "$run" --json --kind invalid_spi | tr -d '\n ')" "[]"
check_status "events of an unknown run fails" 1 fp -C "$ws" events 99

# --- unmatched lines -----------------------------------------------------

out=$(fp -C "$ws" import --run "$run" --host fw --show-unmatched \
    "$syslog/paloalto-panos-system-vpn.log")
check_contains "unmatched lines are shown on request" "$out" \
    "unmatched line 1: 1,2012/04/08 03:24:17,001606001116,SYSTEM,vpn"
check_contains "unmatched lines beyond the sample are counted" "$out" \
    "(21 more unmatched lines mention IKE, IPsec or HA)"

# --- bad lines -----------------------------------------------------------

check_status "a cut line fails the import" 1 fp -C "$ws" import \
    --run "$run" "$syslog/checkpoint-vpn-ike-wazuh.log"
check_contains "the error names the file and line" "$(cat "$TMP/err")" \
    "'checkpoint-vpn-ike-wazuh.log' line 2: invalid RFC 5424 structured data"
check_eq "nothing stored from the failed import" \
    "$(sqlite3 "$db" "SELECT count(*) FROM evidence WHERE name LIKE 'checkpoint%'")" 0
out=$(fp -C "$ws" import --run "$run" --skip-bad \
    "$syslog/checkpoint-vpn-ike-wazuh.log" 2>"$TMP/err")
check_contains "--skip-bad imports the rest" "$out" \
    "events: ike_sa_deleted 1, proposal_mismatch 1"
check_contains "--skip-bad still counts the bad lines" "$out" \
    "lines: 5 read, 2 bad (skipped)"
check_contains "--skip-bad still reports each bad line" "$(cat "$TMP/err")" \
    "line 3: invalid RFC 5424 structured data"
check_eq "proposal rejection stored with its direction" \
    "$(sqlite3 "$db" "SELECT direction FROM event WHERE kind = 'proposal_mismatch'")" sent

out=$(fp -C "$ws" import --run "$run" --host asa \
    "$syslog/cisco-asa-ftd-vpn-sekoia.log" 2>/dev/null)
check_contains "events without a time are reported, not stored" "$out" \
    "not stored: 7 events from lines without a time stamp"

# --- rule folders ----------------------------------------------------------

mkdir -p "$ws/rules" "$TMP/broken" "$TMP/unknown"
cat >"$ws/rules/lab.rules" <<'EOF'
vendor lab-ha
program hamon

rule ha_failover
	literal became active
	match ^node (?<conn>\S+) became active$
	set detail ACTIVE
EOF
printf '%s\n' 'Jul  8 10:30:01 fwb hamon[7]: node fwb became active' \
    >"$TMP/hamon.log"
out=$(fp -C "$ws" import --run "$run" "$TMP/hamon.log")
check_contains "the workspace's rules/ folder is loaded" "$out" \
    "events: ha_failover 1"
check_eq "its events carry its vendor" \
    "$(fp -C "$ws" events "$run" --kind ha_failover | grep hamon)" \
    "2026-07-08T10:30:01.000000Z fwb lab-ha ha_failover conn=fwb detail=ACTIVE hamon.log:1"

printf 'vendor bad\nrule ha_failover\n\tmatch ^(unclosed\n' \
    >"$TMP/broken/bad.rules"
# A file not imported yet: a file imported before is a no-op that
# loads no rules.
printf 'x %s\n' 1 >"$TMP/one.log"
check_status "a rule file with a syntax error fails the import" 1 \
    fp -C "$ws" import --run "$run" --rules "$TMP/broken" --kind syslog "$TMP/one.log"
check_contains "the rule error names the file and line" "$(cat "$TMP/err")" \
    "bad.rules' line 3: invalid regex"
printf 'vendor bad\nrule tunnel_flapped\n\tmatch ^x$\n' \
    >"$TMP/unknown/kind.rules"
check_status "an unknown event kind fails the import" 1 \
    fp -C "$ws" import --run "$run" --rules "$TMP/unknown" --kind syslog "$TMP/one.log"
check_contains "the kind error names the file and line" "$(cat "$TMP/err")" \
    "kind.rules' line 2: unknown event kind 'tunnel_flapped'"

# --- clock offsets ---------------------------------------------------------

printf '%s\n' 'Jul  8 10:30:05 fwb hamon[7]: node fwb2 became active' \
    >"$TMP/hamon2.log"
fp -q -C "$ws" import --run "$run" --clock-offset fwb=-1.5s "$TMP/hamon2.log"
check_eq "the offset moves the host's times" \
    "$(fp -C "$ws" events "$run" --kind ha_failover | grep fwb2 | cut -d' ' -f1)" \
    "2026-07-08T10:30:03.500000Z"
check_eq "the offset is stored for the run" \
    "$(sqlite3 "$db" "SELECT host, offset_us FROM clock_offset")" "fwb|-1500000"
printf '%s\n' 'Jul  8 10:30:09 fwb hamon[7]: node fwb3 became active' \
    >"$TMP/hamon3.log"
fp -q -C "$ws" import --run "$run" "$TMP/hamon3.log"
check_eq "a stored offset applies to later imports" \
    "$(fp -C "$ws" events "$run" --kind ha_failover | grep fwb3 | cut -d' ' -f1)" \
    "2026-07-08T10:30:07.500000Z"
check_status "an invalid offset is rejected" 1 fp -C "$ws" import \
    --run "$run" --clock-offset fwb=soon "$TMP/one.log"
check_contains "the offset error says what to write" "$(cat "$TMP/err")" \
    "invalid duration 'soon'"

finish
