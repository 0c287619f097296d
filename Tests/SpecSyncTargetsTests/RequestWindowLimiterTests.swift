import SpecSyncTestSupport
import Testing
@testable import SpecSyncTargets

@Suite("Request window limiter (Flxpoint's 2 requests per second)")
struct RequestWindowLimiterTests {
    @Test("a slot is reused only a whole window after its answer arrived, however long the request took")
    func slotsReopenAfterTheAnswer() async throws {
        let clock = ManualClock()
        let limiter = RequestWindowLimiter(requests: 2, window: .seconds(1), clock: clock)
        let first = try await limiter.acquire()
        let second = try await limiter.acquire()
        #expect(first.slot != second.slot)

        // Both in flight: the third waits for an answer, not for the clock.
        let third = Task { try await limiter.acquire() }
        clock.advance(by: .seconds(5))
        #expect(clock.sleeperCount == 0)
        // The first answer arrives at t=5 s: its slot reopens at t=6 s, not before.
        await limiter.finished(first, outcome: .answered(200))
        try await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(999))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .milliseconds(1))
        let reused = try await third.value
        #expect(reused.slot == first.slot)
    }

    @Test("20 instant requests through 2 slots: no window of one second ever holds more than 2 starts")
    func neverMoreThanTheLimitInAnyWindow() async throws {
        let clock = ManualClock()
        let limiter = RequestWindowLimiter(requests: 2, window: .seconds(1), clock: clock)
        let driver = Task {
            var starts: [Duration] = []
            for _ in 0..<20 {
                let ticket = try await limiter.acquire()
                starts.append(clock.now.offset)
                await limiter.finished(ticket, outcome: .answered(200))  // an instant answer
            }
            return starts
        }
        // Time moves only while the driver sleeps on the clock, in 10 ms steps.
        let steps = Task {
            while !Task.isCancelled {
                if clock.sleeperCount > 0 { clock.advance(by: .milliseconds(10)) }
                await Task.yield()
            }
        }
        let starts = try await driver.value
        steps.cancel()
        #expect(starts.count == 20)
        for (index, start) in starts.enumerated() {
            let inWindow = starts[index...].prefix { $0 < start + .seconds(1) }.count
            #expect(inWindow <= 2, "\(inWindow) starts in the second after \(start)")
        }
        // And it does not dawdle: two per second, so the 20th starts 9 seconds after the first.
        #expect(starts.last! <= .seconds(9) + .milliseconds(100))
    }
}
