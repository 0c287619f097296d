import AsyncHTTPClient
import Logging
import ServiceLifecycle
import SpecSyncEmulator
import Testing

@Suite("Lifecycle")
struct LifecycleTests {
    static var quietLogger: Logger {
        var logger = Logger(label: "emulator-lifecycle")
        logger.logLevel = .warning
        return logger
    }

    @Test func runsAsAServiceAndShutsDownGracefully() async throws {
        let emulator = FlowServiceEmulator(configuration: .init(), logger: Self.quietLogger)
        let group = ServiceGroup(configuration: .init(services: [emulator], logger: Self.quietLogger))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await serveAndShutDown(emulator, group: group, client: client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private func serveAndShutDown(_ emulator: FlowServiceEmulator, group: ServiceGroup, client: HTTPClient) async throws {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let base = try await emulator.baseURL
            #expect(base == "http://127.0.0.1:\(try await emulator.port)")
            // Generous: on two busy cores the suite starves the cooperative pool for seconds at a time.
            let response = try await client.execute(HTTPClientRequest(url: base + "/__emulator/health"), timeout: .seconds(60))
            #expect(response.status.code == 200)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            await #expect(throws: (any Error).self) {
                // AsyncHTTPClient retries refused connections until the deadline, so keep it short.
                _ = try await client.execute(HTTPClientRequest(url: base + "/__emulator/health"), timeout: .milliseconds(300))
            }
        }
    }

    @Test func aPortInUseFailsInsteadOfHanging() async throws {
        try await withFlowServiceEmulator(logger: Self.quietLogger) { first in
            var configuration = EmulatorConfiguration()
            configuration.port = try await first.port
            await #expect(throws: (any Error).self) {
                try await withFlowServiceEmulator(configuration, logger: Self.quietLogger) { _ in }
            }
        }
    }
}
