#!/bin/sh
# 'make install' with PREFIX and DESTDIR puts the binary and its data
# files where the installed binary finds them.
. "$(dirname "$0")/lib.sh"

root=$TESTS_DIR/..
[ -n "${FP_SANITIZED:-}" ] && { echo "ok 1 # SKIP install is checked by the plain build"; echo "1..1"; exit 0; }
check_status "make install succeeds" 0 \
    make -s -C "$root" install PREFIX=/usr DESTDIR="$TMP/dest"
check_status "installed binary runs" 0 "$TMP/dest/usr/bin/failproof" --version
for f in templates/vpn-ha-failover-test.xml schema/procedure.xsd \
    schema/report.xsd schema/001-evidence.sql rules/strongswan.rules; do
	if [ -f "$TMP/dest/usr/share/failproof/$f" ]; then
		ok "installed $f"
	else
		not_ok "installed $f"
	fi
done
check_status "installed binary creates a workspace" 0 env \
    FAILPROOF_DATADIR="$TMP/dest/usr/share/failproof" \
    "$TMP/dest/usr/bin/failproof" init "$TMP/ws"
finish
