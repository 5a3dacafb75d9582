#!/bin/sh
# The main job on a real drill: check for the Debian packages failproof
# needs (installing missing ones when run as root), build, then init,
# run new, import, evaluate and report into examples/out/.
set -eu
cd "$(dirname "$0")/.."

packages=$(grep -v '^#' tests/debian-packages.txt | tr '\n' ' ')
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing
	else
		echo "failproof needs these Debian packages; install them with:"
		echo "  sudo apt-get install$missing"
		exit 1
	fi
fi

make --no-print-directory
sh examples/drill-a/run.sh examples/out
