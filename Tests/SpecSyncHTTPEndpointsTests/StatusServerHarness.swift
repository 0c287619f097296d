import SpecSyncTestSupport
import AsyncHTTPClient
import Logging
import ServiceLifecycle
import SpecSyncHTTPEndpoints
import Testing

/// One answer from the status server, read to the end.
struct Reply: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var bytes: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Every provider the server handed to `onWebhook`, for tests to wait on.
actor HookRecorder {
    private(set) var providers: [String] = []

    func record(_ provider: String) { providers.append(provider) }

    /// Waits (up to `timeout`) until `count` hooks were handed over; the server calls back
    /// outside the request, so the 202 can arrive a moment before the callback runs.
    func waitFor(count: Int, timeout: Duration = .seconds(5)) async throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        while providers.count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        return providers
    }
}

/// A real status server on an ephemeral loopback port and a real HTTP client talking to it.
struct StatusServerHarness: Sendable {
    let metrics: SyncMetrics
    let health: HealthState
    let hooks: HookRecorder
    let logs: RecordingLogHandler.Store
    let client: HTTPClient
    let baseURL: String

    /// Starts a server (with `webhook`, if any), runs `body`, then shuts client and server down
    /// gracefully, as the daemon's `ServiceGroup` would.
    static func run(
        webhook: WebhookVerifier? = nil,
        configure: @Sendable (inout EndpointSettings) -> Void = { _ in },
        _ body: @Sendable (StatusServerHarness) async throws -> Void
    ) async throws {
        let logs = RecordingLogHandler.Store()
        var logger = Logger(label: "status-server-test") { _ in RecordingLogHandler(store: logs) }
        logger.logLevel = .debug
        var settings = EndpointSettings()
        settings.port = 0
        configure(&settings)
        let metrics = SyncMetrics()
        let health = HealthState()
        let hooks = HookRecorder()
        let server = StatusServer(
            settings: settings, metrics: metrics, health: health, webhook: webhook,
            onWebhook: { provider in await hooks.record(provider) }, logger: logger)
        var quiet = Logger(label: "status-server-group")
        quiet.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: [server], logger: quiet))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let port = try await server.port
                let harness = StatusServerHarness(
                    metrics: metrics, health: health, hooks: hooks, logs: logs, client: client,
                    baseURL: "http://127.0.0.1:\(port)")
                try await body(harness)
            } catch {
                try? await client.shutdown()
                await group.triggerGracefulShutdown()
                throw error
            }
            try await client.shutdown()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    func send(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        // Generous: a suite of 500 tests on two cores can keep the server's handlers waiting for a thread.
        let response = try await client.execute(request, timeout: .seconds(120))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        return Reply(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            bytes: Array(buffer.readableBytesView))
    }

    /// GET /metrics, parsed.
    func scrape() async throws -> PrometheusExposition {
        let reply = try await send("GET", "/metrics")
        #expect(reply.status == 200)
        return try PrometheusExposition(reply.text)
    }
}
