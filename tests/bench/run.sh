#!/bin/sh
# Benchmarks: each measures failproof against a baseline run in the same
# script on the same input, and prints the ratio, so results compare
# across machines.  Instruction counts come from valgrind's callgrind
# where it is installed (repeatable); wall-clock otherwise.
#
#   import: a capture imported by failproof vs. read by tcpdump
#   evaluate: evaluation of drill D vs. a plain SQLite count of its rows
#   capture summary: a capture of 500 MiB imported and listed by
#   failproof vs. tshark -T fields and a bare libpcap read loop
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
fp=$root/failproof
drill=$root/tests/data/drills/D-state-drift-ha-sync
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# seconds COMMAND...: wall-clock seconds of the best of three runs
seconds() {
	best=""
	for _ in 1 2 3; do
		start=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		end=$(date +%s.%N)
		t=$(echo "$end - $start" | bc)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then
			best=$t
		fi
	done
	echo "$best"
}

import_capture() {
	rm -rf "$tmp/ws"
	"$fp" -q init "$tmp/ws"
	"$fp" -q -C "$tmp/ws" run new --tunnel b --scenario 2 \
	    --method power --executed-by bench
	"$fp" -q -C "$tmp/ws" import --run 1 --host peer "$drill/peer-wan.pcap"
}

read_capture() {
	tcpdump -nr "$drill/peer-wan.pcap"
}

evaluate() {
	"$fp" -q -C "$tmp/ws" evaluate 1
}

count_rows() {
	sqlite3 "$tmp/ws/.failproof/store.db" \
	    "SELECT count(*) FROM packet; SELECT count(*) FROM event;"
}

ratio() {
	echo "scale=2; $1 / $2" | bc
}

import_capture >/dev/null
for h in fwa fwb peer; do
	"$fp" -q -C "$tmp/ws" import --run 1 --host "$h" "$drill/$h.charon.log"
done
"$fp" -q -C "$tmp/ws" import --run 1 "$drill/lan.ping.txt" \
    "$drill/lan.iperf3-client.json"

packets=$(sqlite3 "$tmp/ws/.failproof/store.db" "SELECT count(*) FROM packet")
t_import=$(seconds import_capture)
if command -v tcpdump >/dev/null; then
	t_base=$(seconds read_capture)
	echo "init, run new and import of $packets packets: ${t_import}s, tcpdump -r: ${t_base}s," \
	    "ratio $(ratio "$t_import" "$t_base")"
else
	echo "import $packets packets: ${t_import}s (install tcpdump for the baseline)"
fi

import_capture >/dev/null
for h in fwa fwb peer; do
	"$fp" -q -C "$tmp/ws" import --run 1 --host "$h" "$drill/$h.charon.log"
done
"$fp" -q -C "$tmp/ws" import --run 1 "$drill/lan.ping.txt" \
    "$drill/lan.iperf3-client.json"
t_eval=$(seconds evaluate)
t_count=$(seconds count_rows)
echo "evaluate drill D: ${t_eval}s, sqlite3 row count: ${t_count}s," \
    "ratio $(ratio "$t_eval" "$t_count")"

peak=$( { /usr/bin/time -f %M "$fp" -q -C "$tmp/ws" evaluate 1; } 2>&1 | tail -n 1)
base=$( { /usr/bin/time -f %M sqlite3 "$tmp/ws/.failproof/store.db" \
    "SELECT count(*) FROM packet"; } 2>&1 | tail -n 1)
echo "evaluate peak memory: ${peak} KiB, sqlite3: ${base} KiB," \
    "ratio $(ratio "$peak" "$base")"

# syslog: a large mixed vendor log (tests/bench/mksyslog.sh, 1 GiB unless
# FP_BENCH_SYSLOG_MB says otherwise) imported by failproof vs. counted by
# grep -c, with the peak memory of each.  A second import of an eighth of
# the size shows whether memory grows with the file.
syslog_mb=${FP_BENCH_SYSLOG_MB:-1024}
big=$tmp/mixed.log
small=$tmp/mixed-small.log
sh "$root/tests/bench/mksyslog.sh" "$big" "$syslog_mb"
sh "$root/tests/bench/mksyslog.sh" "$small" $((syslog_mb / 8 + 1))
bytes=$(wc -c <"$big")
lines=$(wc -l <"$big")

# import_syslog FILE: prints "seconds peak-KiB" of one import
import_syslog() {
	rm -rf "$tmp/wsl"
	"$fp" -q init "$tmp/wsl"
	"$fp" -q -C "$tmp/wsl" run new --tunnel b --scenario 2 \
	    --method power --executed-by bench >/dev/null
	start=$(date +%s.%N)
	peak=$( { /usr/bin/time -f %M "$fp" -q -C "$tmp/wsl" import --run 1 \
	    "$1" >/dev/null; } 2>&1 | tail -n 1)
	end=$(date +%s.%N)
	echo "$(echo "$end - $start" | bc) $peak"
}

set -- $(import_syslog "$big")
t_fp=$1
peak_fp=$2
set -- $(import_syslog "$small")
peak_small=$2
rm -rf "$tmp/wsl"
start=$(date +%s.%N)
# Not into /dev/null: GNU grep stops at the first match when it sees its
# output go there.
peak_grep=$( { /usr/bin/time -f %M grep -c IKE "$big" >"$tmp/grep.out"; } \
    2>&1 | tail -n 1)
end=$(date +%s.%N)
t_grep=$(echo "$end - $start" | bc)
mbytes=$(echo "scale=1; $bytes / 1048576" | bc)
echo "syslog import of $mbytes MiB, $lines lines:" \
    "${t_fp}s, $(echo "$lines / $t_fp" | bc) lines/s," \
    "$(echo "scale=1; $mbytes / $t_fp" | bc) MiB/s, peak ${peak_fp} KiB" \
    "(${peak_small} KiB for an eighth of the file)"
echo "grep -c IKE on the same file: ${t_grep}s," \
    "$(echo "$lines / $t_grep" | bc) lines/s," \
    "$(echo "scale=1; $mbytes / $t_grep" | bc) MiB/s, peak ${peak_grep} KiB;" \
    "ratio $(ratio "$t_fp" "$t_grep")"

# The quarterly report and the exports at 10, 100 and 1,000 generated
# runs, with the growth ratios between sizes (tests/bench/quarterly.sh).
echo "quarterly report and exports (time, peak memory, growth):"
sh "$root/tests/bench/quarterly.sh"

# Capture summary: drill A's WAN capture repeated into 500 MiB in /tmp
# (tests/bench/mkcapture.c), imported into a workspace and listed by
# 'failproof traffic'.  Beside it, on the same file: tshark -T fields
# with the fields of a capture summary, and a bare libpcap read loop
# (tests/bench/pcap_loop.c).  The import includes archiving the file in the
# evidence repository (SHA-256, zlib).  A quarter of the file shows
# whether peak memory grows with the capture.
wan=$root/tests/data/drills/A-dataplane-failover/peer-wan.pcap
cc -O2 -o "$tmp/mkcapture" "$root/tests/bench/mkcapture.c"
# shellcheck disable=SC2046
cc -O2 -o "$tmp/pcap_loop" "$root/tests/bench/pcap_loop.c" \
    $(pkg-config --cflags --libs libpcap)
"$tmp/mkcapture" "$wan" "$tmp/big.pcap" 500
"$tmp/mkcapture" "$wan" "$tmp/quarter.pcap" 125

# measure COMMAND...: "SECONDS KIB" of one run (output discarded)
measure() {
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>&1
	tail -n 1 "$tmp/time"
}

# import_timed CAPTURE: "SECONDS KIB" of importing CAPTURE into a new
# workspace; setting the workspace up is not measured.
import_timed() {
	rm -rf "$tmp/cws"
	"$fp" -q init "$tmp/cws"
	"$fp" -q -C "$tmp/cws" run new --tunnel b --scenario 2 \
	    --method power --executed-by bench >/dev/null
	measure "$fp" -q -C "$tmp/cws" import --run 1 --host peer "$1"
}

packets=$("$tmp/pcap_loop" "$tmp/big.pcap" | cut -d' ' -f1)
mib=$(($(wc -c <"$tmp/big.pcap") / 1048576))
set -- $(import_timed "$tmp/quarter.pcap")
q_peak=$2
set -- $(import_timed "$tmp/big.pcap")
i_time=$1 i_peak=$2
set -- $(measure "$fp" -C "$tmp/cws" traffic --json 1)
l_time=$1 l_peak=$2
set -- $(measure tshark -r "$tmp/big.pcap" -T fields -e frame.time_epoch \
    -e ip.src -e ip.dst -e udp.srcport -e udp.dstport -e esp.spi \
    -e esp.sequence -e isakmp.ispi -e isakmp.rspi -e isakmp.exchangetype)
t_time=$1 t_peak=$2
set -- $(measure "$tmp/pcap_loop" "$tmp/big.pcap")
p_time=$1 p_peak=$2
echo "capture summary of $mib MiB, $packets packets:"
echo "  failproof import ${i_time}s, peak ${i_peak} KiB" \
    "(${q_peak} KiB for a quarter of the file);" \
    "failproof traffic ${l_time}s, peak ${l_peak} KiB"
echo "  tshark -T fields ${t_time}s, peak ${t_peak} KiB; ratio" \
    "$(ratio "$i_time" "$t_time")"
echo "  libpcap read loop ${p_time}s, peak ${p_peak} KiB; ratio" \
    "$(ratio "$i_time" "$p_time")"
