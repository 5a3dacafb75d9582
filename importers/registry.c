/*
 * The table of built-in importers, lookup by kind and detection from a
 * file's first bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "importer.h"

/* How much of a file the detectors see. */
#define DETECT_BYTES 4096

extern const struct fp_importer fp_importer_syslog;
extern const struct fp_importer fp_importer_pcap;
extern const struct fp_importer fp_importer_tshark;
extern const struct fp_importer fp_importer_counters;
extern const struct fp_importer fp_importer_iperf3;
extern const struct fp_importer fp_importer_ping;
extern const struct fp_importer fp_importer_timeline;
extern const struct fp_importer fp_importer_junit;
extern const struct fp_importer fp_importer_robot;
extern const struct fp_importer fp_importer_chaos;
extern const struct fp_importer fp_importer_fping;
extern const struct fp_importer fp_importer_config;

const struct fp_importer *const fp_importers[] = {
	&fp_importer_syslog,
	&fp_importer_pcap,
	&fp_importer_tshark,
	&fp_importer_counters,
	&fp_importer_iperf3,
	&fp_importer_ping,
	&fp_importer_timeline,
	&fp_importer_junit,
	&fp_importer_robot,
	&fp_importer_chaos,
	&fp_importer_fping,
	&fp_importer_config,
	NULL,
};

const struct fp_importer *
fp_importer_find(const char *kind)
{
	for (size_t i = 0; fp_importers[i] != NULL; i++)
		if (strcmp(fp_importers[i]->kind, kind) == 0)
			return fp_importers[i];
	return NULL;
}

/*
 * Return the importer whose detector gives the highest score for the
 * first DETECT_BYTES of path; the first in table order wins a tie.  NULL
 * when the file cannot be read (with an error set) or no detector
 * recognises it.
 */
const struct fp_importer *
fp_importer_detect(const char *path)
{
	unsigned char head[DETECT_BYTES];
	const struct fp_importer *best = NULL;
	int best_score = 0, score;
	size_t len;
	FILE *f;

	f = fopen(path, "rb");
	if (f == NULL) {
		fp_fail(FP_EIO, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	len = fread(head, 1, sizeof(head), f);
	if (ferror(f)) {
		fp_fail(FP_EIO, "cannot read '%s': %s", path, strerror(errno));
		fclose(f);
		return NULL;
	}
	fclose(f);

	for (size_t i = 0; fp_importers[i] != NULL; i++) {
		score = fp_importers[i]->detect(head, len);
		if (score > best_score) {
			best_score = score;
			best = fp_importers[i];
		}
	}
	return best;
}
