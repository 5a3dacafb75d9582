#!/bin/sh
# Write a large mixed vendor syslog file for the import benchmark: the
# message lines of the drills' charon logs and of the vendor samples in
# tests/data/syslog, repeated in turn with RFC 5424, RFC 3164 and ISO 8601
# headers whose time goes up by one millisecond a line, until the file
# has at least the requested size.
#
#   usage: tests/bench/mksyslog.sh OUT MEGABYTES
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
mb=$2
data=$root/tests/data

# One message a line: "program<TAB>message".  Headers are cut off; lines
# of the vendors' own key=value formats keep the times they carry.
{
	for f in "$data"/drills/*/fwb.charon.log "$data"/drills/*/peer.charon.log; do
		sed -n 's/^[0-9T:.+-]* \([0-9][0-9]\[[A-Z][A-Z][A-Z]\] .*\)$/charon\t\1/p' "$f"
	done
	sed -n 's/^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* [^ ]* \(Keepalived_vrrp\)\[[0-9]*\]: \(.*\)$/\1\t\2/p' \
	    "$data/syslog/keepalived-vrrp-transitions-issues.log"
	sed 's/^/pluto\t/' "$data/syslog/libreswan-ikev2-lifecycle.log" \
	    "$data/syslog/libreswan-dpd-liveness.log"
	sed -n 's/^.*\(%ASA-[0-9]-[0-9]*: .*\)$/asa\t\1/p' \
	    "$data"/syslog/cisco-asa-*.log
	sed -n 's/^.*\(KMD_PM_SA_ESTABLISHED\|IKE negotiation\)/kmd\t\1/p' \
	    "$data/syslog/juniper-srx-kmd-elastic.log"
	sed 's/^/racoon\t/; s/\t[0-9-]* [0-9:]*: /\t/' \
	    "$data/syslog/racoon-ipsec-tools-ossec.log"
} >"$out.messages"

awk -v limit=$((mb * 1048576)) -F '\t' '
	BEGIN { n = 0 }
	{ prog[n] = $1; msg[n] = substr($0, length($1) + 2); n++ }
	END {
		split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon, " ")
		# 2026-01-01T00:00:00Z; the day changes every 86,400,000 lines.
		day = 1; sec = 0; ms = 0; size = 0; i = 0
		while (size < limit) {
			h = int(sec / 3600); m = int(sec / 60) % 60; s = sec % 60
			k = i % n; f = i % 3
			if (f == 0)
				line = sprintf("<30>1 2026-01-%02dT%02d:%02d:%02d.%03dZ gw%d %s - - - %s",
				    day, h, m, s, ms, k % 4, prog[k], msg[k])
			else if (f == 1)
				line = sprintf("<30>Jan %2d %02d:%02d:%02d gw%d %s[42]: %s",
				    day, h, m, s, k % 4, prog[k], msg[k])
			else
				line = sprintf("2026-01-%02dT%02d:%02d:%02d.%03d+00:00 gw%d %s[42]: %s",
				    day, h, m, s, ms, k % 4, prog[k], msg[k])
			print line
			size += length(line) + 1
			i++
			if (++ms == 1000) {
				ms = 0
				if (++sec == 86400) { sec = 0; day++ }
			}
		}
	}' "$out.messages" >"$out"
rm -f "$out.messages"
