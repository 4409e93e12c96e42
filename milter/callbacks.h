/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	callbacks.h - the libmilter callbacks of report-milter
 * PURPOSE
 *	Registers the filter with libmilter. The callbacks only gather
 *	state into struct conn and struct msg (context.h) and hand the end
 *	of a report mail to finish_message().
 */
#ifndef CALLBACKS_H
#define CALLBACKS_H

/*
 * Calls smfi_register() with report-milter's callbacks. Returns 0, or
 * -1 when libmilter refuses (it logs why).
 */
int	callbacks_register(void);

#endif
