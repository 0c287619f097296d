#ifndef SPECSYNC_CLIBPQ_SHIM_H
#define SPECSYNC_CLIBPQ_SHIM_H

#include <libpq-fe.h>

#endif
