/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	main - report-milter: startup, signals, shutdown
 * PURPOSE
 *	Startup: read the configuration, go to the background unless -f,
 *	write the pid file, become UserID, initialise the parsers' libraries
 *	(before any thread), open the store, register with libmilter and
 *	open the socket; then serve.
 *
 *	Signals: libmilter's own signal thread treats SIGHUP as "stop". So
 *	the main thread, which the kernel prefers for signals sent to the
 *	process, waits for HUP, TERM and INT itself with sigwait() while
 *	smfi_main() runs in a thread of its own: HUP reloads the
 *	configuration, TERM and INT stop the daemon with smfi_stop().
 *	libmilter's listener sees that only when its poll() returns, every
 *	five seconds or on a signal, and smfi_stop() waits for the lock the
 *	listener holds while it polls. So a thread of its own calls
 *	smfi_stop(), while the main thread sends SIGUSR1 (whose handler
 *	does nothing) to the listener's thread until smfi_main() returns.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "extract.h"
#include "ingest.h"
#include "store.h"

#include "callbacks.h"
#include "config.h"
#include "config_live.h"
#include "defer.h"
#include "context.h"
#include "daemon.h"
#include "log.h"
#include "privs.h"
#include "purge.h"
#include "stats.h"
#include "store_hold.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* Exit statuses (report-milter(8), EXIT STATUS). */
enum {
	EXIT_OK = 0,
	EXIT_CONFIG = 1,	/* the configuration is wrong */
	EXIT_USAGE = 2,		/* the command line is wrong */
	EXIT_START = 3		/* it could not start, or stopped on an error */
};

#define SHUTDOWN_WAIT	30	/* seconds for open connections to end */

struct options {
	const char *file;
	bool	check;		/* -n */
	bool	foreground;	/* -f */
};

static pthread_t main_thread;
/*
 * Set before smfi_stop() is called. libmilter's listener can return
 * MI_FAILURE for a stop it was asked for: smfi_stop() closes the listening
 * socket, and a listener that had just found the stop flag clear then
 * finds the socket gone ("listenfd corrupted"). A failure after a stop
 * was asked for is that stop.
 */
static atomic_bool stop_asked;

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: report-milter [-fn] [-c FILE]\n"
	    "       report-milter -V | --help\n"
	    "\n"
	    "Captures DMARC aggregate, TLS-RPT and ARF reports that reach the\n"
	    "MTA (Postfix smtpd_milters, Sendmail INPUT_MAIL_FILTER).\n"
	    "\n"
	    "  -c FILE   the configuration file (default " CONFIG_DEFAULT_FILE ")\n"
	    "  -f        stay in the foreground and log to stderr\n"
	    "  -n        check the configuration and exit (0: good, 1: bad)\n"
	    "  -V        print the version and exit\n"
	    "  --help    print this help and exit\n"
	    "\n"
	    "Exit status: 0 success, 1 bad configuration, 2 bad command line,\n"
	    "3 could not start (socket, privileges) or stopped on an error.\n"
	    "See report-milter(8) and report-milter.conf(5).\n");
}

static int
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	o->file = CONFIG_DEFAULT_FILE;
	while ((ch = getopt_long(argc, argv, "c:fnV", longopts, NULL)) != -1)
		switch (ch) {
		case 'c': o->file = optarg; break;
		case 'f': o->foreground = true; break;
		case 'n': o->check = true; break;
		case 'V': printf("report-milter %s\n", PACKAGE_VERSION); exit(EXIT_OK);
		case 'h': usage(stdout); exit(EXIT_OK);
		default: usage(stderr); return (-1);
		}
	if (optind != argc) {
		fprintf(stderr, "report-milter: unexpected argument '%s'\n",
		    argv[optind]);
		usage(stderr);
		return (-1);
	}
	return (0);
}

/* -n, and the part of startup that is the same: is the file usable? */
static int
check_config(const struct config *c, struct privs *p, bool *have_user)
{
	struct milter_error err = { "" };

	*have_user = c->user_id != NULL;
	if (*have_user && privs_lookup(c->user_id, p, &err) != PRIVS_OK) {
		fprintf(stderr, "report-milter: %s: %s\n", c->file, err.reason);
		return (EXIT_CONFIG);
	}
	if (*have_user && p->uid == 0) {
		fprintf(stderr, "report-milter: %s: UserID %s is root; name an "
		    "unprivileged user\n", c->file, c->user_id);
		return (EXIT_CONFIG);
	}
	return (EXIT_OK);
}

/* The directory that path is in, in buf; NULL for "/" or no directory. */
static const char *
dir_of(const char *path, char *buf, size_t size)
{
	char   *slash;

	snprintf(buf, size, "%s", path);
	if ((slash = strrchr(buf, '/')) == NULL || slash == buf)
		return (NULL);
	*slash = '\0';
	return (buf);
}

/* The directory of a unix socket, in buf; NULL for an inet socket. */
static const char *
socket_dir(const char *spec, char *buf, size_t size)
{
	if (spec[0] != '/' && strncmp(spec, "unix:", 5) != 0 &&
	    strncmp(spec, "local:", 6) != 0)
		return (NULL);
	return (dir_of(spec[0] == '/' ? spec : strchr(spec, ':') + 1, buf, size));
}

/* Pid file, directories, privilege drop: everything done as root. */
static int
become_user(const struct config *c, const struct privs *p, bool have_user)
{
	struct milter_error err = { "" };
	char	dir[PATH_MAX];
	const char *sd, *pd;

	/*
	 * The pid file's directory (/run/report-milter, which a reboot
	 * empties) is made here and given to the user, so that the daemon
	 * can remove its pid file when it stops.
	 */
	pd = c->pid_file != NULL ? dir_of(c->pid_file, dir, sizeof(dir)) : NULL;
	if (pd != NULL && privs_make_dir(pd, have_user ? p : NULL, &err) != PRIVS_OK) {
		log_msg(LOG_ERR, "%s", err.reason);
		return (EXIT_START);
	}
	if (c->pid_file != NULL && pidfile_write(c->pid_file, &err) < 0) {
		log_msg(LOG_ERR, "%s", err.reason);
		return (EXIT_START);
	}
	sd = socket_dir(c->socket, dir, sizeof(dir));
	if ((privs_make_dir(c->store_dir, have_user ? p : NULL, &err) != PRIVS_OK) ||
	    (sd != NULL && privs_make_dir(sd, have_user ? p : NULL, &err) != PRIVS_OK)) {
		log_msg(LOG_ERR, "%s", err.reason);
		return (EXIT_START);
	}
	if (have_user && privs_drop(p, &err) != PRIVS_OK) {
		log_msg(LOG_ERR, "%s", err.reason);
		return (EXIT_START);
	}
	if (privs_is_root()) {
		log_msg(LOG_ERR, "refusing to run as root: set UserID in %s",
		    c->file);
		return (EXIT_CONFIG);
	}
	return (EXIT_OK);
}

/* Opens the store, or says that report mail waits until it can. */
static int
open_store(const struct config *c)
{
	struct store_options o;
	struct store_error err = { "" };
	struct store *st;

	store_options_default(&o);
	o.max_size = c->store_max_size;
	o.journal_size = c->defer_parse ? c->defer_journal_size : 0;
	o.journal_drain = true;	/* what an earlier run left there is parsed */
	if (store_hold_init(c->store_dir, &o) < 0) {
		log_msg(LOG_ERR, "out of memory");
		return (EXIT_START);
	}
	if (store_hold_get(&st, &err) != STORE_OK)
		log_msg(LOG_WARNING, "%s; report mail is tempfailed until the "
		    "store can be opened", err.reason);
	return (EXIT_OK);
}

static int
open_socket(const struct config *c)
{
	if (callbacks_register() < 0) {
		log_msg(LOG_ERR, "smfi_register failed");
		return (EXIT_START);
	}
	errno = 0;
	if (smfi_setconn(c->socket) != MI_SUCCESS ||
	    smfi_opensocket(true) != MI_SUCCESS) {
		/* libmilter leaves the errno of the call that failed. */
		if (errno != 0)
			log_sys(LOG_ERR, "cannot listen on %s", c->socket);
		else
			log_msg(LOG_ERR, "cannot listen on %s", c->socket);
		return (EXIT_START);
	}
	return (EXIT_OK);
}

/* SIGHUP: the new configuration, unless it is unreadable or needs a restart. */
static void
reload(const char *file)
{
	struct milter_error err = { "" };
	struct config *now, *next;
	const char *key;

	if (config_load(file, &next, &err) != CONFIG_OK) {
		log_msg(LOG_ERR, "reload: %s; the configuration in force is "
		    "kept", err.reason);
		return;
	}
	now = config_live_get();
	key = config_restart_key(now, next);
	config_live_put(now);
	if (key != NULL) {
		log_msg(LOG_ERR, "reload: %s: %s changed, which needs a "
		    "restart; the configuration in force is kept", file, key);
		config_free(next);
		return;
	}
	config_live_set(next);
	log_msg(LOG_INFO, "reload: %s: in force for new connections", file);
}

/* SIGUSR1's handler: its only work is to make the listener's poll() return. */
static void
wake(int sig)
{
	(void) sig;
}

/*
 * Before any thread: SIGUSR1 runs wake(), and is blocked but in the
 * listener's thread and the threads libmilter starts from it. They may
 * get one sent from outside too: SA_RESTART goes on with their calls
 * (poll() and select() are never restarted, so the listener still
 * wakes).
 */
static void
wake_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = wake;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	(void) sigaction(SIGUSR1, &sa, NULL);
	sigaddset(&sa.sa_mask, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sa.sa_mask, NULL);
}

static void *
milter_main(void *arg)
{
	int    *status = arg;
	sigset_t usr1;

	/* The listener takes the wake-up (and its threads inherit the mask). */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	*status = smfi_main() == MI_SUCCESS || atomic_load(&stop_asked) ?
	    EXIT_OK : EXIT_START;
	pthread_kill(main_thread, SIGUSR2);	/* wakes signal_loop() */
	return (NULL);
}

static void *
stopper_main(void *arg)
{
	(void) arg;
	(void) smfi_stop();
	return (NULL);
}

/*
 * Waits for signals until smfi_main() has returned. Once stopping, it
 * wakes the listener every 10 ms: a wake-up that comes just before the
 * listener enters poll() is lost, the next one is not. *stopper is the
 * thread that called smfi_stop(), to be joined; it stays the caller's
 * when smfi_stop() was called here.
 */
static void
signal_loop(const char *file, const sigset_t *set, pthread_t listener,
    pthread_t *stopper, bool *have_stopper)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	bool	stopping = false;
	int	sig;

	for (;;) {
		if (stopping) {
			pthread_kill(listener, SIGUSR1);
			sig = sigtimedwait(set, NULL, &tick);
		} else if (sigwait(set, &sig) != 0)
			continue;
		switch (sig) {
		case SIGHUP:
			if (!stopping)
				reload(file);
			break;
		case SIGTERM:
		case SIGINT:
			if (stopping)
				break;
			log_msg(LOG_INFO, "stopping (%s)", strsignal(sig));
			atomic_store(&stop_asked, true);
			*have_stopper = pthread_create(stopper, NULL,
			    stopper_main, NULL) == 0;
			if (!*have_stopper)
				(void) smfi_stop();	/* up to five seconds */
			stopping = true;
			break;
		case SIGUSR2:
			return;
		}
	}
}

/*
 * Serves until stopped; then lets connections end and closes the store.
 * *clean is false when connections were still open at the end: then
 * nothing they might use is torn down.
 */
static int
serve(const char *file, const sigset_t *set, bool *clean)
{
	pthread_t milter, stopper;
	bool	have_stopper = false;
	int	status = EXIT_OK;
	unsigned left;

	*clean = false;
	if (purge_start() < 0 || stats_start() < 0 || defer_start() < 0 ||
	    pthread_create(&milter, NULL, milter_main, &status) != 0) {
		log_msg(LOG_ERR, "cannot start threads");
		return (EXIT_START);
	}
	signal_loop(file, set, milter, &stopper, &have_stopper);
	pthread_join(milter, NULL);
	if (have_stopper)
		pthread_join(stopper, NULL);
	purge_stop();
	left = conn_wait_all(SHUTDOWN_WAIT);
	defer_stop();		/* what is still pending is parsed at the next start */
	stats_stop();		/* the last figures, after the last answers */
	if (left > 0) {
		log_msg(LOG_WARNING, "%u connections still open after %d s: "
		    "stopping without closing the store", left, SHUTDOWN_WAIT);
		return (status);
	}
	store_hold_close();
	*clean = true;
	return (status);
}

/* Everything after the configuration was read; c is config_live's. */
static int
run(const struct config *c, const struct options *o, const char *file,
    const sigset_t *set, bool *clean)
{
	struct milter_error err = { "" };
	struct privs p;
	bool	have_user;
	int	rc;

	*clean = true;
	if ((rc = check_config(c, &p, &have_user)) != EXIT_OK)
		return (rc);
	if (!have_user && privs_is_root()) {
		fprintf(stderr, "report-milter: refusing to run as root: set "
		    "UserID in %s\n", c->file);
		return (EXIT_CONFIG);
	}
	log_open("report-milter", true, !o->foreground && c->syslog,
	    c->syslog_facility);
	if (!o->foreground && daemon_start(&err) < 0) {
		log_msg(LOG_ERR, "%s", err.reason);
		return (EXIT_START);
	}
	umask((mode_t) c->umask);
	if ((rc = become_user(c, &p, have_user)) != EXIT_OK)
		return (rc);
	if (access(c->temp_dir, W_OK | X_OK) < 0)
		log_sys(LOG_ERR, "TemporaryDirectory %s: report mail larger "
		    "than SpoolMemory will be tempfailed", c->temp_dir);
	extract_init();
	if ((rc = open_store(c)) != EXIT_OK || (rc = open_socket(c)) != EXIT_OK) {
		store_hold_close();
		extract_shutdown();
		return (rc);
	}
	log_msg(LOG_INFO, "report-milter %s: listening on %s, store %s, as %s",
	    PACKAGE_VERSION, c->socket, c->store_dir, have_user ? p.user :
	    "the starting user");
	daemon_ready(EXIT_OK);
	if (!o->foreground)
		log_detach();
	rc = serve(file, set, clean);
	if (*clean)
		extract_shutdown();
	return (rc);
}

/* -n: the file reads, and its UserID exists. */
static int
check_only(struct config *c)
{
	struct privs p;
	bool	have_user;
	int	rc;

	rc = check_config(c, &p, &have_user);
	config_free(c);
	return (rc);
}

int
main(int argc, char **argv)
{
	static char path[PATH_MAX];
	struct milter_error err = { "" };
	struct options o = { NULL, false, false };
	struct config *c;
	sigset_t set;
	bool	clean;
	int	rc;

	ingest_tune_malloc();
	if (parse_args(argc, argv, &o) < 0)
		return (EXIT_USAGE);
	if (config_load(o.file, &c, &err) != CONFIG_OK) {
		fprintf(stderr, "report-milter: %s\n", err.reason);
		return (EXIT_CONFIG);
	}
	if (o.check)
		return (check_only(c));
	/* A reload reads the file again, after chdir("/"). */
	if (realpath(o.file, path) == NULL)
		snprintf(path, sizeof(path), "%s", o.file);
	/* Before any thread exists, so that every thread inherits it. */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	wake_install();
	main_thread = pthread_self();
	config_live_set(c);
	rc = run(c, &o, path, &set, &clean);
	daemon_ready(rc);
	if (!clean)
		_exit(rc);	/* callbacks still run: leave it to exit */
	c = config_live_get();
	if (c->pid_file != NULL && pidfile_remove(c->pid_file, &err) < 0)
		log_msg(LOG_WARNING, "%s", err.reason);
	config_live_put(c);
	config_live_clear();
	log_msg(rc == EXIT_OK ? LOG_INFO : LOG_ERR, "stopped%s",
	    rc == EXIT_OK ? "" : " on an error");
	return (rc);
}
