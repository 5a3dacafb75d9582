#!/bin/sh
# Run every input of tests/data/fuzz-regressions/ once through
# build/fuzz/fuzz_importer (make fuzz).  A file's name starts with the
# importer kind it is for: "pcap-...", "counters-...".  Prints one line
# per file and exits 1 when any of them still breaks the harness.
#
# usage: tests/fuzz/regress.sh [FILE...]
set -u
cd "$(dirname "$0")/../.."
bin=build/fuzz/fuzz_importer
# Full stacks for leaks from libraries built without frame pointers.
ASAN_OPTIONS=${ASAN_OPTIONS:-fast_unwind_on_malloc=0}
export ASAN_OPTIONS
if [ ! -x "$bin" ]; then
	echo "$bin not found: run 'make fuzz' first" >&2
	exit 1
fi
[ $# -eq 0 ] && set -- tests/data/fuzz-regressions/*-*
status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for f in "$@"; do
	case $(basename "$f") in
	*.md) continue ;;
	esac
	kind=$(basename "$f" | cut -d- -f1)
	if FP_FUZZ_KIND=$kind "$bin" -timeout=10 "$f" >"$log" 2>&1; then
		echo "ok      $f"
	else
		echo "FAILED  $f"
		grep -E 'contract broken|ERROR: |SUMMARY: |^    #[0-9]+ .* in [a-z_]+ /.*/(importers|src)/' \
		    "$log" | head -8 | sed 's/^/        /'
		status=1
	fi
done
exit $status
