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
 */
#include <stdlib.h>		/* says whether this is glibc */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "ingest.h"

/* Free memory kept at the top of a heap before it is given back. */
#define INGEST_TRIM_BYTES	(2 << 20)
/* Blocks this big or bigger get pages of their own (mmap). */
#define INGEST_MMAP_BYTES	(1 << 20)

void
ingest_tune_malloc(void)
{
#if defined(M_TRIM_THRESHOLD) && defined(M_MMAP_THRESHOLD)
	(void) mallopt(M_TRIM_THRESHOLD, INGEST_TRIM_BYTES);
	(void) mallopt(M_MMAP_THRESHOLD, INGEST_MMAP_BYTES);
#endif
}
