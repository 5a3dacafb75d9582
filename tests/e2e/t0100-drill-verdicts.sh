#!/bin/sh
# The five lab drills get the verdict, cause and figures measured
# independently from their raw files (tests/data/drills/README.md).
. "$(dirname "$0")/lib.sh"

# evaluate_drill NAME SCENARIO: prints the evaluation JSON
evaluate_drill() {
	ws=$TMP/$1
	run=$(setup_drill "$ws" "$DATA/drills/$1" "$2") || {
		not_ok "$1 imports"
		return 1
	}
	ok "$1 imports"
	fp -C "$ws" evaluate --json "$run" >"$TMP/$1.json" || {
		not_ok "$1 evaluates"
		return 1
	}
	ok "$1 evaluates"
}

field() {
	jq -r "$2" "$TMP/$1.json"
}

criterion() {
	jq -r ".criteria[] | select(.id == \"$2\") | .result" "$TMP/$1.json"
}

if evaluate_drill A-dataplane-failover 2; then
	check_eq "A verdict" "$(field A-dataplane-failover .verdict)" pass
	check_eq "A cause" "$(field A-dataplane-failover .cause)" null
	check_eq "A MTTR" "$(field A-dataplane-failover .mttr_ms)" 3084
	check_eq "A loss window" "$(field A-dataplane-failover .loss_window_ms)" 3268
	check_eq "A MTTR source" "$(field A-dataplane-failover .mttr_source)" ping
	check_eq "A new IKE SA" "$(criterion A-dataplane-failover new-ike-sa)" pass
	check_eq "A new CHILD SA" "$(criterion A-dataplane-failover new-child-sa)" pass
	check_eq "A traffic resumed" "$(criterion A-dataplane-failover traffic-resumed)" pass
	check_eq "A old SAs removed" "$(criterion A-dataplane-failover old-sas-removed)" pass
	check_eq "A asymmetric routing undecided at the peer" \
	    "$(criterion A-dataplane-failover no-asymmetric-routing)" inconclusive
	check_eq "A no defect" "$(field A-dataplane-failover .defect)" null
	check_contains "A new IKE SA cites fwb's log" \
	    "$(jq -c '.criteria[] | select(.id == "new-ike-sa") | .evidence' "$TMP/A-dataplane-failover.json")" \
	    '"file":"fwb.charon.log"'
fi

if evaluate_drill B1-peer-reject-identity 2; then
	check_eq "B1 verdict" "$(field B1-peer-reject-identity .verdict)" peer-rejection
	check_eq "B1 cause" "$(field B1-peer-reject-identity .cause)" identity-binding
	check_eq "B1 no MTTR" "$(field B1-peer-reject-identity .mttr_ms)" null
	check_eq "B1 open loss window" "$(field B1-peer-reject-identity .loss_window_ms)" null
	check_eq "B1 traffic resumed fails" "$(criterion B1-peer-reject-identity traffic-resumed)" fail
	check_eq "B1 defect opened" "$(field B1-peer-reject-identity .defect.status)" open
fi

if evaluate_drill B4-controlplane-loss 2; then
	check_eq "B4 verdict" "$(field B4-controlplane-loss .verdict)" control-plane-loss
	check_eq "B4 cause" "$(field B4-controlplane-loss .cause)" dpd-mismatch
	check_eq "B4 no MTTR" "$(field B4-controlplane-loss .mttr_ms)" null
	check_eq "B4 open loss window" "$(field B4-controlplane-loss .loss_window_ms)" null
fi

if evaluate_drill C-ctrlplane-interrupt 1; then
	check_eq "C verdict" "$(field C-ctrlplane-interrupt .verdict)" pass
	check_eq "C MTTR" "$(field C-ctrlplane-interrupt .mttr_ms)" 3107
	check_eq "C time to CHILD SA" "$(field C-ctrlplane-interrupt .child_sa_ms)" 3047
	check_eq "C traffic offered before the failure" \
	    "$(jq -r '.preconditions[] | select(.id == "traffic-before-failure") | .result' "$TMP/C-ctrlplane-interrupt.json")" met
fi

if evaluate_drill D-state-drift-ha-sync 2; then
	check_eq "D verdict" "$(field D-state-drift-ha-sync .verdict)" state-drift
	check_eq "D cause" "$(field D-state-drift-ha-sync .cause)" replay-window
	check_eq "D MTTR" "$(field D-state-drift-ha-sync .mttr_ms)" 17626
	check_eq "D loss window" "$(field D-state-drift-ha-sync .loss_window_ms)" 17800
	check_eq "D new IKE SA fails" "$(criterion D-state-drift-ha-sync new-ike-sa)" fail
	check_eq "D state sync verified" \
	    "$(jq -r '.preconditions[] | select(.id == "stateful-failover-verified") | .result' "$TMP/D-state-drift-ha-sync.json")" met
fi

finish
