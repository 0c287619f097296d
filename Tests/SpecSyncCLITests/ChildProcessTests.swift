import Foundation
import SpecSyncTestSupport
import Testing

/// The tests' own way of running programs: what Foundation's `Process` got wrong on Linux and hung
/// a whole test run with (see `ChildProcess`).
@Suite("ChildProcess")
struct ChildProcessTests {
    @Test("a child inherits no descriptor of the test process but its standard three")
    func onlyStandardDescriptors() throws {
        let directory = try TemporaryDirectory(prefix: "specsync-child")
        defer { directory.remove() }
        let marker = try directory.write("", to: "held-open").path
        // Opened without O_CLOEXEC, as the socket Foundation's `Process` watches a child through is.
        let held = Glibc.open(marker, O_RDONLY)
        #expect(held > 2 && fcntl(held, F_GETFD) & FD_CLOEXEC == 0)
        defer { close(held) }
        // Each descriptor of the shell and where it leads; the glob reading /proc/PID/fd holds one above 2.
        let listing = try ProcessRunner.checked("/bin/sh", ["-c", "for f in /proc/$$/fd/*; do echo ${f##*/} $(readlink $f); done"])
        let descriptors = listing.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(!listing.stdout.contains(marker), "\(listing.stdout)")
        #expect(descriptors.filter { Int($0[0])! > 2 }.count == 1, "\(listing.stdout)")
    }

    @Test("a child that exits while a program it started lives on is seen to end, with its status")
    func endsBeforeItsOwnChild() throws {
        let directory = try TemporaryDirectory(prefix: "specsync-child")
        defer { directory.remove() }
        let pidFile = directory.path + "/grandchild"
        // The grandchild keeps the child's standard output open; Foundation's `Process` saw such a
        // child end only when every holder of its watch socket had gone.
        let result = try ProcessRunner.run("/bin/sh", ["-c", "sleep 60 & echo $! > \(pidFile); exit 7"])
        #expect(result.status == 7)
        let grandchild = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(grandchild, 0) == 0, "the grandchild was still running when the child's end was seen")
        kill(grandchild, SIGKILL)
    }

    @Test("a signal ends a child with that signal as its status; isRunning and exited agree")
    func signalled() async throws {
        let child = try ChildProcess("/bin/sleep", ["60"])
        #expect(child.isRunning)
        child.signal(SIGKILL)
        await child.exited()
        #expect(!child.isRunning)
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(child.terminationStatus == SIGKILL)
        child.signal(SIGKILL)  // after the reap: sent to no one
    }

    @Test("a program that cannot be started is an error naming it, not a child")
    func missingExecutable() {
        #expect(throws: FixtureError.self) { try ChildProcess("/nonexistent/specsync-test-program", []) }
    }
}
