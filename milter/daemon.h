/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	daemon.h - going to the background, and the pid file
 * PURPOSE
 *	daemon_start() forks; the parent stays until the child says that it
 *	serves (or why it cannot), then exits with that status. So the
 *	command that starts report-milter fails when the daemon cannot
 *	start, and a socket is listening when it succeeds.
 */
#ifndef DAEMON_H
#define DAEMON_H

#include "merror.h"

/*
 * Forks into the background (a new session, working directory /). The
 * parent never returns: it exits with the status the child gives to
 * daemon_ready(), or 3 when the child ends first. The child returns 0;
 * -1 when fork() fails (err says why).
 */
int	daemon_start(struct milter_error *err);

/*
 * In the child: reports status to the waiting parent (0: serving) and,
 * for 0, puts /dev/null on stdin, stdout and stderr. Without a waiting
 * parent (foreground): nothing.
 */
void	daemon_ready(int status);

/*
 * Writes the process id into path. Returns 0, or -1 (err says why), also
 * when path names another process that is alive: a second daemon would
 * take the socket of the first.
 */
int	pidfile_write(const char *path, struct milter_error *err);

/*
 * Removes path when it is still the file that pidfile_write made and
 * holds this process's id; works after the daemon dropped root. Returns
 * 0, or -1 when it could not (err says why: the directory is not the
 * daemon user's to write).
 */
int	pidfile_remove(const char *path, struct milter_error *err);

#endif
