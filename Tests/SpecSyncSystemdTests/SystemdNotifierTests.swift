import Foundation
import Logging
import SpecSyncTestSupport
import Testing
@testable import SpecSyncSystemd

#if canImport(Glibc)
import Glibc
#endif

@Suite("sd_notify over a real datagram socket")
struct SystemdNotifierTests {
    @Test("no notifier without a usable NOTIFY_SOCKET")
    func absent() {
        let lines = LineCollector()
        let logger = Logger(label: "specsync.systemd") { JournaldLogHandler(label: $0, sink: lines.sink) }
        #expect(SystemdNotifier(environment: [:], logger: logger) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": ""], logger: logger) == nil)
        #expect(lines.entries.isEmpty)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative/notify"], logger: logger) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "@"], logger: logger) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)], logger: logger) == nil)
        #expect(lines.entries.count == 3)
        #expect(lines.entries.first == "<4>specsync.systemd: NOTIFY_SOCKET is not a socket path or an abstract name; not notifying systemd notify.socket=relative/notify\n")
    }

    @Test("every message arrives as the exact datagram on a socket file")
    func pathSocket() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let receiver = try DatagramReceiver(path: directory.path + "/notify.sock")
        let notifier = try #require(SystemdNotifier(environment: receiver.environment))

        #expect(notifier.ready(status: "first pass pending"))
        #expect(await receiver.receive() == "READY=1\nSTATUS=first pass pending")
        notifier.ready()
        #expect(await receiver.receive() == "READY=1")
        notifier.status("3 bundles in sync\nlast commit abc")
        #expect(await receiver.receive() == "STATUS=3 bundles in sync last commit abc")
        notifier.stopping()
        #expect(await receiver.receive() == "STOPPING=1")
        notifier.watchdog()
        #expect(await receiver.receive() == "WATCHDOG=1")
        notifier.extendTimeout(by: .seconds(90))
        #expect(await receiver.receive() == "EXTEND_TIMEOUT_USEC=90000000")
        notifier.notify([("STATUS", "custom"), ("ERRNO", "5")])
        #expect(await receiver.receive() == "STATUS=custom\nERRNO=5")
        #expect(receiver.drain().isEmpty)
    }

    @Test("RELOADING=1 carries CLOCK_MONOTONIC in microseconds")
    func reloading() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let receiver = try DatagramReceiver(path: directory.path + "/notify.sock")
        let notifier = try #require(SystemdNotifier(environment: receiver.environment))

        let before = Self.monotonicMicroseconds()
        notifier.reloading()
        let after = Self.monotonicMicroseconds()
        let datagram = try #require(await receiver.receive())
        let lines = datagram.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2)
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(lines.last.flatMap { $0.hasPrefix("MONOTONIC_USEC=") ? UInt64($0.dropFirst(15)) : nil })
        #expect(stamp >= before && stamp <= after)
    }

    @Test("an @name reaches the abstract socket of that name")
    func abstractSocket() async throws {
        let receiver = try DatagramReceiver(abstractName: "specsync-test-\(UUID().uuidString)")
        let notifier = try #require(SystemdNotifier(environment: receiver.environment))
        #expect(notifier.socketName.hasPrefix("@"))

        #expect(notifier.ready(status: "running"))
        #expect(await receiver.receive() == "READY=1\nSTATUS=running")
        notifier.watchdog()
        #expect(await receiver.receive() == "WATCHDOG=1")
    }

    @Test("a socket that is gone is reported once and never throws")
    func missingSocket() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let lines = LineCollector()
        let logger = Logger(label: "specsync.systemd") { JournaldLogHandler(label: $0, sink: lines.sink) }
        let notifier = try #require(
            SystemdNotifier(environment: ["NOTIFY_SOCKET": directory.path + "/gone.sock"], logger: logger))

        #expect(!notifier.ready(status: "x"))
        #expect(!notifier.watchdog())
        let copy = notifier
        #expect(!copy.status("y"))
        #expect(lines.entries.count == 1)
        #expect(lines.text.hasPrefix("<4>specsync.systemd: cannot notify systemd; going on without it (reported once) error.message=\"sendto: No such file or directory (errno 2)\" notify.socket="))
    }

    @Test("the watchdog interval is half of WATCHDOG_USEC, and only for this process")
    func watchdogInterval() {
        let pid = getpid()
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "60000000"]) == .seconds(30))
        #expect(SystemdNotifier.watchdogInterval(
            environment: ["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "\(pid)"]) == .seconds(30))
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "3"]) == .microseconds(1))
        // Inherited from a parent service: not ours to feed.
        #expect(SystemdNotifier.watchdogInterval(
            environment: ["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "\(pid + 1)"]) == nil)
        #expect(SystemdNotifier.watchdogInterval(
            environment: ["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "42"], processID: 42) == .seconds(30))
        #expect(SystemdNotifier.watchdogInterval(environment: [:]) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "0"]) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "soon"]) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_PID": "\(pid)"]) == nil)
    }

    static func monotonicMicroseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_nsec) / 1_000
    }
}
