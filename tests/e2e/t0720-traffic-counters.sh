#!/bin/sh
# SA counters as traffic evidence: the drills' snapshots list per SA and
# direction, a bare swanctl output needs --at, and counters read on both
# units of the HA pair decide the no-asymmetric-routing criterion.
. "$(dirname "$0")/lib.sh"

dir=$DATA/drills/D-state-drift-ha-sync
ws=$TMP/d
fp -q init "$ws"
run=$(fp -C "$ws" run new --tunnel site-ha --scenario 2 \
    --method process-kill --executed-by "Ana Engineer" --primary fwa \
    --standby fwb --peer peer --failover-at "$(drill_kill_time "$dir")" |
    tail -n 1)
fp -q -C "$ws" import --run "$run" "$dir"/state-*.txt "$dir/lan.ping.txt"
check_eq "the snapshots are counters" \
    "$(sqlite3 "$ws/.failproof/store.db" \
    "SELECT group_concat(DISTINCT kind) FROM evidence WHERE name LIKE 'state-%'")" \
    counters
fp -C "$ws" traffic --json "$run" >"$TMP/t.json"
series() {
	jq -c --arg h "$1" --arg s "$2" --arg d "$3" '.flows[] |
	    select(.source == "counters" and .host == $h and .spi == $s and
	    .direction == $d) | [.packets, .readings, .moved]' "$TMP/t.json"
}
# The peer accepted 71 packets before the kill and 87 after fwb's
# counter passed 71; fwa's daemon was gone after the kill.
check_eq "peer inbound 3dbcca57: 158 packets in 4 readings" \
    "$(series peer 3dbcca57 in)" "[158,4,true]"
check_eq "fwa inbound c1aa2f1d: only the 2 readings before the kill" \
    "$(series fwa c1aa2f1d in)" "[1274,2,true]"
check_eq "counter entries name the SA's addresses" \
    "$(jq -r '.flows[] | select(.host == "peer" and .direction == "in") |
    "\(.src) -> \(.dst)"' "$TMP/t.json")" "198.51.100.10 -> 198.51.100.1"
fp -C "$ws" evaluate --json "$run" >"$TMP/e.json"
check_eq "ping still gives the figures" \
    "$(jq -c '[.mttr_ms, .loss_window_ms, .mttr_source]' "$TMP/e.json")" \
    '[17626,17800,"ping"]'
check_eq "the counters are a source of their own" \
    "$(jq '[.loss_windows[] | select(.source == "counters")] | length' \
    "$TMP/e.json")" 2

# swanctl output alone has no time: --at gives it.
sed -n '2,12p' "$dir/state-3-after-takeover.txt" >"$TMP/peer-sas.txt"
check_status "swanctl output without a time is rejected" 1 \
    fp -C "$ws" import --run "$run" --host peer "$TMP/peer-sas.txt"
check_contains "the error names --at" "$(cat "$TMP/err")" "--at"
check_status "--at gives the time" 0 fp -C "$ws" import --run "$run" \
    --host peer --at 2026-12-04T19:42:52Z "$TMP/peer-sas.txt"
check_status "an invalid --at is a usage error" 2 fp -C "$ws" import \
    --run "$run" --at yesterday "$TMP/peer-sas.txt"

# snapshot HOST TIME SPI_IN IN SPI_OUT OUT: a swanctl snapshot of one
# unit in the lab's layout.  The asymmetric routing cases below have no
# real drill; their numbers are made up.
snapshot() {
	cat <<EOF
===== $1 ($2) =====
--- swanctl --list-sas
ha-vpn: #1, ESTABLISHED, IKEv2, 8a27e7f235aaa513_i* 9cb415a109343d03_r
  local  'vpn-ha.example.com' @ 198.51.100.10[4500]
  remote 'peer.example.net' @ 198.51.100.1[4500]
  site: #1, reqid 1, INSTALLED, TUNNEL-in-UDP, ESP:AES_GCM_16-256
    installed 60s ago, rekeying in 3305s, expires in 3940s
    in  $3, $(($4 * 500)) bytes, $4 packets
    out $5, $(($6 * 500)) bytes, $6 packets
    local  192.0.2.0/24
    remote 203.0.113.0/24
EOF
}

# asymmetric NAME FWA_IN FWA_OUT FWB_IN FWB_OUT: evaluate a run whose
# units' counters moved by these packets after the failover
asymmetric() {
	ws=$TMP/$1
	fp -q init "$ws"
	run=$(fp -C "$ws" run new --tunnel site-ha --scenario 2 \
	    --method process-kill --executed-by "Ana Engineer" --primary fwa \
	    --standby fwb --peer peer --failover-at "$(drill_kill_time "$dir")" |
	    tail -n 1)
	{ snapshot fwa 2026-12-04T19:42:50Z c1aa2f1d 1000 3dbcca57 100
	  snapshot fwb 2026-12-04T19:42:50Z aaaa0001 0 bbbb0001 0; } \
	    >"$TMP/$1-1.txt"
	{ snapshot fwa 2026-12-04T19:43:10Z c1aa2f1d $((1000 + $2)) \
	    3dbcca57 $((100 + $3))
	  snapshot fwb 2026-12-04T19:43:10Z aaaa0001 "$4" bbbb0001 "$5"; } \
	    >"$TMP/$1-2.txt"
	fp -q -C "$ws" import --run "$run" "$TMP/$1-1.txt" "$TMP/$1-2.txt" \
	    "$dir/lan.ping.txt"
	fp -C "$ws" evaluate --json "$run" | jq -c '.criteria[] |
	    select(.id == "no-asymmetric-routing") | [.result, .reason,
	    (.evidence | length)]' >"$TMP/$1.json"
}

asymmetric split 2000 0 0 150
check_eq "one unit in, the other out: fails" \
    "$(jq -r '.[0]' "$TMP/split.json")" fail
check_contains "the reason names both units" \
    "$(jq -r '.[1]' "$TMP/split.json")" "fwa carried inbound ESP, fwb carried outbound ESP"
check_eq "both readings are cited" "$(jq '.[2]' "$TMP/split.json")" 2

asymmetric oneway 0 0 0 150
check_eq "the standby carries one direction only: fails" \
    "$(jq -r '.[0]' "$TMP/oneway.json")" fail
check_contains "the reason says which direction moved" \
    "$(jq -r '.[1]' "$TMP/oneway.json")" "outbound ESP moved, inbound did not"

asymmetric symmetric 0 0 2000 150
check_eq "the standby carries both, the primary neither: passes" \
    "$(jq -r '.[0]' "$TMP/symmetric.json")" pass

finish
