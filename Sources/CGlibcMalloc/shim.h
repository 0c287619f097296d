#ifndef SPECSYNC_CGLIBCMALLOC_SHIM_H
#define SPECSYNC_CGLIBCMALLOC_SHIM_H

// malloc_trim: Swift's Glibc module does not include <malloc.h>.
#include <malloc.h>

#endif
