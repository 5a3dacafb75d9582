#!/bin/sh
# Without --primary, --standby and --peer the roles are inferred from the
# logs, the report says so, and every drill keeps its verdict.
. "$(dirname "$0")/lib.sh"

for spec in A-dataplane-failover:2:pass B1-peer-reject-identity:2:peer-rejection \
    B4-controlplane-loss:2:control-plane-loss C-ctrlplane-interrupt:1:pass \
    D-state-drift-ha-sync:2:state-drift; do
	name=${spec%%:*}
	rest=${spec#*:}
	scenario=${rest%%:*}
	verdict=${rest#*:}
	drill=$DATA/drills/$name
	ws=$TMP/$name
	fp -q init "$ws"
	run=$(fp -C "$ws" run new --tunnel t --scenario "$scenario" \
	    --method process-kill --executed-by "Ana Engineer" \
	    --failover-at "$(drill_kill_time "$drill")" | tail -n 1)
	import_drill "$ws" "$run" "$drill"
	fp -C "$ws" evaluate --json "$run" >"$TMP/$name.json"
	check_eq "$name verdict with inferred roles" \
	    "$(jq -r .verdict "$TMP/$name.json")" "$verdict"
	check_eq "$name roles inferred" \
	    "$(jq -r '[.primary, .standby, .peer] | join(",")' "$TMP/$name.json")" \
	    "fwa,fwb,peer"
	check_contains "$name says how" "$(jq -r .roles_source "$TMP/$name.json")" \
	    "inferred"
done
finish
