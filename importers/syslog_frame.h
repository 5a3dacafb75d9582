/*
 * Framing of syslog lines, shared by the syslog importer's files:
 * syslog_header.c takes the header apart (the time stamp, host and
 * program that a syslog daemon or a device's log file puts before the
 * message), syslog_body.c reads the time that some message formats carry
 * themselves (key=value, CEF, LEEF, PAN-OS CSV, Check Point).
 */
#ifndef FP_SYSLOG_FRAME_H
#define FP_SYSLOG_FRAME_H

#include "importer.h"

#define USEC_PER_SEC INT64_C(1000000)
#define USEC_PER_DAY (INT64_C(86400) * USEC_PER_SEC)

enum framing {
	FRAME_RFC5424,		/* <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD */
	FRAME_RFC3164,		/* [<PRI>]Mmm dd hh:mm:ss HOST TAG: (no year) */
	FRAME_DATED,		/* a stamp with its year: Cisco ASA, pluto */
	FRAME_ISO,		/* ISO 8601 stamp, then HOST TAG: or a file log */
	FRAME_VPN3000,		/* Cisco VPN 3000 event log */
	FRAME_BARE,		/* no header: the message alone, or <PRI> and it */
};

/* One line taken apart.  message points into the line or into scratch. */
struct frame {
	enum framing framing;
	int has_pri;
	int has_time;		/* 1 a stamp, 0 none, -1 an invalid one */
	int zoned;		/* the stamp carried its zone: ts is UTC */
	fp_time ts;		/* UTC when zoned, else civil time as if UTC */
	int month;		/* RFC 3164: 1..12, the year is inferred */
	int day;
	fp_time time_of_day;
	int frac_digits;
	char host[256];		/* "" when the line has none */
	char program[64];	/* "" when the line has none */
	const char *message;
};

/*
 * Take one line apart.  A line without any header is FRAME_BARE with
 * has_time 0.  Returns 0, or -1 with err describing a header that is
 * there but invalid (a PRI out of range, an impossible date).  scratch
 * holds a message the framing had to rebuild (RFC 5424 "MSGID: MSG").
 */
int syslog_frame_line(const char *line, struct frame *fr,
    struct fp_buf *scratch, char *err, size_t errlen);

/* "05[IKE] ": a charon thread number and log group. */
int syslog_is_charon_thread_tag(const char *p);

/* journalctl's "-- Logs begin at ... --" and "-- Reboot --" lines. */
int syslog_is_journal_marker(const char *line);

/* A time found in the message body. */
struct body_time {
	int found;		/* 1 date and time, 0 none, -1 time without date */
	int zoned;		/* ts is UTC */
	fp_time ts;		/* UTC when zoned, else civil time as if UTC */
	int frac_digits;
	const char *format;	/* "key=value", "CEF", "LEEF", "PAN-OS CSV" */
};

/*
 * Find the time that a message body in one of the vendor formats carries
 * (FortiOS date= time= tz=, SonicWall and Stormshield time="...", CEF
 * rt=, LEEF devTime=, PAN-OS CSV generated time, Check Point time:"...").
 * Returns 0, or -1 with err set when the field is there but invalid.
 */
int syslog_body_time(const char *msg, struct body_time *bt, char *err,
    size_t errlen);

/* Parse exactly n digits.  Returns 0 or -1. */
int syslog_digits(const char *s, int n, int *out);
/* Month number 1..12 of an English three-letter name, any case, or 0. */
int syslog_month(const char *s);
/* Days in a month of the proleptic Gregorian calendar. */
int syslog_days_in_month(int64_t y, int m);
/* Copy at most 40 bytes of s for a message, control bytes escaped. */
char *syslog_excerpt(const char *s, size_t len);

#endif
