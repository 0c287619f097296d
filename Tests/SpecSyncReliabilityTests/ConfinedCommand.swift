import Foundation
import SpecSyncTestSupport

/// Runs `specsync` under a resource it cannot get past: a file-size limit, a full tmpfs, or a
/// read-only bind mount of the state directory. The mounts live in a private mount namespace
/// (`unshare -m`) that ends with the command, so nothing outside the test ever sees them.
enum ConfinedCommand {
    /// True when this process may make mount namespaces and mount in them (root with CAP_SYS_ADMIN).
    static let canMount: Bool = {
        guard let directory = try? TemporaryDirectory(prefix: "specsync-mount-probe") else { return false }
        defer { directory.remove() }
        let result = try? ProcessRunner.run("unshare", ["-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs \"$0\"", directory.path])
        return result?.status == 0
    }()

    static var isRoot: Bool { geteuid() == 0 }

    /// `specsync arguments…` with RLIMIT_FSIZE at `bytes` (rounded down to 512-byte blocks) and
    /// SIGXFSZ ignored, so a write past the limit fails with EFBIG as on a full disk.
    static func withFileSizeLimit(_ bytes: Int, _ arguments: [String], repository: ReliabilityRepository) throws -> ProcessResult {
        // dash counts `ulimit -f` in 512-byte blocks, bash in 1024: `ulimit -f` is given in the
        // shell's own unit, computed by the shell.
        let script = #"trap "" XFSZ; unit=512; [ -n "$BASH_VERSION" ] && unit=1024; ulimit -f $(( $0 / unit )) && exec "$@""#
        return try shell(script, ["\(bytes)", try SpecSyncBinary.path] + arguments, repository: repository)
    }

    /// `specsync arguments…` with the state directory on a tmpfs of `bytes` that holds a copy of its
    /// files and a filler taking every free byte. The tmpfs's files are copied to `copyBack`
    /// afterwards, to be compared with what was there before.
    static func withFullDisk(_ bytes: Int, _ arguments: [String], repository: ReliabilityRepository, copyBack: URL) throws -> ProcessResult {
        let script = #"""
            state="$1"; saved="$2"; out="$3"; size="$4"; shift 4
            mount -t tmpfs -o size="$size" tmpfs "$state" || exit 97
            cp -a "$saved"/. "$state"/ || exit 98
            dd if=/dev/zero of="$state/filler" bs=512 2>/dev/null
            "$@"; status=$?
            rm -f "$state/filler"
            cp -a "$state"/. "$out"/
            exit $status
            """#
        let saved = try TemporaryDirectory(prefix: "specsync-saved-state")
        defer { saved.remove() }
        try FileManager.default.removeItem(at: saved.url)
        try FileManager.default.copyItem(atPath: repository.stateDirectory, toPath: saved.path)
        return try shell(script, [repository.stateDirectory, saved.path, copyBack.path, "\(bytes)", try SpecSyncBinary.path] + arguments,
                         repository: repository, unshare: true)
    }

    /// `specsync arguments…` with the state directory mounted read-only.
    static func withReadOnlyState(_ arguments: [String], repository: ReliabilityRepository) throws -> ProcessResult {
        let script = #"state="$1"; shift; mount --bind "$state" "$state" && mount -o remount,bind,ro "$state" || exit 97; exec "$@""#
        return try shell(script, [repository.stateDirectory, try SpecSyncBinary.path] + arguments, repository: repository, unshare: true)
    }

    private static func shell(_ script: String, _ arguments: [String], repository: ReliabilityRepository, unshare: Bool = false) throws -> ProcessResult {
        let command = unshare ? ["unshare", "-m", "sh", "-c", script] : ["sh", "-c", script]
        // With `sh -c`, the first argument after the script is $0.
        let positional = unshare ? ["sh"] + arguments : arguments
        return try ProcessRunner.run(
            "/usr/bin/env", command + positional, in: repository.url,
            environment: SpecSyncBinary.childEnvironment(repository.environment))
    }
}
