/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	daemon - fork into the background with a start-up handshake
 * PURPOSE
 *	A pipe joins parent and child: the child writes one byte (its exit
 *	status) when it is ready or has failed; a parent that reads end of
 *	file instead knows the child died during startup.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "daemon.h"

static int ready_fd = -1;

int
daemon_start(struct milter_error *err)
{
	unsigned char status;
	int	fds[2];
	ssize_t	n;
	pid_t	pid;

	if (pipe(fds) < 0) {
		merror_sys(err, "pipe");
		return (-1);
	}
	if ((pid = fork()) < 0) {
		merror_sys(err, "fork");
		return (-1);
	}
	if (pid == 0) {
		close(fds[0]);
		ready_fd = fds[1];
		(void) setsid();
		if (chdir("/") < 0) {
			merror_sys(err, "chdir /");
			return (-1);
		}
		return (0);
	}
	close(fds[1]);
	while ((n = read(fds[0], &status, 1)) < 0 && errno == EINTR)
		;
	if (n == 1)
		_exit(status);
	fprintf(stderr, "report-milter: the daemon ended during startup; "
	    "see the log\n");
	_exit(3);
}

void
daemon_ready(int status)
{
	unsigned char b = (unsigned char) status;
	int	fd;

	if (ready_fd < 0)
		return;
	if (status == 0 && (fd = open("/dev/null", O_RDWR)) >= 0) {
		(void) dup2(fd, STDIN_FILENO);
		(void) dup2(fd, STDOUT_FILENO);
		(void) dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	(void) !write(ready_fd, &b, 1);
	close(ready_fd);
	ready_fd = -1;
}

/* The process that path names, when it is alive and not this one; else 0. */
static long
pidfile_owner(const char *path)
{
	char	buf[32];
	ssize_t	n;
	long	pid;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return (0);
	buf[n] = '\0';
	pid = atol(buf);
	if (pid <= 0 || pid == (long) getpid())
		return (0);
	return (kill((pid_t) pid, 0) == 0 || errno == EPERM ? pid : 0);
}

/*
 * The pid file stays open for the life of the daemon: it reads it back
 * through this descriptor after it dropped root, so that the file keeps
 * root's ownership and the mode that Umask gives it.
 */
static int	pid_fd = -1;

int
pidfile_write(const char *path, struct milter_error *err)
{
	char	buf[32];
	long	other;
	int	fd, n;

	if ((other = pidfile_owner(path)) != 0) {
		merror_set(err, "already running as process %ld (PidFile %s)",
		    other, path);
		return (-1);
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long) getpid());
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0644)) < 0) {
		merror_sys(err, "PidFile %s", path);
		return (-1);
	}
	if (write(fd, buf, (size_t) n) != n) {
		merror_sys(err, "PidFile %s", path);
		close(fd);
		return (-1);
	}
	if (pid_fd >= 0)
		close(pid_fd);
	pid_fd = fd;
	return (0);
}

int
pidfile_remove(const char *path, struct milter_error *err)
{
	struct stat	held, named;
	char		buf[32];
	ssize_t		n;
	int		rc = 0;

	if (pid_fd < 0)
		return (0);
	n = pread(pid_fd, buf, sizeof(buf) - 1, 0);
	if (n > 0 && fstat(pid_fd, &held) == 0 &&
	    lstat(path, &named) == 0 && held.st_dev == named.st_dev &&
	    held.st_ino == named.st_ino) {
		buf[n] = '\0';
		if (atol(buf) == (long) getpid() && unlink(path) < 0) {
			merror_sys(err, "cannot remove PidFile %s", path);
			rc = -1;
		}
	}
	close(pid_fd);
	pid_fd = -1;
	return (rc);
}
