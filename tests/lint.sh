#!/bin/sh
# Style checks: no banned functions in the sources.
set -u
cd "$(dirname "$0")/.."
status=0
for f in strcpy strcat sprintf vsprintf strtok atoi gets; do
	if grep -nE "(^|[^_a-z])$f\(" src/*.c importers/*.c; then
		echo "lint: $f is banned: use the bounded or checked variant"
		status=1
	fi
done
[ $status -eq 0 ] && echo "lint: ok"
exit $status
