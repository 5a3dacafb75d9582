/*
 * The baseline of the capture benchmark: read every record of a capture
 * with libpcap and do nothing else, which is the least any importer
 * has to do.  Prints the packet count and the bytes on the wire.
 *
 * usage: pcap_loop CAPTURE
 */
#include <stdio.h>

#include <pcap/pcap.h>

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long long packets = 0, bytes = 0;
	pcap_t *p;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: pcap_loop CAPTURE\n");
		return 2;
	}
	if ((p = pcap_open_offline(argv[1], errbuf)) == NULL) {
		fprintf(stderr, "pcap_loop: %s\n", errbuf);
		return 1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		packets++;
		bytes += h->len;
	}
	pcap_close(p);
	if (rc != PCAP_ERROR_BREAK) {
		fprintf(stderr, "pcap_loop: read error\n");
		return 1;
	}
	printf("%llu packets, %llu bytes\n", packets, bytes);
	return 0;
}
