/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	purge.h - deleting reports past their ReportRetention
 * PURPOSE
 *	A thread that runs store_purge() a minute after startup and then
 *	every PurgeInterval seconds (read anew each time, so a reload
 *	changes it; 0 turns purging off). Its work is logged.
 */
#ifndef PURGE_H
#define PURGE_H

/* Starts the thread. Returns 0, or -1 when it cannot be made. */
int	purge_start(void);

/* Asks the thread to end and waits for it (a purge in progress ends first). */
void	purge_stop(void);

#endif
