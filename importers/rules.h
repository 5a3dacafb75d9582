/*
 * Vendor message rules: data files that turn one daemon message into zero
 * or more normalised events (struct fp_event).  The framing parser
 * (syslog.c) finds the time, host and program of a line, and the rules
 * read only the message text.
 *
 * Rule files are plain text, one statement a line:
 *
 *	# comment (a line whose first non-blank character is '#')
 *	vendor strongswan
 *	program charon charon-systemd
 *	prefix ^[0-9]{2}\[[A-Z]{3}\] (?:<(?:(?<conn>[^|>]*)\|)?[0-9]+> )?
 *
 *	rule ike_sa_established
 *		literal established between
 *		match ^IKE_SA (?<conn>[^\[ ]+)\[[0-9]+\] established between ...
 *		set detail new
 *
 * Statements (the argument is the rest of the line without its leading
 * and trailing blanks, so a regex that must end in a blank writes \x20):
 *
 *   vendor NAME          starts a section; the statements below belong
 *                        to it until the next vendor line.
 *   program NAME...      syslog TAGs (APP-NAME) the section applies to.
 *                        A line with another TAG skips the section; a
 *                        line without a TAG (a daemon's own file log)
 *                        tries it.  Without program the section applies
 *                        to every TAG.
 *   prefix REGEX         text every message of the section starts with.
 *                        A message that does not match skips the
 *                        section; the rules see the text after it.
 *   rule KIND            starts a rule that emits one event of KIND,
 *                        one of the kinds listed in model.h.
 *   match REGEX          required, once per rule.
 *   literal TEXT         text the message must contain before the regex
 *                        is tried (a fast prefilter); repeatable.
 *   set FIELD VALUE      a constant field of the event.
 *   continued-by REGEX   the message continues on the next line of the
 *                        same host: when that line's text matches, its
 *                        named groups fill the fields still empty and
 *                        the line is consumed.
 *   preceded-by REGEX    when the previous line of the same host matches,
 *                        its named groups fill the fields still empty.
 *
 * program and prefix come before the section's first rule.  Regexes are
 * PCRE2, compiled once, with JIT where the library has it.  Named groups
 * set fp_event fields: conn local_addr peer_addr local_id peer_id
 * ike_spi_i ike_spi_r spi_in spi_out exchange msgid is_response notify
 * detail direction.  Values are converted: is_response from "request"
 * or "response", msgid from decimal, SPIs to lower case without "0x",
 * direction from sent/sending/generating/outbound (sent) or
 * received/receiving/parsed/inbound (received), in any case.  A group may appear in several alternatives.
 *
 * Fields are filled in this order, later ones winning: the prefix's
 * groups, set, the match's groups; then continued-by and preceded-by
 * fill the fields still empty.  Every rule that matches a message emits
 * its event, in file order, so one line may give several events.
 */
#ifndef FP_RULES_H
#define FP_RULES_H

#include "../src/model.h"

struct rules;
struct rules_matcher;

/* One framed message, as the framing parser found it. */
struct rules_message {
	long line;
	fp_time ts;		/* FP_TIME_NONE when the line has no time */
	const char *host;	/* NULL when neither the line nor --host has one */
	const char *program;	/* syslog TAG without the pid, or NULL */
	const char *text;	/* the message after the TAG, as logged */
};

/*
 * Load the shipped rules (every *.rules file in fp_data_path("rules"),
 * in name order), then those of each folder in extra_dirs (NULL-ended,
 * may be NULL).  The result is cached for the process: a later call with
 * the same folders returns the same set, one with other folders reloads.
 * Returns 0 or FP_EINVAL / FP_EIO / FP_ENOTFOUND with a message naming
 * the file and line.  rules_release() frees the cache.
 */
int rules_load(const struct rules **out, const char *const *extra_dirs);
void rules_release(void);

/*
 * Whether text mentions IKE, IPsec, ESP or an HA term (VRRP, failover,
 * cluster): the test for unmatched lines worth counting and showing.
 */
int rules_text_mentions_ike(const char *text);

/*
 * Load the *.rules files of the given folders (NULL-ended), uncached.
 * The caller frees the set with rules_free().
 */
int rules_load_dirs(struct rules **out, const char *const *dirs);
/* Load one rule file, uncached. */
int rules_load_file(struct rules **out, const char *path);
void rules_free(struct rules *set);

/*
 * Create a matcher, which applies a rule set to the lines of one file in
 * order and keeps what continued-by and preceded-by need between lines.
 * emit is called once per event, and the event's strings live until it
 * returns.  A nonzero return from emit stops the matcher and is returned
 * by rules_matcher_feed() or rules_matcher_finish().
 */
struct rules_matcher *rules_matcher_new(const struct rules *set,
    int (*emit)(void *ctx, const struct fp_event *ev), void *ctx);
int rules_matcher_feed(struct rules_matcher *m,
    const struct rules_message *msg);
/*
 * Whether the last message fed gave an event, or continued one: 0 means
 * no rule wanted it.
 */
int rules_matcher_last_matched(const struct rules_matcher *m);
/* Emit the event still waiting for a continuation line, if any. */
int rules_matcher_finish(struct rules_matcher *m);
void rules_matcher_free(struct rules_matcher *m);

#endif
