/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	defer.h - the thread that parses report mail kept pending
 * PURPOSE
 *	See defer.c. finish.c keeps a mail pending and calls defer_kick();
 *	main.c starts the thread with the others and stops it after the
 *	last connection ended, before the store is closed.
 */
#ifndef DEFER_H
#define DEFER_H

/* Starts the thread. Returns 0, or -1 when it cannot be made. */
int	defer_start(void);

/* A mail was kept pending: the thread looks now. */
void	defer_kick(void);

/* Asks the thread to end and waits (the mail it parses is finished first). */
void	defer_stop(void);

#endif
