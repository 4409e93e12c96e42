/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	mime_walk.h - the MIME walk of a report e-mail (GMime)
 * PURPOSE
 *	Internal to the extract module: parses a message with GMime, fills in
 *	the message_info, and hands each report part to extract_part() or
 *	extract_arf(). No GMime object appears in this interface.
 */
#ifndef MIME_WALK_H
#define MIME_WALK_H

#include <stddef.h>

#include "extract.h"
#include "extract_part.h"

/*
 * Walks the message in data[0..len). info (may be NULL) receives the
 * headers. Parts and nesting past limits->mime_parts and mime_depth are
 * not looked at: that is recorded as a PARSE_LIMIT failure and the walk
 * ends, keeping what it found. Returns w->stop (PARSE_OK, PARSE_NOMEM, or
 * a status a caller's callback returned).
 */
enum parse_status mime_walk_message(struct extract_walk *w, const char *data,
    size_t len, struct message_info *info);

#endif
