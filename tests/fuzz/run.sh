#!/bin/sh
# Fuzz one importer kind with build/fuzz/fuzz_importer (make fuzz).
#
# usage: tests/fuzz/run.sh KIND [SECONDS [LIBFUZZER-OPTION...]]
#
# The corpus grows in build/fuzz/corpus/KIND, seeded from the files that
# tests/fuzz/seeds.txt lists for KIND; a crashing input is saved as
# build/fuzz/artifacts/KIND-crash-<sha1>.  SECONDS defaults to 120.
set -eu
cd "$(dirname "$0")/../.."
kind=${1:?usage: tests/fuzz/run.sh KIND [SECONDS [LIBFUZZER-OPTION...]]}
seconds=${2:-120}
[ $# -ge 2 ] && shift 2 || shift $#
bin=build/fuzz/fuzz_importer
corpus=build/fuzz/corpus/$kind
artifacts=build/fuzz/artifacts

if [ ! -x "$bin" ]; then
	echo "$bin not found: run 'make fuzz' first" >&2
	exit 1
fi
if ! grep -q "^$kind	" tests/fuzz/seeds.txt; then
	echo "no seeds for kind '$kind' in tests/fuzz/seeds.txt" >&2
	exit 1
fi
mkdir -p "$corpus" "$artifacts"
if [ -z "$(ls -A "$corpus")" ]; then
	grep "^$kind	" tests/fuzz/seeds.txt | cut -f2 | while read -r pattern; do
		# The pattern is expanded by the shell on purpose.
		# shellcheck disable=SC2086
		for f in $pattern; do
			# Drills share file names: keep the folders in the name.
			cp "$f" "$corpus/$(echo "$f" | tr / _)"
		done
	done
fi

# -timeout catches hangs; 64 KiB inputs keep runs fast on the large seeds.
FP_FUZZ_KIND=$kind exec "$bin" -max_total_time="$seconds" -timeout=10 \
	-max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$artifacts/$kind-" "$@" "$corpus"
