# Shared helpers of the end-to-end tests: each test script sources this,
# works in its own temporary folder and prints one TAP line per check.
#
# FAILPROOF  the binary under test (set by tests/run.sh)
# DATA       tests/data

set -u
: "${FAILPROOF:?FAILPROOF must name the binary under test}"
TESTS_DIR=$(cd "$(dirname "$0")/.." && pwd)
DATA=$TESTS_DIR/data
TMP=$(mktemp -d "${TMPDIR:-/tmp}/failproof-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
CHECK=0

fp() {
	"$FAILPROOF" "$@"
}

ok() {
	CHECK=$((CHECK + 1))
	echo "ok $CHECK - $1"
}

not_ok() {
	CHECK=$((CHECK + 1))
	echo "not ok $CHECK - $1"
	shift
	for line in "$@"; do
		echo "#   $line"
	done
}

# check_eq NAME GOT EXPECTED
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected: $3" "got:      $2"
	fi
}

# check_contains NAME TEXT NEEDLE
check_contains() {
	case $2 in
	*"$3"*) ok "$1" ;;
	*) not_ok "$1" "expected to find: $3" "in: $(printf '%s' "$2" | head -c 400)" ;;
	esac
}

# check_status NAME EXPECTED COMMAND...
check_status() {
	name=$1
	expected=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
	if [ "$status" = "$expected" ]; then
		ok "$name"
	else
		not_ok "$name" "expected exit status $expected, got $status" \
		    "stderr: $(head -c 400 "$TMP/err")"
	fi
}

# The failover instant of a lab drill: its events.log KILL line.
drill_kill_time() {
	sed -n 's/^\([^ ]*\) KILL:.*/\1/p' "$1/events.log" | head -n 1
}

# Make a throwaway signing key and self-signed certificate in $TMP.
make_signer() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" -days 2 \
	    -subj "/CN=failproof test signer/O=Example" >/dev/null 2>&1
}

# Import a lab drill's evidence into run $2 of workspace $1.
import_drill() {
	ws=$1
	run=$2
	drill=$3
	for host in fwa fwb peer; do
		fp -q -C "$ws" import --run "$run" --host "$host" \
		    "$drill/$host.charon.log" || return 1
	done
	fp -q -C "$ws" import --run "$run" --host peer "$drill/peer-wan.pcap" &&
	fp -q -C "$ws" import --run "$run" "$drill/lan.ping.txt" \
	    "$drill/lan.iperf3-client.json"
}

# Create a workspace with one run of a lab drill, evidence imported.
setup_drill() {
	ws=$1
	drill=$2
	scenario=$3
	fp -q init "$ws" || return 1
	run=$(fp -C "$ws" run new --tunnel site-ha --scenario "$scenario" \
	    --method process-kill --executed-by "Ana Engineer" --primary fwa \
	    --standby fwb --peer peer --failover-at "$(drill_kill_time "$drill")" |
	    tail -n 1) || return 1
	import_drill "$ws" "$run" "$drill" || return 1
	echo "$run"
}

finish() {
	echo "1..$CHECK"
}
