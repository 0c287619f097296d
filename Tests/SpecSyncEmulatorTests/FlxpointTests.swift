import SpecSyncCore
@testable import SpecSyncEmulator
import SpecSyncJSON
import Testing

@Suite("Flxpoint connections")
struct FlxpointTests {
    /// Most tests send more than two requests a second; only the rate-limit test keeps the real limit.
    static func unthrottled(_ configuration: inout EmulatorConfiguration) {
        configuration.flxpointRequestsPerSecond = 1_000
    }

    @Test func createReadAndListWithDerivedFields() async throws {
        try await EmulatorHarness.run(Self.unthrottled) { harness in
            let created = try await harness.flxpoint(
                "POST", "/connections",
                body: EmulatorHarness.flxpointBody(name: "Shop A", type: "shopify_v2", configs: [("store_url", "a.example"), ("apiKey", "k1")]))
            #expect(created.status == 200)
            #expect(created["/id"] == .number("1"))
            #expect(created["/connectionType"] == .string("shopify_v2"))
            #expect(created["/connectionTypeName"] == .string("Shopify V2"))
            #expect(created["/requiresConnectionToTest"] == .bool(false))
            #expect(created["/configs/0/handle"] == .string("store_url"))
            #expect(created["/configs/0/name"] == .string("Store Url"))
            #expect(created["/configs/0/dataType"] == .string("string"))
            #expect(created["/configs/0/value"] == .string("a.example"))
            #expect(created["/configs/0/defaultValue"] == .null)
            #expect(created["/configs/0/options"] == .array([]))
            #expect(created["/configs/1/sortOrder"] == .number("1"))
            #expect(created["/updatedAt"] == nil)

            let second = try await harness.createFlxpoint(name: "Shop B", type: "shopify_v2")
            #expect(second == 2)

            let read = try await harness.flxpoint("GET", "/connections/1")
            #expect(read.status == 200)
            #expect(try read.json == created.json)

            let list = try await harness.flxpoint("GET", "/connections")
            #expect(list.status == 200)
            #expect(try list.json.arrayValue?.map { $0.objectValue?["id"] } == [.number("1"), .number("2")])
            // One connection type, one id.
            #expect(list["/0/connectionTypeId"] == list["/1/connectionTypeId"])
            #expect(list["/0/connectionTypeId"] != nil)

            let stored = try #require(await harness.emulator.flxpointStore.connection(id: 1))
            #expect(stored.value(of: "apiKey") == "k1")
        }
    }

    @Test func putReplacesEverythingAndDropsMissingHandles() async throws {
        try await EmulatorHarness.run(Self.unthrottled) { harness in
            let id = try await harness.createFlxpoint(name: "Before", configs: [("store_url", "a"), ("region", "eu")])
            let put = try await harness.flxpoint(
                "PUT", "/connections/\(id)",
                body: EmulatorHarness.flxpointBody(name: "After", type: "bigcommerce", configs: [("store_url", "b")]))
            #expect(put.status == 200)
            #expect(put["/name"] == .string("After"))
            #expect(put["/connectionType"] == .string("bigcommerce"))
            #expect(put["/configs"]?.arrayValue?.count == 1)
            let stored = try #require(await harness.emulator.flxpointStore.connection(id: id))
            #expect(stored == FlxpointConnection(id: id, connectionType: "bigcommerce", name: "After", configs: [.init(handle: "store_url", value: "b")]))
            #expect(stored.value(of: "region") == nil)
        }
    }

    @Test func missingConnectionsAndBadIdsAre404WithoutBody() async throws {
        try await EmulatorHarness.run(Self.unthrottled) { harness in
            for reply in [
                try await harness.flxpoint("GET", "/connections/42"),
                try await harness.flxpoint("GET", "/connections/abc"),
                try await harness.flxpoint("PUT", "/connections/42", body: EmulatorHarness.flxpointBody(name: "x", configs: [])),
            ] {
                #expect(reply.status == 404)
                #expect(reply.bytes.isEmpty)
            }
            let delete = try await harness.flxpoint("DELETE", "/connections/1")
            #expect(delete.status == 405)
            #expect(delete.bytes.isEmpty)
            #expect(delete.header("Allow") == "GET, PUT")
            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.count("GET", "flxpointConnection", 404) == 2)
            #expect(statistics.count("PUT", "flxpointConnection", 404) == 1)
            #expect(statistics.count("DELETE", "flxpointConnection", 405) == 1)
        }
    }

    @Test func wrongOrMissingTokenIs401WithoutBody() async throws {
        try await EmulatorHarness.run(Self.unthrottled) { harness in
            for token in ["wrong", nil] as [String?] {
                let reply = try await harness.flxpoint("POST", "/connections", body: EmulatorHarness.flxpointBody(name: "x", configs: []), token: token)
                #expect(reply.status == 401)
                #expect(reply.bytes.isEmpty)
            }
            #expect(await harness.emulator.flxpointStore.connections().isEmpty)
            #expect(await harness.emulator.store.statistics().count("POST", "flxpointConnections", 401) == 2)
        }
    }

    @Test func secretsAreMaskedInEveryResponseButStored() async throws {
        try await EmulatorHarness.run(Self.unthrottled) { harness in
            let configs = [("store_url", "shop.example"), ("Password", "p1"), ("client_secret", "s1"), ("access_token", "t1"), ("API_KEY", "k1")]
            let created = try await harness.flxpoint("POST", "/connections", body: EmulatorHarness.flxpointBody(name: "Masked", configs: configs))
            let put = try await harness.flxpoint("PUT", "/connections/1", body: EmulatorHarness.flxpointBody(name: "Masked", configs: configs))
            let read = try await harness.flxpoint("GET", "/connections/1")
            let list = try await harness.flxpoint("GET", "/connections")
            for (reply, prefix) in [(created, ""), (put, ""), (read, ""), (list, "/0")] {
                #expect(reply.status == 200)
                #expect(reply["\(prefix)/configs/0/value"] == .string("shop.example"))
                #expect(reply["\(prefix)/configs/0/dataType"] == .string("string"))
                for index in 1...4 {
                    #expect(reply["\(prefix)/configs/\(index)/value"] == .string("********"))
                    #expect(reply["\(prefix)/configs/\(index)/dataType"] == .string("password"))
                }
                #expect(!reply.text.contains("p1") && !reply.text.contains("s1") && !reply.text.contains("k1"))
            }
            let stored = try #require(await harness.emulator.flxpointStore.connection(id: 1))
            #expect(stored.configs.map(\.value) == ["shop.example", "p1", "s1", "t1", "k1"])
        }
    }

    @Test(arguments: [
        ("not json", "Malformed JSON"),
        ("[]", "JSON object"),
        (#"{"name":"x","configs":[]}"#, "connectionType is required"),
        (#"{"connectionType":"","name":"x","configs":[]}"#, "connectionType must not be empty"),
        (#"{"connectionType":"a","name":7,"configs":[]}"#, "name must be a string"),
        (#"{"connectionType":"a","name":"x"}"#, "configs is required"),
        (#"{"connectionType":"a","name":"x","configs":[{"handle":"h"}]}"#, "configs[0].value"),
        (#"{"connectionType":"a","name":"x","configs":[{"handle":"h","value":1}]}"#, "configs[0].value"),
        (#"{"connectionType":"a","name":"x","configs":[{"handle":"h","value":"1"},{"handle":"h","value":"2"}]}"#, "more than once"),
    ])
    func invalidBodiesAre400WithAMessage(body: String, expected: String) async throws {
        try await EmulatorHarness.run(Self.unthrottled) { harness in
            let id = try await harness.createFlxpoint(name: "Kept")
            for (method, path) in [("POST", "/connections"), ("PUT", "/connections/\(id)")] {
                let reply = try await harness.flxpoint(method, path, body: body)
                #expect(reply.status == 400)
                let message = try #require(reply["/message"]?.stringValue)
                #expect(message.contains(expected), "\(message)")
            }
            #expect(await harness.emulator.flxpointStore.connections().map(\.name) == ["Kept"])
        }
    }

    @Test func thirdRequestWithinASecondIsThrottledWithRetryAfter() async throws {
        try await EmulatorHarness.run { harness in
            // Three requests must arrive within one second; on a machine too busy for that, start again
            // (the limiter's arithmetic itself is tested on a manual clock in FlxpointRateLimiterTests).
            var attempts = 0
            var elapsed = Duration.zero
            var replies: [Reply] = []
            let firstTry = ContinuousClock.now
            repeat {
                attempts += 1
                await harness.emulator.store.reset()
                let start = ContinuousClock.now
                replies = []
                for _ in 0..<3 { replies.append(try await harness.flxpoint("GET", "/connections")) }
                elapsed = ContinuousClock.now - start
            } while elapsed >= .milliseconds(900) && (attempts < 5 || ContinuousClock.now - firstTry < .seconds(120))
            try #require(elapsed < .milliseconds(900), "three requests took \(elapsed) each time for two minutes: the machine is too busy")
            let (first, second, third) = (replies[0], replies[1], replies[2])
            // Another token has its own allowance.
            let other = try await harness.flxpoint("GET", "/connections", token: "someone-else")
            #expect(first.status == 200)
            #expect(second.status == 200)
            #expect(third.status == 429)
            #expect(third.bytes.isEmpty)
            let retryAfter = try #require(third.header("Retry-After").flatMap(Int.init))
            #expect(retryAfter >= 1)
            #expect(other.status == 401)

            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.flxpointRequests == 4)
            #expect(statistics.flxpointThrottled == 1)
            #expect(statistics.flxpointMaxRequestsInAnySecond >= 3)
            #expect(statistics.count("GET", "flxpointConnections", 429) == 1)
            #expect(statistics.count("GET", "flxpointConnections", 200) == 2)

            let reset = try await harness.send("POST", "/__emulator/reset")
            #expect(reset.status == 204)
            let cleared = await harness.emulator.store.statistics()
            #expect(cleared.flxpointRequests == 0)
            #expect(cleared.flxpointMaxRequestsInAnySecond == 0)
        }
    }

    @Test func injectedFaultsHaveEmptyBodies() async throws {
        try await EmulatorHarness.run({ configuration in
            configuration.faults.throttleRate = 1
            configuration.faults.retryAfterSeconds = 5
            configuration.flxpointRequestsPerSecond = 100
        }) { harness in
            let throttled = try await harness.flxpoint("POST", "/connections", body: EmulatorHarness.flxpointBody(name: "x", configs: []))
            #expect(throttled.status == 429)
            #expect(throttled.header("Retry-After") == "5")
            #expect(throttled.bytes.isEmpty)
            var plan = FaultPlan()
            plan.serverErrorRate = 1
            await harness.emulator.setFaults(plan)
            for _ in 0..<4 {
                let failed = try await harness.flxpoint("GET", "/connections")
                #expect([502, 503, 504].contains(failed.status))
                #expect(failed.bytes.isEmpty)
            }
            #expect(await harness.emulator.flxpointStore.connections().isEmpty)
            // Only the rate limit's 429s count as throttled.
            #expect(await harness.emulator.store.statistics().flxpointThrottled == 0)
        }
    }

    @Test func outOfBandEditsShowThroughTheAPI() async throws {
        try await EmulatorHarness.run(Self.unthrottled) { harness in
            let id = try await harness.createFlxpoint(name: "Original", configs: [("store_url", "a"), ("password", "old")])
            try await harness.emulator.flxpointStore.editOutOfBand(id: id, name: "Renamed in UI")
            try await harness.emulator.flxpointStore.editOutOfBand(id: id, handle: "password", value: "new")
            let edited = try await harness.emulator.flxpointStore.editOutOfBand(id: id, handle: "store_url", value: nil)
            #expect(edited.configs == [.init(handle: "password", value: "new")])
            let read = try await harness.flxpoint("GET", "/connections/\(id)")
            #expect(read["/name"] == .string("Renamed in UI"))
            #expect(read["/configs/0/value"] == .string("********"))
            #expect(read["/configs"]?.arrayValue?.count == 1)

            let control = try await harness.send("GET", "/__emulator/flxpointConnections")
            #expect(control["/0/configs/0/value"] == .string("new"))

            try await harness.emulator.flxpointStore.deleteOutOfBand(id: id)
            #expect(try await harness.flxpoint("GET", "/connections/\(id)").status == 404)
            await #expect(throws: FlxpointStoreError.unknownConnection(id: id)) {
                try await harness.emulator.flxpointStore.editOutOfBand(id: id, name: "x")
            }
        }
    }

    @Test func targetConfigurationPointsAtTheEmulator() async throws {
        try await EmulatorHarness.run { harness in
            let yaml = try await harness.emulator.flxpointTargetConfiguration(
                name: "flx", tokenVariable: "FLX_TOKEN", settings: ["requestsPerSecond: 2"])
            #expect(yaml == """
                  flx:
                    kind: flxpoint
                    flxpoint:
                      baseURL: \(harness.baseURL)/flxpoint
                      token: {env: FLX_TOKEN}
                      requestsPerSecond: 2

                """)
            #expect(try await harness.emulator.flxpointURL == harness.baseURL + "/flxpoint")
        }
    }
}
