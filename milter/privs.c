/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	privs - privilege drop to UserID
 * PURPOSE
 *	initgroups(), setgid(), setuid() in that order (once the user is
 *	set, the groups can no longer change), and a check afterwards that
 *	setuid(0) fails, so a half-done drop never goes unnoticed.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "privs.h"

/* A name or a number of a user or group; -1 when unknown. */
static long
lookup_id(const char *name, bool group, gid_t *primary)
{
	struct passwd *pw;
	struct group *gr;
	char   *end;
	long	n;

	errno = 0;
	n = strtol(name, &end, 10);
	if (*name != '\0' && *end == '\0' && n >= 0) {
		if (!group && primary != NULL)
			*primary = (pw = getpwuid((uid_t) n)) ? pw->pw_gid : (gid_t) n;
		return (n);
	}
	if (group)
		return ((gr = getgrnam(name)) ? (long) gr->gr_gid : -1);
	if ((pw = getpwnam(name)) == NULL)
		return (-1);
	if (primary != NULL)
		*primary = pw->pw_gid;
	return ((long) pw->pw_uid);
}

enum privs_status
privs_lookup(const char *spec, struct privs *p, struct milter_error *err)
{
	char	user[64];
	const char *colon = strchr(spec, ':');
	size_t	n = colon ? (size_t) (colon - spec) : strlen(spec);
	long	uid, gid;
	gid_t	primary = 0;

	if (n == 0 || n >= sizeof(user)) {
		merror_set(err, "UserID '%s' is not user[:group]", spec);
		return (PRIVS_UNKNOWN);
	}
	memcpy(user, spec, n);
	user[n] = '\0';
	if ((uid = lookup_id(user, false, &primary)) < 0) {
		merror_set(err, "UserID: no such user '%s'", user);
		return (PRIVS_UNKNOWN);
	}
	gid = colon ? lookup_id(colon + 1, true, NULL) : (long) primary;
	if (gid < 0) {
		merror_set(err, "UserID: no such group '%s'", colon + 1);
		return (PRIVS_UNKNOWN);
	}
	snprintf(p->user, sizeof(p->user), "%s", user);
	p->uid = (uid_t) uid;
	p->gid = (gid_t) gid;
	return (PRIVS_OK);
}

enum privs_status
privs_make_dir(const char *dir, const struct privs *p, struct milter_error *err)
{
	struct stat sb;

	if (stat(dir, &sb) == 0)
		return (PRIVS_OK);
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		merror_sys(err, "cannot make directory %s", dir);
		return (PRIVS_FAILED);
	}
	if (p != NULL && chown(dir, p->uid, p->gid) < 0) {
		merror_sys(err, "cannot give directory %s to %s", dir, p->user);
		return (PRIVS_FAILED);
	}
	return (PRIVS_OK);
}

enum privs_status
privs_drop(const struct privs *p, struct milter_error *err)
{
	if (geteuid() != 0) {
		if (getuid() == p->uid && geteuid() == p->uid)
			return (PRIVS_OK);
		merror_set(err, "cannot become user %s: not started as root",
		    p->user);
		return (PRIVS_FAILED);
	}
	if (initgroups(p->user, p->gid) < 0 && setgroups(1, &p->gid) < 0) {
		merror_sys(err, "cannot set the groups of %s", p->user);
		return (PRIVS_FAILED);
	}
	if (setgid(p->gid) < 0 || setuid(p->uid) < 0) {
		merror_sys(err, "cannot become user %s", p->user);
		return (PRIVS_FAILED);
	}
	if (p->uid != 0 && setuid(0) == 0) {
		merror_set(err, "user %s can become root again", p->user);
		return (PRIVS_FAILED);
	}
	return (PRIVS_OK);
}

bool
privs_is_root(void)
{
	return (getuid() == 0 || geteuid() == 0);
}
