/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	roundtrip.h - the codec's promise, checked on what a parser produced
 * PURPOSE
 *	Shared by the fuzzing harnesses: the JSON the codec writes must read
 *	back into the same report.
 */
#ifndef ROUNDTRIP_H
#define ROUNDTRIP_H

#include "record.h"

/*
 * Writes x as JSON, reads that back and writes it again: abort()s when
 * the text cannot be read or reads as something else, the finding a
 * fuzzer reports. Out of memory passes silently. x is borrowed.
 */
void	roundtrip_check(const struct external_report *x);

/* roundtrip_check() of r in an External report of its own; frees r. */
void	roundtrip_report(struct report *r);

#endif
