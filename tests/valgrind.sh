#!/bin/sh
# Run the demo's main job with every failproof command under valgrind's
# memcheck; fail on any leak or memory error.  'verify' checks each PDF
# signature with poppler in a short-lived child process (poppler 22.12
# reads freed memory when one process validates a certificate twice); the
# child exits without tearing poppler down, so only the parent is checked.
#
# usage: tests/valgrind.sh [FAILPROOF]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
fp=${1:-$root/failproof}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/fp" <<WRAP
#!/bin/sh
exec valgrind -q --child-silent-after-fork=yes --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
    --suppressions="$root/tests/valgrind.supp" "$fp" "\$@"
WRAP
chmod +x "$tmp/fp"
sh "$root/examples/drill-a/run.sh" "$tmp/out" "$tmp/fp"
echo "valgrind: no leaks or memory errors in the demo"
