#ifndef SPECSYNC_CLIBPQ_SHIM_H
#define SPECSYNC_CLIBPQ_SHIM_H

// Debian's libpq-dev puts the header in /usr/include/postgresql; its own includes are relative to it.
#include <postgresql/libpq-fe.h>

#endif
