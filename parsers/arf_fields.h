/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	arf_fields.h - the values of ARF fields (internal to arf.c)
 * PURPOSE
 *	arf.c finds the fields; these functions read the values that are more
 *	than text into the report. Each takes the unfolded, white-space
 *	collapsed value (NUL-terminated) and returns 0, or -1 when memory
 *	ran out. A value that cannot be read leaves the schema default, so
 *	one odd field never costs the whole report. off is unused (the
 *	setters share arf.c's table signature).
 */
#ifndef ARF_FIELDS_H
#define ARF_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"
#include "record.h"

/* The state of one arf_parse() call. */
struct arf_ctx {
	struct arf_report *a;
	const struct parse_limits *limits;
	struct parse_error *err;
	bool	have_feedback_type;
	bool	have_version;
	bool	have_incidents;
	bool	have_arrival_date;	/* a readable Arrival-Date */
	bool	have_received_date;	/* a readable Received-Date */
	int64_t	received_date;
	bool	have_source_port;
	bool	have_auth_failure;
	bool	have_delivery_result;
	bool	have_identity_alignment;
};

int	arf_set_feedback_type(struct arf_ctx *, const char *value, size_t off);
int	arf_set_version(struct arf_ctx *, const char *value, size_t off);
int	arf_set_arrival_date(struct arf_ctx *, const char *value, size_t off);
int	arf_set_received_date(struct arf_ctx *, const char *value, size_t off);
int	arf_set_incidents(struct arf_ctx *, const char *value, size_t off);
int	arf_set_source_ip(struct arf_ctx *, const char *value, size_t off);
int	arf_set_source_port(struct arf_ctx *, const char *value, size_t off);
int	arf_set_auth_failure(struct arf_ctx *, const char *value, size_t off);
int	arf_set_delivery_result(struct arf_ctx *, const char *value,
	    size_t off);
int	arf_set_identity_alignment(struct arf_ctx *, const char *value,
	    size_t off);

/* After the last field: Received-Date stands in for a missing Arrival-Date. */
void	arf_fields_finish(struct arf_ctx *);

#endif
