import CGlibcMalloc

/// Hands the heap's free pages back to the kernel after a pass. A first pass over 10,000 bundles
/// frees most of what it allocated (bodies, requests, the listing), but glibc keeps freed memory in
/// its arenas, one for each thread that allocated: the idle daemon went on holding 112 MB of anonymous
/// memory it no longer used (BENCHMARKS.md, "Round two: watching and scale"). `malloc_trim` walks every
/// arena once; after a pass that costs milliseconds, between passes nothing.
public enum HeapTrim {
    static func releaseFreeMemory() {
        _ = malloc_trim(0)
    }

    /// Allocations of 128 KB and more get pages of their own, given back when freed. glibc raises
    /// this threshold each time such a block is freed (up to 32 MB), after which a pass's listing
    /// pages and state file come from the heap and stay pinned there by the small allocations
    /// around them: over 10,000 bundles the idle daemon held 18 MB more, and a first `sync --once`
    /// of 50,000 peaked 60 MiB higher (BENCHMARKS.md). Set once, for every command, by `main`.
    public static func fixLargeAllocationThreshold() {
        _ = mallopt(M_MMAP_THRESHOLD, 128 * 1024)
    }
}
