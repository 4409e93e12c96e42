/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	ingest_malloc - the C library allocator, tuned for ingest
 * PURPOSE
 *	Each message ingest takes and gives back a few hundred KB at once:
 *	the decoded and inflated part, libxml2's copy of it, the deflate
 *	state of the stored chunk. glibc's default gives memory at the top
 *	of a heap back to the kernel once 128 KB are free there, so every
 *	message hands its pages back and faults them in again, zeroed, for
 *	the next (about 80 page faults per typical DMARC report, a tenth of
 *	the time it takes to store one). Keeping up to a few MB per heap
 *	stops that; memory a big report needed is still given back.
 *	A write that joins a group of writers (store_group.c, store_batch.c)
 *	is an LMDB nested txn, and LMDB gives each one a 2 MB dirty list
 *	and a 512 KB free list, malloc'd at its begin and freed at its end:
 *	with pages of their own (mmap, glibc's default from 128 KB) that
 *	was an mmap, page faults and an munmap per message, a fifth of the
 *	CPU of importing small reports. Blocks under 4 MB come from the
 *	heap, and 8 MB free at its top are kept, so they are used again.
 *
 *	glibc also gives each thread that meets a locked heap a heap of its
 *	own, up to eight per CPU. report-milter has a thread per SMTP
 *	connection, so 20 connections on two CPUs made 16 heaps, each keeping
 *	what its biggest message needed: RssAnon settled near 70 MB over 30,000
 *	to 60,000 messages, against about 23 MB with one heap per CPU, at
 *	the same messages per second (a thread waits for the disk far more
 *	often than for a heap's lock). One heap per CPU, and at most four:
 *	a machine of many CPUs would otherwise build the same 70 MB.
 */
#include <stdlib.h>		/* says whether this is glibc */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <unistd.h>

#include "ingest.h"

/* Free memory kept at the top of a heap before it is given back. */
#define INGEST_TRIM_BYTES	(8 << 20)
/* Blocks this big or bigger get pages of their own (mmap). */
#define INGEST_MMAP_BYTES	(4 << 20)
/* Heaps (arenas) at most, one per CPU up to this. */
#define INGEST_HEAPS		4

void
ingest_tune_malloc(void)
{
#if defined(M_TRIM_THRESHOLD) && defined(M_MMAP_THRESHOLD)
	(void) mallopt(M_TRIM_THRESHOLD, INGEST_TRIM_BYTES);
	(void) mallopt(M_MMAP_THRESHOLD, INGEST_MMAP_BYTES);
#endif
#if defined(M_ARENA_MAX)
	{
		long	cpus = sysconf(_SC_NPROCESSORS_ONLN);

		(void) mallopt(M_ARENA_MAX,
		    cpus < 1 ? 1 : cpus > INGEST_HEAPS ? INGEST_HEAPS : (int) cpus);
	}
#endif
}
