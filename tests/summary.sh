#!/bin/sh
# Print the totals of every pass of tests/run.sh; fail when a test failed.
set -u
passed=0
failed=0
while read -r p f; do
	passed=$((passed + p))
	failed=$((failed + f))
done <"$1"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
