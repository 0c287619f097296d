import Foundation
import Logging
import ServiceLifecycle
import SpecSyncTestSupport
import Testing
import SpecSyncSystemd

@Suite("Watchdog service", .timeLimit(.minutes(5)))
struct WatchdogServiceTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test("pings while healthy, withholds pings while unhealthy, resumes, and ends on cancellation")
    func healthGated() async throws {
        let receiver = try DatagramReceiver(abstractName: "specsync-watchdog-\(UUID().uuidString)")
        let notifier = try #require(SystemdNotifier(environment: receiver.environment))
        let healthy = HealthFlag()
        let service = WatchdogService(
            notifier: notifier, interval: .milliseconds(20), logger: logger, health: { healthy.check() })
        let running = Task { try await service.run() }

        #expect(await receiver.receive() == "WATCHDOG=1")
        #expect(await receiver.receive() == "WATCHDOG=1")

        healthy.value = false
        // Once the service has heard "unhealthy", any ping it decided on before has been sent.
        let answered = healthy.unhealthyAnswers
        while healthy.unhealthyAnswers == answered { try await Task.sleep(for: .milliseconds(5)) }
        _ = receiver.drain()
        #expect(await receiver.receive(timeout: .milliseconds(200)) == nil)

        healthy.value = true
        #expect(await receiver.receive() == "WATCHDOG=1")

        running.cancel()
        try await running.value
        _ = receiver.drain()
        #expect(await receiver.receive(timeout: .milliseconds(100)) == nil)
    }

    @Test("ends at a ServiceGroup's graceful shutdown and pings no more")
    func gracefulShutdown() async throws {
        let receiver = try DatagramReceiver(abstractName: "specsync-watchdog-\(UUID().uuidString)")
        let notifier = try #require(SystemdNotifier(environment: receiver.environment))
        let service = WatchdogService(notifier: notifier, interval: .milliseconds(20), logger: logger)
        let group = ServiceGroup(services: [service], logger: logger)
        let running = Task { try await group.run() }

        #expect(await receiver.receive() == "WATCHDOG=1")
        #expect(await receiver.receive() == "WATCHDOG=1")
        await group.triggerGracefulShutdown()
        try await running.value
        _ = receiver.drain()
        #expect(await receiver.receive(timeout: .milliseconds(100)) == nil)
    }

    @Test("built from the environment only when systemd configured a watchdog for this process")
    func fromEnvironment() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let socket = ["NOTIFY_SOCKET": directory.path + "/notify.sock"]
        let service = try #require(WatchdogService(
            environment: socket.merging(["WATCHDOG_USEC": "60000000"]) { $1 }, logger: logger))
        #expect(service.interval == .seconds(30))
        #expect(WatchdogService(environment: socket, logger: logger) == nil)
        #expect(WatchdogService(environment: ["WATCHDOG_USEC": "60000000"], logger: logger) == nil)
        #expect(WatchdogService(
            environment: socket.merging(["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "1"]) { $1 },
            logger: logger) == nil)
    }
}
