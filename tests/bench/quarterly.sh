#!/bin/sh
# Benchmark of the quarterly report and the exports at 10, 100 and 1,000
# runs (on 2, 20 and 200 tunnels), generated from the five lab drills by
# gen-runs.sh and spread over the four quarters of 2026.  For each size
# it prints the wall-clock time and the peak resident memory of
# 'quarterly' (signed XML and PDF of 2026Q4), 'export oscal' and
# 'export junit', then the growth ratios between sizes: a linear cost
# grows about tenfold from one size to the next once the fixed start-up
# cost no longer dominates.
#
# usage: tests/bench/quarterly.sh   (from the source tree, after make)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
FAILPROOF=$root/failproof
FAILPROOF_DATADIR=$root
export FAILPROOF FAILPROOF_DATADIR
drills=$root/tests/data/drills
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fp=$FAILPROOF

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 \
    -subj "/CN=failproof bench signer" >/dev/null 2>&1

# The seed workspace: the five drills, imported and evaluated once.
seed=$tmp/seed
"$fp" -q init "$seed"
"$fp" -q -C "$seed" procedure approve 1.0 --by "Bench Approver" \
    --at 2025-12-01
for spec in A-dataplane-failover:2 B1-peer-reject-identity:2 \
    B4-controlplane-loss:2 C-ctrlplane-interrupt:1 A-dataplane-failover:3; do
	drill=$drills/${spec%%:*}
	kill=$(sed -n 's/^\([^ ]*\) KILL:.*/\1/p' "$drill/events.log" | head -n 1)
	run=$("$fp" -C "$seed" run new --tunnel seed --scenario "${spec#*:}" \
	    --method process-kill --executed-by "Bench Engineer" \
	    --primary fwa --standby fwb --peer peer --failover-at "$kill" |
	    tail -n 1)
	for host in fwa fwb peer; do
		"$fp" -q -C "$seed" import --run "$run" --host "$host" \
		    "$drill/$host.charon.log"
	done
	"$fp" -q -C "$seed" import --run "$run" --host peer \
	    "$drill/peer-wan.pcap"
	"$fp" -q -C "$seed" import --run "$run" "$drill/lan.ping.txt" \
	    "$drill/lan.iperf3-client.json"
	"$fp" -q -C "$seed" evaluate "$run"
done

# measure COMMAND...: prints "seconds peak-KiB" of one run of COMMAND
measure() {
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>&1
	cat "$tmp/time"
}

ratio() {
	echo "scale=1; $1 / $2" | bc
}

echo "runs  tunnels  quarterly s  KiB     oscal s  KiB     junit s  KiB"
for size in 10 100 1000; do
	ws=$tmp/ws-$size
	rm -rf "$ws"
	cp -r "$seed" "$ws"
	sh "$root/tests/bench/gen-runs.sh" "$ws" "$size" $((size / 5)) \
	    2026-01-01T00:00:00Z 2027-01-01T00:00:00Z >/dev/null
	set -- $(measure "$fp" -C "$ws" quarterly --quarter 2026Q4 \
	    --xml "$tmp/q.xml" --pdf "$tmp/q.pdf" --key "$tmp/key.pem" \
	    --cert "$tmp/cert.pem")
	q_s=$1 q_k=$2
	set -- $(measure "$fp" -C "$ws" export oscal --quarter 2026Q4 \
	    --out "$tmp/oscal")
	o_s=$1 o_k=$2
	set -- $(measure "$fp" -C "$ws" export junit --quarter 2026Q4 \
	    --out "$tmp/junit.xml")
	j_s=$1 j_k=$2
	printf '%-5s %-8s %-12s %-7s %-8s %-7s %-8s %s\n' "$size" \
	    $((size / 5)) "$q_s" "$q_k" "$o_s" "$o_k" "$j_s" "$j_k"
	eval "q_s_$size=$q_s q_k_$size=$q_k o_s_$size=$o_s"
done

# Times of 0.00 s (too fast to measure) would divide by zero.
floor() {
	if [ "$(echo "$1 < 0.01" | bc)" = 1 ]; then echo 0.01; else echo "$1"; fi
}
echo "growth 10 -> 100 runs: quarterly time x$(ratio "$(floor "$q_s_100")" \
    "$(floor "$q_s_10")"), memory x$(ratio "$q_k_100" "$q_k_10")," \
    "oscal time x$(ratio "$(floor "$o_s_100")" "$(floor "$o_s_10")")"
echo "growth 100 -> 1000 runs: quarterly time x$(ratio "$(floor "$q_s_1000")" \
    "$(floor "$q_s_100")"), memory x$(ratio "$q_k_1000" "$q_k_100")," \
    "oscal time x$(ratio "$(floor "$o_s_1000")" "$(floor "$o_s_100")")"
