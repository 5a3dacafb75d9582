#!/bin/sh
# Traffic proof from the lab drills' captures.  The captures alone (the
# peer's WAN and inside captures) give MTTR and the loss window within
# the captures' resolution of the figures ping measured; the data-plane
# faults no daemon has to log are found from the capture alone: drill
# D's sequence restart on an unchanged SPI, drill B4's ESP to an SPI the
# standby does not have.
. "$(dirname "$0")/lib.sh"

# new_run WS SCENARIO DRILL: a run with the drill's failover instant
new_run() {
	fp -q init "$1" || return 1
	fp -C "$1" run new --tunnel site-ha --scenario "$2" \
	    --method process-kill --executed-by "Ana Engineer" --primary fwa \
	    --standby fwb --peer peer --failover-at "$(drill_kill_time "$3")" |
	    tail -n 1
}

# within NAME GOT EXPECTED TOLERANCE: |GOT - EXPECTED| <= TOLERANCE, or
# both null
within() {
	if [ "$2" = null ] || [ "$3" = null ]; then
		check_eq "$1" "$2" "$3"
	elif [ $(($2 - $3)) -le "$4" ] && [ $(($3 - $2)) -le "$4" ]; then
		ok "$1"
	else
		not_ok "$1" "expected: $3 (within $4 ms)" "got:      $2"
	fi
}

for drill in A-dataplane-failover B1-peer-reject-identity \
    B4-controlplane-loss C-ctrlplane-interrupt D-state-drift-ha-sync; do
	dir=$DATA/drills/$drill
	scenario=2
	[ "$drill" = C-ctrlplane-interrupt ] && scenario=1

	run=$(new_run "$TMP/ping-$drill" $scenario "$dir") &&
	    fp -q -C "$TMP/ping-$drill" import --run "$run" \
	    "$dir/lan.ping.txt" &&
	    fp -C "$TMP/ping-$drill" evaluate --json "$run" >"$TMP/ping.json"
	run=$(new_run "$TMP/cap-$drill" $scenario "$dir") &&
	    fp -q -C "$TMP/cap-$drill" import --run "$run" --host peer \
	    "$dir/peer-wan.pcap" "$dir/peer-inside.pcap" &&
	    fp -C "$TMP/cap-$drill" evaluate --json "$run" >"$TMP/cap.json" || {
		not_ok "$drill: evaluates from ping and from the captures"
		continue
	}
	ok "$drill: evaluates from ping and from the captures"

	resolution=$(jq '[.loss_windows[] | select(.used) |
	    .resolution_ms] | max // 0' "$TMP/cap.json")
	within "$drill: MTTR from the captures agrees with ping" \
	    "$(jq .mttr_ms "$TMP/cap.json")" "$(jq .mttr_ms "$TMP/ping.json")" \
	    "$(jq '.mttr_resolution_ms // 0' "$TMP/cap.json")"
	within "$drill: loss window from the captures agrees with ping" \
	    "$(jq .loss_window_ms "$TMP/cap.json")" \
	    "$(jq .loss_window_ms "$TMP/ping.json")" "$resolution"
	if [ "$(jq .mttr_ms "$TMP/cap.json")" != null ]; then
		check_contains "$drill: MTTR names a capture source" \
		    "clear esp" "$(jq -r .mttr_source "$TMP/cap.json")"
	fi
done

# The figures of the captures alone decide the drills that recovered.
check_eq "A from the captures passes" \
    "$(fp -C "$TMP/cap-A-dataplane-failover" evaluate --json 1 |
    jq -r .verdict)" pass
check_eq "C from the captures passes" \
    "$(fp -C "$TMP/cap-C-ctrlplane-interrupt" evaluate --json 1 |
    jq -r .verdict)" pass

# Drill D from its WAN capture and ping alone: the restart on SPI
# 3dbcca57 is the anti-replay failure.
dir=$DATA/drills/D-state-drift-ha-sync
ws=$TMP/d
run=$(new_run "$ws" 2 "$dir")
fp -q -C "$ws" import --run "$run" --host peer "$dir/peer-wan.pcap"
fp -q -C "$ws" import --run "$run" "$dir/lan.ping.txt"
fp -C "$ws" evaluate --json "$run" >"$TMP/d.json"
check_eq "D from the capture: verdict" "$(jq -r .verdict "$TMP/d.json")" \
    state-drift
check_eq "D from the capture: cause" "$(jq -r .cause "$TMP/d.json")" \
    replay-window
check_eq "D from the capture: the restart is cited" \
    "$(jq -c '.decision_path[] | select(.question == 3) | .evidence |
    map(select(.file == "peer-wan.pcap")) | length > 0' "$TMP/d.json")" true
check_eq "D keeps ping's MTTR" "$(jq .mttr_ms "$TMP/d.json")" 17626
fp -C "$ws" traffic --json "$run" >"$TMP/dt.json"
check_eq "D: one restart on SPI 3dbcca57" \
    "$(jq '.flows[] | select(.spi == "3dbcca57" and .source == "esp") |
    .seq_restarts' "$TMP/dt.json")" 1
# The peer's log has 71 "sequence number verification failed" lines.
check_eq "D: the restart drops 71 packets, as the peer logged" \
    "$(jq '.flows[] | select(.spi == "3dbcca57" and .source == "esp") |
    .flags[] | select(.id == "seq-restart") | .packets' "$TMP/dt.json")" \
    "$(grep -c 'sequence number verification failed' "$dir/peer.charon.log")"
check_eq "D: packets of SPI 3dbcca57 as tshark counts them" \
    "$(jq '.flows[] | select(.spi == "3dbcca57" and .source == "esp") |
    .packets' "$TMP/dt.json")" \
    "$(tshark -r "$dir/peer-wan.pcap" -Y 'esp.spi == 0x3dbcca57 && !icmp' \
    2>/dev/null | wc -l | tr -d ' ')"

# Drill B4 from its WAN capture and ping alone: the peer keeps sending
# ESP on the primary's SPI to the standby, which never answers.
dir=$DATA/drills/B4-controlplane-loss
ws=$TMP/b4
run=$(new_run "$ws" 2 "$dir")
fp -q -C "$ws" import --run "$run" --host peer "$dir/peer-wan.pcap"
fp -q -C "$ws" import --run "$run" "$dir/lan.ping.txt"
fp -C "$ws" evaluate --json "$run" >"$TMP/b4.json"
check_eq "B4 from the capture: verdict" "$(jq -r .verdict "$TMP/b4.json")" \
    control-plane-loss
check_eq "B4 from the capture: cause" "$(jq -r .cause "$TMP/b4.json")" \
    dpd-mismatch
fp -C "$ws" traffic --json "$run" >"$TMP/b4t.json"
check_eq "B4: ESP to a dead SPI is flagged" \
    "$(jq -r '.flows[] | select(.source == "esp") | .flags[] |
    select(.id == "dead-spi") | .evidence[0].file' "$TMP/b4t.json")" \
    peer-wan.pcap
check_contains "B4: traffic-resumed names the dead SPI" \
    "$(jq -r '.criteria[] | select(.id == "traffic-resumed") | .reason' \
    "$TMP/b4.json")" "6c4f34a7"

# Drills A and C have no restart, no dead SPI: nothing is flagged.
for drill in A-dataplane-failover C-ctrlplane-interrupt; do
	fp -C "$TMP/cap-$drill" traffic --json 1 >"$TMP/flags.json"
	check_eq "$drill: no data-plane flag" \
	    "$(jq '[.flows[].flags[]] | length' "$TMP/flags.json")" 0
done

# With all the evidence (logs, both captures, ping, iperf3), the drills
# keep the figures ping measured, within the captures' resolution.
for drill in A-dataplane-failover D-state-drift-ha-sync; do
	ws=$TMP/all-$drill
	run=$(setup_drill "$ws" "$DATA/drills/$drill" 2)
	fp -q -C "$ws" import --run "$run" --host peer \
	    "$DATA/drills/$drill/peer-inside.pcap"
	fp -C "$ws" evaluate --json "$run" >"$TMP/all.json"
	case $drill in
	A-*) mttr=3084 loss=3268 verdict=pass ;;
	D-*) mttr=17626 loss=17800 verdict=state-drift ;;
	esac
	check_eq "$drill with every source: verdict" \
	    "$(jq -r .verdict "$TMP/all.json")" $verdict
	within "$drill with every source: MTTR" \
	    "$(jq .mttr_ms "$TMP/all.json")" $mttr \
	    "$(jq .mttr_resolution_ms "$TMP/all.json")"
	within "$drill with every source: loss window" \
	    "$(jq .loss_window_ms "$TMP/all.json")" $loss \
	    "$(jq '[.loss_windows[] | select(.used) | .resolution_ms] | max' \
	    "$TMP/all.json")"
	check_eq "$drill with every source: asymmetric routing undecided" \
	    "$(jq -r '.criteria[] | select(.id == "no-asymmetric-routing") |
	    .result' "$TMP/all.json")" inconclusive
done

finish
