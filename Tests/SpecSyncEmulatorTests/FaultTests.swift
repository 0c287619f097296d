import AsyncHTTPClient
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

@Suite("Injected faults")
struct FaultTests {
    @Test func throttleAnswers429WithRetryAfterAndAppliesNothing() async throws {
        try await EmulatorHarness.run({ configuration in
            configuration.faults.throttleRate = 1
            configuration.faults.retryAfterSeconds = 7
        }) { harness in
            let token = try await harness.token()  // IMS is not behind the Flow Service gateway faults
            let reply = try await harness.flow("POST", "/connectionSpecs", body: SampleBundle.spec(name: "T"), token: token)
            #expect(reply.status == 429)
            #expect(reply.header("Retry-After") == "7")
            #expect(try reply.json == JSONParser().parse(#"{"error_code":"429001","message":"Too many requests"}"#))
            #expect(reply.requestID?.isEmpty == false)
            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.count("POST", "connectionSpecs", 429) == 1)
            #expect(statistics.writes == 0)
            #expect(await harness.emulator.store.connectionSpecs().isEmpty)
        }
    }

    @Test func serverErrorsAre5xxAndApplyNothing() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let id = try await harness.create(name: "Before", token: token)
            let before = await harness.emulator.store.connectionSpec(id: id)
            var plan = FaultPlan()
            plan.serverErrorRate = 1
            plan.seed = 7
            await harness.emulator.setFaults(plan)

            var statuses: Set<Int> = []
            var shapes: Set<String> = []
            for round in 0..<12 {
                let reply = round.isMultiple(of: 2)
                    ? try await harness.flow("POST", "/connectionSpecs", body: SampleBundle.spec(name: "New \(round)"), token: token)
                    : try await harness.flow("PUT", "/connectionSpecs/\(id)", body: SampleBundle.spec(name: "After"), token: token)
                #expect([502, 503, 504].contains(reply.status))
                statuses.insert(reply.status)
                if reply.bytes.isEmpty {
                    shapes.insert("empty")
                } else {
                    shapes.insert("platform")
                    #expect(reply["/status"] == .number(String(reply.status)))
                    #expect(reply["/report/request-id"]?.stringValue == reply.requestID)
                }
            }
            #expect(statuses.count > 1)
            #expect(shapes == ["empty", "platform"])
            #expect(await harness.emulator.store.connectionSpecs().count == 1)
            #expect(await harness.emulator.store.connectionSpec(id: id) == before)
            #expect(await harness.emulator.store.statistics().writes == 1)
        }
    }

    @Test func droppedResponseIsATransportErrorButTheWriteHappened() async throws {
        try await EmulatorHarness.run({ $0.faults.dropRate = 1 }) { harness in
            let token = try await harness.token()
            await #expect(throws: (any Error).self) {
                _ = try await harness.flow("POST", "/connectionSpecs", body: SampleBundle.spec(name: "Lost"), token: token)
            }
            // Not even a status line arrives: `execute` itself fails, before any body is read.
            var request = HTTPClientRequest(url: harness.baseURL + EmulatorHarness.flowService + "/connectionSpecs")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "x-api-key", value: harness.configuration.clientID)
            request.headers.add(name: "x-gw-ims-org-id", value: harness.configuration.orgID)
            request.headers.add(name: "x-sandbox-name", value: harness.configuration.sandbox)
            await #expect(throws: (any Error).self) {
                _ = try await harness.client.execute(request, timeout: .seconds(5))
            }
            let stored = await harness.emulator.store.connectionSpecs(named: "Lost")
            #expect(stored.count == 1)

            await harness.emulator.setFaults(.none)
            // The client's recovery path: look the spec up by name before creating it again.
            let lookup = try await harness.flow("GET", "/connectionSpecs?property=name%3D%3D%22Lost%22", token: token)
            #expect(lookup.status == 200)
            #expect(lookup["/items/0/id"] == stored.first?.objectValue?["id"])

            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.writes == 1)
            #expect(statistics.droppedAfterApplying == 2)
            #expect(statistics.count("GET", "connectionSpecs", 200) == 2)
            #expect(statistics.droppedWrites == 1)
            #expect(statistics.count("POST", "connectionSpecs", 201) == 1)
        }
    }

    @Test func samePlanGivesSameFaultSequence() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            var plan = FaultPlan()
            plan.seed = 42
            plan.throttleRate = 0.25
            plan.serverErrorRate = 0.25
            func sequence() async throws -> [Int] {
                await harness.emulator.setFaults(plan)
                var statuses: [Int] = []
                for _ in 0..<24 {
                    statuses.append(try await harness.flow("GET", "/connectionSpecs", token: token).status)
                }
                return statuses
            }
            let first = try await sequence()
            let second = try await sequence()
            #expect(first == second)
            #expect(first.contains(200) && first.contains(429) && first.contains { $0 >= 502 })
        }
    }

    @Test func latencyDelaysFlowServiceRequestsAndOverlapsThem() async throws {
        try await EmulatorHarness.run({ $0.latency = .milliseconds(300) }) { harness in
            let token = try await harness.token()
            let clock = ContinuousClock()
            let start = clock.now
            let reply = try await harness.flow("GET", "/connectionSpecs", token: token)
            #expect(reply.status == 200)
            #expect(clock.now - start >= .milliseconds(300))

            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await harness.flow("GET", "/connectionSpecs", token: token).status }
                }
                for try await status in group { #expect(status == 200) }
            }
            #expect(await harness.emulator.store.statistics().maxConcurrentRequests == 4)
        }
    }
}
