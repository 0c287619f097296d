#ifndef SPECSYNC_CLIBYAML_SHIM_H
#define SPECSYNC_CLIBYAML_SHIM_H

#include <yaml.h>

#endif
