/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	config_live - the configuration in force, with reference counts
 * PURPOSE
 *	One mutex guards the pointer and every count: taking and giving back
 *	a reference happen once per connection, so a lock costs nothing that
 *	matters, and it keeps the swap obviously right.
 */
#include <pthread.h>
#include <stddef.h>

#include "config_live.h"

static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct config *live;

/* Drops one reference; the caller holds live_lock. Returns c to free or NULL. */
static struct config *
unref(struct config *c)
{
	if (c == NULL || --c->refs > 0)
		return (NULL);
	return (c);
}

void
config_live_set(struct config *c)
{
	struct config *old;

	c->refs = 1;		/* the module's own reference */
	pthread_mutex_lock(&live_lock);
	old = unref(live);
	live = c;
	pthread_mutex_unlock(&live_lock);
	config_free(old);
}

struct config *
config_live_get(void)
{
	struct config *c;

	pthread_mutex_lock(&live_lock);
	if ((c = live) != NULL)
		c->refs++;
	pthread_mutex_unlock(&live_lock);
	return (c);
}

void
config_live_put(struct config *c)
{
	struct config *dead;

	if (c == NULL)
		return;
	pthread_mutex_lock(&live_lock);
	dead = unref(c);
	pthread_mutex_unlock(&live_lock);
	config_free(dead);
}

void
config_live_clear(void)
{
	struct config *dead;

	pthread_mutex_lock(&live_lock);
	dead = unref(live);
	live = NULL;
	pthread_mutex_unlock(&live_lock);
	config_free(dead);
}
