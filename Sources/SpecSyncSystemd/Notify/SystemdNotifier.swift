import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells systemd how the daemon is doing (`Type=notify`), without libsystemd: the sd_notify
/// protocol is one datagram of `KEY=VALUE` lines sent to the socket named by `$NOTIFY_SOCKET`.
///
/// Sending never throws. A notifier that cannot reach systemd logs that once and goes on: losing a
/// status line must never take the daemon down (without `READY=1` systemd gives up on its own).
public struct SystemdNotifier: Sendable {
    /// `$NOTIFY_SOCKET` as systemd gave it (`/run/systemd/notify`, or `@name` for an abstract socket).
    public let socketName: String
    let address: NotifySocketAddress
    private let logger: Logger
    private let failureReported = OnceFlag()

    /// Nil when `$NOTIFY_SOCKET` is unset or empty (not started by systemd, or `Type=simple`), or
    /// names something that is neither an absolute path nor an `@` abstract name.
    public init?(environment: [String: String], logger: Logger = Logger(label: "specsync.systemd")) {
        guard let name = environment["NOTIFY_SOCKET"], !name.isEmpty else { return nil }
        guard let address = NotifySocketAddress(name) else {
            logger.warning(
                "NOTIFY_SOCKET is not a socket path or an abstract name; not notifying systemd",
                metadata: ["notify.socket": "\(name)"])
            return nil
        }
        self.socketName = name
        self.address = address
        self.logger = logger
    }

    /// `READY=1`: start-up (or a reload) is complete. systemd waits for it before the unit is active.
    @discardableResult
    public func ready(status: String? = nil) -> Bool {
        notify([("READY", "1")] + (status.map { [("STATUS", $0)] } ?? []))
    }

    /// `RELOADING=1` with `MONOTONIC_USEC`, which systemd 253 and later require to match the reload to
    /// this message (252 ignores it). Send `ready(status:)` once the new configuration is in force.
    @discardableResult
    public func reloading() -> Bool {
        notify([("RELOADING", "1"), ("MONOTONIC_USEC", String(Self.monotonicMicroseconds()))])
    }

    /// `STOPPING=1`: shutdown has begun, so `systemctl status` says so while passes drain.
    @discardableResult
    public func stopping(status: String? = nil) -> Bool {
        notify([("STOPPING", "1")] + (status.map { [("STATUS", $0)] } ?? []))
    }

    /// `STATUS=…`: the one line `systemctl status` shows under the unit.
    @discardableResult
    public func status(_ text: String) -> Bool {
        notify([("STATUS", text)])
    }

    /// `WATCHDOG=1`: the daemon is alive; systemd restarts it when these stop for `WatchdogSec=`.
    @discardableResult
    public func watchdog() -> Bool {
        notify([("WATCHDOG", "1")])
    }

    /// `EXTEND_TIMEOUT_USEC`: asks for more time than `TimeoutStartSec=`/`TimeoutStopSec=` while a long
    /// first pass or a drain is still making progress.
    @discardableResult
    public func extendTimeout(by duration: Duration) -> Bool {
        notify([("EXTEND_TIMEOUT_USEC", String(Self.microseconds(duration)))])
    }

    /// Sends `fields` as one datagram, `KEY=VALUE` per line. Line breaks inside a value would start a
    /// new assignment, so they become spaces. False when the datagram could not be sent.
    @discardableResult
    public func notify(_ fields: [(String, String)]) -> Bool {
        let message = fields.map { key, value in
            "\(key)=\(value.replacingLineBreaks())"
        }.joined(separator: "\n")
        if let failure = send(Array(message.utf8)) {
            if failureReported.claim() {
                logger.warning(
                    "cannot notify systemd; going on without it (reported once)",
                    metadata: ["notify.socket": "\(socketName)", "error.message": "\(failure)"])
            }
            return false
        }
        return true
    }

    /// Half of `$WATCHDOG_USEC`, the interval at which to send `WATCHDOG=1` (systemd's advice), or nil
    /// when no watchdog is configured or `$WATCHDOG_PID` names another process (the variable was
    /// inherited, and the watchdog is not ours to feed).
    public static func watchdogInterval(
        environment: [String: String], processID: Int32 = getpid()
    ) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0 else {
            return nil
        }
        if let pid = environment["WATCHDOG_PID"], !pid.isEmpty, Int32(pid) != processID { return nil }
        return .microseconds(Int64(clamping: microseconds / 2))
    }

    /// `CLOCK_MONOTONIC` in microseconds, the clock systemd compares `MONOTONIC_USEC` against.
    static func monotonicMicroseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_nsec) / 1_000
    }

    static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }

    /// One datagram on a fresh socket, as sd_notify does: nothing to keep open or to reconnect.
    /// A send blocks for at most two seconds, so a wedged systemd cannot wedge the caller.
    private func send(_ datagram: [UInt8]) -> SocketFailure? {
        #if os(Linux)
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let type = SOCK_DGRAM
        let flags: Int32 = 0
        #endif
        let descriptor = socket(AF_UNIX, type, 0)
        guard descriptor >= 0 else { return SocketFailure(call: "socket", code: errno) }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let sent = address.withSockaddr { pointer, length in
            datagram.withUnsafeBytes { bytes in
                sendto(descriptor, bytes.baseAddress, bytes.count, flags, pointer, length)
            }
        }
        guard sent >= 0 else { return SocketFailure(call: "sendto", code: errno) }
        guard sent == datagram.count else { return SocketFailure(call: "sendto", code: EMSGSIZE) }
        return nil
    }
}
