#!/bin/sh
# Run the unit tests (cmocka, TAP output) and the end-to-end tests of one
# build, and add the counts to a file so that 'make check' can report the
# plain and the sanitizer passes together.
#
# usage: tests/run.sh BUILD_DIR COUNTS_FILE
set -u
build=$1
counts=$2
label=$build
passed=0
failed=0
skipped=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

FAILPROOF=$(cd "$build" && pwd)/failproof
export FAILPROOF
export CMOCKA_MESSAGE_OUTPUT=TAP
# Tests read the shipped data files from this tree.
FAILPROOF_DATADIR=$(pwd)
export FAILPROOF_DATADIR

tally() {
	s=$(grep -c '^\(not \)\{0,1\}ok .*# SKIP' "$out")
	p=$(grep '^ok ' "$out" | grep -vc '# SKIP')
	f=$(grep '^not ok ' "$out" | grep -vc '# SKIP')
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$1" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $2 exited with status $1"
		failed=$((failed + 1))
	fi
}

for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	echo "# $label: $(basename "$t")"
	"$t" >"$out" 2>&1
	status=$?
	grep -v '^# ' "$out" | grep -E '^(not )?ok|^#' || true
	tally $status "$(basename "$t")"
done

for t in tests/e2e/t*.sh; do
	echo "# $label: $(basename "$t")"
	sh "$t" >"$out" 2>&1
	status=$?
	grep -E '^(not )?ok|^#   ' "$out" || true
	tally $status "$(basename "$t")"
done

echo "# $label: $passed passed, $failed failed, $skipped skipped"
echo "$passed $failed $skipped" >>"$counts"
