#ifndef SPECSYNC_CLIBGIT2_SHIM_H
#define SPECSYNC_CLIBGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/repository.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

// git_libgit2_opts is variadic, which Swift cannot call: one non-variadic wrapper per option we use.

/// Turns libgit2's repository-owner check on or off (GIT_OPT_SET_OWNER_VALIDATION).
static inline int specsync_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

/// Sets the largest object of `type` the object cache keeps, in bytes; 0 keeps none (GIT_OPT_SET_CACHE_OBJECT_LIMIT).
static inline int specsync_git_set_cache_object_limit(git_object_t type, size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, bytes);
}

/// Turns libgit2's check that each object read hashes to its id on or off (GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION).
static inline int specsync_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/// Sets the CA bundle file and/or directory TLS checks use (GIT_OPT_SET_SSL_CERT_LOCATIONS); NULL keeps one unset.
static inline int specsync_git_set_ssl_cert_locations(const char *file, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, path);
}

// libgit2 1.5.1 has no network timeouts and blocks in connect/recv/poll. specsync's watchdog interrupts such a
// call by sending the git thread a signal whose handler does nothing but was installed without SA_RESTART, so
// the blocked system call fails with EINTR and libgit2 gives up.
static void specsync_interrupt_handler(int signo) { (void)signo; }

/// Installs the do-nothing handler for `signo` without SA_RESTART.
static inline int specsync_install_interrupt_handler(int signo) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = specsync_interrupt_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    return sigaction(signo, &action, NULL);
}

/// Unblocks `signo` for the calling thread (it may have inherited a mask that blocks it).
static inline int specsync_unblock_signal(int signo) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

#endif
