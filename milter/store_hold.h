/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_hold.h - the daemon's one store, opened when it can be
 * PURPOSE
 *	The store is opened at startup (after the fork and the privilege
 *	drop). When that fails (the directory is read-only, not there yet,
 *	locked), the daemon still serves: ordinary mail flows, and each
 *	report mail tries to open it again and is tempfailed with the
 *	reason until it succeeds, so that the MTA keeps the report queued.
 *	Once open, the store stays open until store_hold_close().
 */
#ifndef STORE_HOLD_H
#define STORE_HOLD_H

#include "store.h"

/* Remembers where the store is and how to open it (dir is copied). */
int	store_hold_init(const char *dir, const struct store_options *o);

/*
 * The open store in *out (borrowed), opening it first when needed.
 * Returns STORE_OK or the status of store_open() (err says why).
 */
enum store_status store_hold_get(struct store **out, struct store_error *err);

/* Closes the store; no callback may be using it. */
void	store_hold_close(void);

#endif
