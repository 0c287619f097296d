@testable import SpecSyncEmulator
import Testing

@Suite("Fault decisions")
struct FaultInjectorTests {
    @Test func sameSeedSameDecisions() async {
        var plan = FaultPlan()
        plan.seed = 99
        plan.throttleRate = 0.2
        plan.serverErrorRate = 0.2
        plan.dropRate = 0.2
        let first = FaultInjector(plan: plan)
        let second = FaultInjector(plan: plan)
        var decisions: [FaultDecision] = []
        for _ in 0..<200 {
            let decision = await first.decide()
            #expect(await second.decide() == decision)
            decisions.append(decision)
        }
        #expect(decisions.contains(.none) && decisions.contains(.drop))
        #expect(decisions.contains { if case .throttle = $0 { true } else { false } })
        #expect(decisions.contains { if case .serverError = $0 { true } else { false } })

        plan.seed = 100
        await first.replace(plan)
        var other: [FaultDecision] = []
        for _ in 0..<200 { other.append(await first.decide()) }
        #expect(other != decisions)
    }

    @Test func throttleBurstThrottlesConsecutiveRequests() async {
        var plan = FaultPlan()
        plan.throttleRate = 0.1
        plan.throttleBurst = 3
        plan.retryAfterSeconds = 2
        let injector = FaultInjector(plan: plan)
        var decisions: [FaultDecision] = []
        for _ in 0..<300 { decisions.append(await injector.decide()) }
        let throttled = decisions.map { $0 == .throttle(retryAfterSeconds: 2) }
        #expect(throttled.contains(true))
        // Every run of 429s is a whole number of bursts long (the last may be cut off by the end).
        let runs = throttled.split(separator: false).map(\.count)
        for length in throttled.last == true ? Array(runs.dropLast()) : runs {
            #expect(length % 3 == 0, "a run of \(length) throttled requests")
        }
        #expect(runs.contains { $0 >= 3 })
    }

    @Test func ratesOfZeroAndOne() async {
        let quiet = FaultInjector(plan: FaultPlan())
        for _ in 0..<50 { #expect(await quiet.decide() == .none) }
        var plan = FaultPlan()
        plan.dropRate = 1
        let dropping = FaultInjector(plan: plan)
        for _ in 0..<50 { #expect(await dropping.decide() == .drop) }
    }

    @Test func planDecodesFromPartialJSONAndValidates() throws {
        let plan = try JSONDecoderShim.decode(#"{"dropRate": 0.5, "seed": 3}"#)
        #expect(plan.dropRate == 0.5 && plan.seed == 3 && plan.throttleBurst == 1 && plan.retryAfterSeconds == 1)
        #expect(plan.problem == nil)
        var bad = FaultPlan()
        bad.throttleRate = 1.5
        #expect(bad.problem?.contains("throttleRate") == true)
    }
}
