/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	relay.h - a producer in a thread of its own, its output relayed
 * PURPOSE
 *	Decompressing a big report and parsing it are two halves of the
 *	same work; on a machine with two cores they can overlap. relay_run()
 *	runs the producer (inflate) in a new thread and hands what it
 *	produces, in order, to the caller's sink in the calling thread, so
 *	that the sink (the XML parser and whatever it calls, a store's write
 *	transaction among them) never changes threads. At most a few chunks
 *	are in flight: memory stays bounded.
 */
#ifndef RELAY_H
#define RELAY_H

#include <stddef.h>

#include "inflate.h"
#include "parse.h"

/*
 * A producer: writes its output to sink(sink_arg, ...) and returns its
 * status. It runs in another thread: it may touch only what it was given.
 */
typedef enum parse_status (*relay_producer_fn)(void *arg,
    inflate_sink_fn sink, void *sink_arg);

/*
 * Runs produce(arg, ...) in a thread of its own and relays its output to
 * sink(sink_arg, ...) here. When the sink answers anything but PARSE_OK,
 * the producer is told to stop (its sink then returns PARSE_STOPPED) and
 * that answer is returned; else the producer's status is. When no thread
 * can be started, the producer runs here, straight into the sink.
 */
enum parse_status relay_run(relay_producer_fn produce, void *arg,
    inflate_sink_fn sink, void *sink_arg);

#endif
