/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_hold - opens the store once, and again after a failure
 * PURPOSE
 *	A mutex makes sure only one thread ever opens the environment
 *	(LMDB allows one per process); the store itself is thread-safe.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store_hold.h"

static pthread_mutex_t hold_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store *held;
static char *held_dir;
static struct store_options held_opts;

int
store_hold_init(const char *dir, const struct store_options *o)
{
	free(held_dir);
	if ((held_dir = strdup(dir)) == NULL)
		return (-1);
	held_opts = *o;
	return (0);
}

enum store_status
store_hold_get(struct store **out, struct store_error *err)
{
	enum store_status st = STORE_OK;
	struct store *s = NULL;

	pthread_mutex_lock(&hold_lock);
	if (held == NULL && (st = store_open(held_dir, &held_opts, &s,
	    err)) == STORE_OK)
		held = s;
	*out = held;
	pthread_mutex_unlock(&hold_lock);
	return (st);
}

void
store_hold_close(void)
{
	pthread_mutex_lock(&hold_lock);
	store_close(held);
	held = NULL;
	free(held_dir);
	held_dir = NULL;
	pthread_mutex_unlock(&hold_lock);
}
