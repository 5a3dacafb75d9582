/*
 * Build a large capture for the benchmarks by repeating the records of a
 * classic pcap file (microsecond time stamps, any byte order).  Each
 * repetition is shifted by the source's duration plus one second.  The
 * sequence numbers of ESP (IP protocol 50 and ESP in UDP 4500 over
 * Ethernet and IPv4) move up by 1,000,000 per repetition, so the result
 * reads as one long drill rather than the same seconds replayed.
 *
 * usage: mkcapture SOURCE.pcap OUTPUT.pcap MEGABYTES
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEQ_SHIFT 1000000u

struct record {
	uint32_t sec;
	uint32_t usec;
	uint32_t caplen;
	uint32_t len;
	unsigned char *data;
};

static int swapped;

static uint32_t
host32(uint32_t v)
{
	if (!swapped)
		return v;
	return (v >> 24) | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

/* The offset of an ESP sequence number in an Ethernet frame, or 0. */
static size_t
esp_seq_offset(const unsigned char *f, uint32_t caplen)
{
	size_t ip = 14, ihl, l4;

	if (caplen < 14 + 20 || f[12] != 0x08 || f[13] != 0x00)
		return 0;
	ihl = (size_t)(f[ip] & 0x0f) * 4;
	l4 = ip + ihl;
	if (f[ip + 9] == 50)
		return l4 + 8 <= caplen ? l4 + 4 : 0;
	if (f[ip + 9] != 17 || l4 + 8 + 8 > caplen)
		return 0;
	/* UDP 4500: ESP unless the non-ESP marker or a keepalive. */
	if (((f[l4] << 8 | f[l4 + 1]) != 4500 &&
	    (f[l4 + 2] << 8 | f[l4 + 3]) != 4500) ||
	    (f[l4 + 8] == 0 && f[l4 + 9] == 0 && f[l4 + 10] == 0 &&
	    f[l4 + 11] == 0))
		return 0;
	return l4 + 8 + 4;
}

int
main(int argc, char **argv)
{
	struct record *recs = NULL;
	size_t n = 0, cap = 0;
	unsigned char header[24], rh[16];
	uint64_t target, written = sizeof(header);
	uint32_t magic, span;
	FILE *in, *out;

	if (argc != 4) {
		fprintf(stderr, "usage: mkcapture SOURCE.pcap OUTPUT.pcap "
		    "MEGABYTES\n");
		return 2;
	}
	target = strtoull(argv[3], NULL, 10) << 20;
	if ((in = fopen(argv[1], "rb")) == NULL ||
	    fread(header, 1, sizeof(header), in) != sizeof(header)) {
		perror(argv[1]);
		return 1;
	}
	memcpy(&magic, header, 4);
	if (magic == 0xd4c3b2a1)
		swapped = 1;
	else if (magic != 0xa1b2c3d4) {
		fprintf(stderr, "%s: not a microsecond pcap file\n", argv[1]);
		return 1;
	}
	while (fread(rh, 1, sizeof(rh), in) == sizeof(rh)) {
		struct record *r;

		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			recs = realloc(recs, cap * sizeof(*recs));
		}
		r = &recs[n++];
		memcpy(&r->sec, rh, 4);
		memcpy(&r->usec, rh + 4, 4);
		memcpy(&r->caplen, rh + 8, 4);
		memcpy(&r->len, rh + 12, 4);
		r->data = malloc(host32(r->caplen));
		if (r->data == NULL || fread(r->data, 1, host32(r->caplen),
		    in) != host32(r->caplen)) {
			fprintf(stderr, "%s: record %zu is cut short\n",
			    argv[1], n);
			return 1;
		}
	}
	fclose(in);
	if (n == 0)
		return 1;
	span = host32(recs[n - 1].sec) - host32(recs[0].sec) + 1;

	if ((out = fopen(argv[2], "wb")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	fwrite(header, 1, sizeof(header), out);
	for (uint32_t rep = 0; written < target; rep++) {
		for (size_t i = 0; i < n && written < target; i++) {
			struct record *r = &recs[i];
			uint32_t len = host32(r->caplen), sec, seq;
			size_t at = esp_seq_offset(r->data, len);
			unsigned char frame[65536];

			if (len > sizeof(frame))
				continue;
			memcpy(frame, r->data, len);
			if (at != 0) {
				seq = (uint32_t)frame[at] << 24 |
				    (uint32_t)frame[at + 1] << 16 |
				    (uint32_t)frame[at + 2] << 8 | frame[at + 3];
				seq += rep * SEQ_SHIFT;
				frame[at] = (unsigned char)(seq >> 24);
				frame[at + 1] = (unsigned char)(seq >> 16);
				frame[at + 2] = (unsigned char)(seq >> 8);
				frame[at + 3] = (unsigned char)seq;
			}
			sec = host32(host32(r->sec) + rep * span);
			fwrite(&sec, 4, 1, out);
			fwrite(&r->usec, 4, 1, out);
			fwrite(&r->caplen, 4, 1, out);
			fwrite(&r->len, 4, 1, out);
			fwrite(frame, 1, len, out);
			written += 16 + len;
		}
	}
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		free(recs[i].data);
	free(recs);
	return 0;
}
