#!/bin/sh
# Report drill A: init a workspace, record the run, import the evidence,
# evaluate, and issue the signed PDF and XML reports into OUT.
#
# usage: examples/drill-a/run.sh OUT [FAILPROOF]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1
fp=${2:-$here/../../failproof}

rm -rf "$out"
mkdir -p "$out"

# A throwaway signer: the private key never leaves OUT and is not committed.
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$out/signer.key.pem" -out "$out/signer.cert.pem" -days 30 \
    -subj "/CN=failproof demo signer/O=Example Networks" 2>/dev/null
umask 022

"$fp" init "$out/workspace"
run=$("$fp" -C "$out/workspace" run new --tunnel site-ha --scenario 2 \
    --method process-kill --executed-by "Ana Engineer" \
    --primary fwa --standby fwb --peer peer | tail -n 1)
# The failover instant comes from the drill's timeline (its KILL: line).
"$fp" -C "$out/workspace" import --run "$run" "$here/events.log"
for host in fwa fwb peer; do
	"$fp" -C "$out/workspace" import --run "$run" --host "$host" \
	    "$here/$host.swanctl.conf" "$here/$host.charon.log"
done
"$fp" -C "$out/workspace" import --run "$run" --host peer "$here/peer-wan.pcap"
"$fp" -C "$out/workspace" import --run "$run" "$here/lan.ping.txt" \
    "$here/lan.iperf3-client.json"
"$fp" -C "$out/workspace" evaluate "$run"
"$fp" -C "$out/workspace" report "$run" --xml "$out/report.xml" \
    --pdf "$out/report.pdf" --key "$out/signer.key.pem" \
    --cert "$out/signer.cert.pem"
"$fp" -C "$out/workspace" verify "$out/report.pdf" "$out/report.xml"
echo "reports: $out/report.pdf $out/report.xml"
