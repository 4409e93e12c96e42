/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	relay - a producer in a thread of its own, its output relayed
 * PURPOSE
 *	A bounded queue of RELAY_SLOTS chunks between two threads: the
 *	producer copies its output into free slots, the calling thread hands
 *	full slots to the sink in order. The sink works on a slot without the
 *	lock held, so both threads run at once.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "relay.h"

#define RELAY_SLOTS	4
#define RELAY_SLOT_SIZE	(64 * 1024)

struct relay {
	pthread_mutex_t mu;
	pthread_cond_t	can_put;	/* a slot became free, or stop */
	pthread_cond_t	can_get;	/* a slot became full, or done */
	char   *slot[RELAY_SLOTS];
	size_t	len[RELAY_SLOTS];
	unsigned head;			/* the oldest full slot */
	unsigned full;			/* full slots */
	bool	done;			/* the producer returned */
	bool	stop;			/* the sink wants no more */
	enum parse_status produced;	/* the producer's status */
	relay_producer_fn produce;
	void   *arg;
};

/* The producer's sink: copies buf into free slots, waiting for room. */
static enum parse_status
relay_put(void *arg, const char *buf, size_t len)
{
	struct relay *r = arg;
	unsigned i;
	size_t	n;

	while (len > 0) {
		pthread_mutex_lock(&r->mu);
		while (r->full == RELAY_SLOTS && !r->stop)
			pthread_cond_wait(&r->can_put, &r->mu);
		if (r->stop) {
			pthread_mutex_unlock(&r->mu);
			return (PARSE_STOPPED);
		}
		i = (r->head + r->full) % RELAY_SLOTS;
		pthread_mutex_unlock(&r->mu);
		/* Slot i is the producer's until it is counted full. */
		n = len < RELAY_SLOT_SIZE ? len : RELAY_SLOT_SIZE;
		memcpy(r->slot[i], buf, n);
		r->len[i] = n;
		buf += n;
		len -= n;
		pthread_mutex_lock(&r->mu);
		r->full++;
		pthread_cond_signal(&r->can_get);
		pthread_mutex_unlock(&r->mu);
	}
	return (PARSE_OK);
}

static void *
relay_thread(void *arg)
{
	struct relay *r = arg;
	enum parse_status ps = r->produce(r->arg, relay_put, r);

	pthread_mutex_lock(&r->mu);
	r->produced = ps;
	r->done = true;
	pthread_cond_signal(&r->can_get);
	pthread_mutex_unlock(&r->mu);
	return (NULL);
}

/* Hands full slots to the sink until the producer is done or it says stop. */
static enum parse_status
relay_drain(struct relay *r, inflate_sink_fn sink, void *sink_arg)
{
	enum parse_status ps = PARSE_OK;
	unsigned i;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (r->full == 0 && !r->done)
			pthread_cond_wait(&r->can_get, &r->mu);
		if (r->full == 0)
			break;
		i = r->head;
		pthread_mutex_unlock(&r->mu);
		ps = sink(sink_arg, r->slot[i], r->len[i]);
		pthread_mutex_lock(&r->mu);
		r->head = (r->head + 1) % RELAY_SLOTS;
		r->full--;
		pthread_cond_signal(&r->can_put);
		if (ps != PARSE_OK) {
			r->stop = true;
			break;
		}
	}
	pthread_mutex_unlock(&r->mu);
	return (ps);
}

static void
relay_free(struct relay *r)
{
	unsigned i;

	for (i = 0; i < RELAY_SLOTS; i++)
		free(r->slot[i]);
	pthread_cond_destroy(&r->can_get);
	pthread_cond_destroy(&r->can_put);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

enum parse_status
relay_run(relay_producer_fn produce, void *arg, inflate_sink_fn sink,
    void *sink_arg)
{
	struct relay *r;
	pthread_t t;
	enum parse_status ps;
	unsigned i;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return (produce(arg, sink, sink_arg));
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->can_put, NULL);
	pthread_cond_init(&r->can_get, NULL);
	r->produce = produce;
	r->arg = arg;
	for (i = 0; i < RELAY_SLOTS; i++)
		if ((r->slot[i] = malloc(RELAY_SLOT_SIZE)) == NULL)
			break;
	if (i < RELAY_SLOTS || pthread_create(&t, NULL, relay_thread, r) != 0) {
		relay_free(r);
		return (produce(arg, sink, sink_arg));
	}
	ps = relay_drain(r, sink, sink_arg);
	pthread_join(t, NULL);
	if (ps == PARSE_OK)
		ps = r->produced;
	relay_free(r);
	return (ps);
}
