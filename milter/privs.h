/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	privs.h - running as UserID instead of root
 * PURPOSE
 *	report-milter starts as root (to write its pid file, make its
 *	directories), then becomes UserID ("user" or "user:group") before it
 *	opens the store or the socket, and never runs as root afterwards.
 */
#ifndef PRIVS_H
#define PRIVS_H

#include <stdbool.h>
#include <sys/types.h>

#include "merror.h"

enum privs_status {
	PRIVS_OK = 0,
	PRIVS_UNKNOWN,		/* no such user or group */
	PRIVS_FAILED		/* a system call failed (err says which) */
};

struct privs {
	char	user[64];
	uid_t	uid;
	gid_t	gid;
};

/*
 * Looks spec ("user[:group]", names or numbers) up into *p; without a
 * group, the user's own group. Returns PRIVS_OK or PRIVS_UNKNOWN.
 */
enum privs_status privs_lookup(const char *spec, struct privs *p,
    struct milter_error *err);

/*
 * Makes directory dir (mode 0750, owned by p) when it does not exist;
 * an existing one is left as it is. p NULL: owned by the caller.
 * Returns PRIVS_OK or PRIVS_FAILED.
 */
enum privs_status privs_make_dir(const char *dir, const struct privs *p,
    struct milter_error *err);

/*
 * Becomes p for good: supplementary groups, group, then user, and checks
 * that root cannot be regained. Not root already: fine when it is p's
 * user, else PRIVS_FAILED. Returns PRIVS_OK or PRIVS_FAILED.
 */
enum privs_status privs_drop(const struct privs *p, struct milter_error *err);

/* True when the process runs as root (real or effective). */
bool	privs_is_root(void);

#endif
