#!/bin/sh
# 'failproof traffic' on every corpus capture agrees with tshark, read in
# the same script: ESP packets and bytes per SPI and direction, sequence
# gaps, and IKE messages per exchange type.  tshark counts an ESP header
# quoted inside an ICMP error as ESP; failproof does not, so those frames
# are filtered out of tshark's counts.
. "$(dirname "$0")/lib.sh"

if ! command -v tshark >/dev/null 2>&1; then
	echo "ok 1 - tshark comparison # SKIP tshark is not installed"
	echo "1..1"
	exit 0
fi

ws=$TMP/ws
fp -q init "$ws"
run=$(fp -C "$ws" run new --tunnel t --scenario 2 --method power \
    --executed-by "Ana Engineer" | tail -n 1)

# ESP per SPI and direction: "spi src dst packets bytes gaps", sorted.
# A gap is a sequence number more than one above the highest before it.
tshark_esp() {
	tshark -r "$1" -Y 'esp && !icmp && !icmpv6' -T fields \
	    -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst -e esp.spi \
	    -e esp.sequence -e frame.len 2>/dev/null |
	awk -F '\t' '{
		src = $1 != "" ? $1 : $2; dst = $3 != "" ? $3 : $4
		spi = substr($5, 3); seq = $6 + 0
		k = spi " " src " " dst
		n[k]++; b[k] += $7
		if (k in top) {
			if (seq > top[k] + 1) g[k]++
			if (seq > top[k] || seq < top[k] - 64) top[k] = seq
		} else {
			top[k] = seq; g[k] += 0
		}
	} END { for (k in n) print k, n[k], b[k], g[k] }' | sort
}

failproof_esp() {
	jq -r --arg f "$1" '.flows[] | select(.source == "esp" and
	    .file == $f) | "\(.spi) \(.src) \(.dst) \(.packets) \(.bytes) \(.seq_gaps)"' \
	    "$TMP/traffic.json" | sort
}

# IKE messages per exchange type: "type count", sorted.
tshark_ike() {
	tshark -r "$1" -Y 'isakmp && !icmp && !icmpv6' -T fields \
	    -e isakmp.exchangetype 2>/dev/null |
	awk 'NF { n[$1]++ } END { for (t in n) print t, n[t] }' | sort
}

failproof_ike() {
	jq -r --arg f "$1" '[.ike[] | select(.file == $f)] |
	    group_by(.exchange_type)[] |
	    "\(.[0].exchange_type) \(map(.messages) | add)"' \
	    "$TMP/traffic.json" | sort
}

for capture in "$DATA"/pcap/*.pcap "$DATA"/pcap/*.pcapng; do
	name=$(basename "$capture")
	fp -q -C "$ws" import --run "$run" --host cap "$capture" 2>/dev/null
	fp -C "$ws" traffic --json "$run" >"$TMP/traffic.json" || {
		not_ok "$name: traffic listing"
		continue
	}
	check_eq "$name: ESP per SPI and direction" \
	    "$(failproof_esp "$name")" "$(tshark_esp "$capture")"
	check_eq "$name: IKE messages per exchange type" \
	    "$(failproof_ike "$name")" "$(tshark_ike "$capture")"
done

# The listing's contract: the documented fields of every entry.
check_eq "listing entries have the contract fields" \
    "$(jq '[.flows[] | has("source", "spi", "src", "dst", "packets",
    "bytes", "first", "last", "seq_gaps", "seq_restarts")] | all' \
    "$TMP/traffic.json")" true
check_eq "SPIs are 8 lower-case hex digits" \
    "$(jq '[.flows[] | select(.spi != null) | .spi |
    test("^[0-9a-f]{8}$")] | all' "$TMP/traffic.json")" true

check_status "traffic of an unknown run fails" 1 fp -C "$ws" traffic 99
check_contains "the error names the run" "$(cat "$TMP/err")" "99"
check_status "traffic without a run id is a usage error" 2 \
    fp -C "$ws" traffic

finish
