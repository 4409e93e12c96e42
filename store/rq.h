/*
 * NAME
 *	rq.h - report-query: the verbs and what they share
 * PURPOSE
 *	report-query is one small file per verb; each verb is a function
 *	that takes its own arguments (argv[0] is the verb) and returns the
 *	process exit status: RQ_EXIT_OK, RQ_EXIT_FAIL or RQ_EXIT_USAGE.
 */
#ifndef RQ_H
#define RQ_H

enum {
	RQ_EXIT_OK = 0,		/* everything asked for was done */
	RQ_EXIT_FAIL = 1,	/* something could not be done; stderr says what */
	RQ_EXIT_USAGE = 2	/* the command line is wrong */
};

/* The program name for messages ("report-query"). */
extern const char *rq_progname;

/* Prints "report-query VERB: message" and a hint to stderr; RQ_EXIT_USAGE. */
int	rq_usage_error(const char *verb, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* report-query parse FILE... */
int	rq_parse(int argc, char **argv);

#endif
