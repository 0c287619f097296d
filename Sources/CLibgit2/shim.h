#ifndef SPECSYNC_CLIBGIT2_SHIM_H
#define SPECSYNC_CLIBGIT2_SHIM_H

#include <git2.h>

// git_libgit2_opts is variadic, which Swift cannot call: one non-variadic wrapper per option we use.

/// Turns libgit2's repository-owner check on or off (GIT_OPT_SET_OWNER_VALIDATION).
static inline int specsync_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

/// Sets the size of the object cache in bytes (GIT_OPT_SET_CACHE_MAX_SIZE).
static inline int specsync_git_set_cache_max_size(ssize_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, bytes);
}

#endif
