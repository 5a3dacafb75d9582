/*
 * The traffic of a run as evidence shows it, per source.  It has one
 * entry per ESP SPI and direction and per clear-side flow of each
 * capture, and one per SA counter series, each with its data-plane
 * flags.  The error counters that moved and the IKE messages of each
 * capture by exchange follow.  The JSON field names are a contract with
 * users' scripts (docs/traffic.md).
 */
#ifndef FP_TRAFFIC_LIST_H
#define FP_TRAFFIC_LIST_H

#include <jansson.h>

#include "workspace.h"

/* Build the listing of run as one JSON object (a new reference). */
int traffic_list(struct workspace *ws, long run, json_t **out);

#endif
