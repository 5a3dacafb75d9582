#!/bin/sh
# The demo's main job (init, run new, import, evaluate, report, verify)
# under valgrind's memcheck: no leak and no memory error in any command.
. "$(dirname "$0")/lib.sh"

if [ -n "${FP_SANITIZED:-}" ]; then
	echo "ok 1 # SKIP valgrind cannot run the sanitizer build"
	echo "1..1"
	exit 0
fi
if ! command -v valgrind >/dev/null; then
	not_ok "valgrind is installed" "install it: apt-get install valgrind"
	finish
	exit 0
fi
if sh "$TESTS_DIR/valgrind.sh" "$FAILPROOF" >"$TMP/vg.log" 2>&1; then
	ok "demo runs clean under valgrind"
else
	not_ok "demo runs clean under valgrind" \
	    "$(grep -m 5 '==[0-9]*==' "$TMP/vg.log")"
fi
finish
