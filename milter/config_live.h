/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	config_live.h - the configuration in force, swapped by SIGHUP
 * PURPOSE
 *	A connection takes a reference to the configuration in force when
 *	it begins and keeps it to its end, so a reload never changes the
 *	rules in the middle of a message. config_live_set() installs a new
 *	configuration; the old one is freed when its last user lets go.
 */
#ifndef CONFIG_LIVE_H
#define CONFIG_LIVE_H

#include "config.h"

/* Installs c (the module's from now on) as the configuration in force. */
void	config_live_set(struct config *c);

/* A reference to the configuration in force (never NULL once set). */
struct config *config_live_get(void);

/* Gives back a reference from config_live_get(); NULL is fine. */
void	config_live_put(struct config *c);

/* At exit: lets go of the configuration in force (its users are gone). */
void	config_live_clear(void);

#endif
