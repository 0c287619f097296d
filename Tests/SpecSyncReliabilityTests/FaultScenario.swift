import Foundation
import SpecSyncTestSupport

/// A fault storm: an emulator process answering 20% of Flow Service requests 502/503/504, losing 5%
/// of the answers after applying the request, throttling in bursts with Retry-After, and issuing
/// tokens that expire every `tokenLifetime` seconds. Every bundle is created, then every bundle is
/// given a new body; each time `sync --once` runs until it converges and the emulator, the state and
/// git are compared. IMS tokens must follow the run's length, not its request count.
struct FaultScenario: Sendable {
    var bundles = 100
    var tokenLifetime = 2
    var emulatorOptions = [
        "--server-error-rate", "0.2", "--drop-rate", "0.05", "--throttle-rate", "0.01", "--throttle-burst", "6",
        "--retry-after", "1",
    ]
    var seed: UInt64 = 1
    var maxPasses = 10

    struct Figures: Sendable, Codable {
        var bundles = 0
        /// Both phases' runs and checks.
        var passes = ConvergenceTally()
        var requests = 0
        var faults: FaultCount?
        var faultsInjected = 0
        var tokensIssued = 0
        /// What renewing a tenth of the lifetime early allows for the runs' summed length: one token
        /// per 0.9 lifetime of running, plus one per process.
        var tokensExpectedAtMost = 0
        var runSeconds = 0.0
    }

    func run() async throws -> Figures {
        let emulator = try EmulatorProcess(
            clientSecret: "faults-\(UUID().uuidString)",
            options: emulatorOptions + ["--token-lifetime", "\(tokenLifetime)", "--seed", "\(seed)"])
        defer { emulator.stop() }
        var repository = try ReliabilityRepository(emulator: emulator, bundles: bundles)
        defer { repository.cleanUp() }

        var figures = Figures()
        var running = Duration.zero
        let clock = ContinuousClock()
        for phase in 0..<2 {
            if phase == 1 {
                try repository.touch(repository.sources, revision: 1)
                try repository.commit("every bundle changes")
            }
            let started = clock.now
            let converged = try await figures.passes.converge(repository, emulator, maxPasses: maxPasses, step: "phase \(phase)")
            running += clock.now - started
            if !converged { break }
        }
        let statistics = try await emulator.statistics()
        let faults = FaultCount(statistics)
        figures.bundles = repository.descriptions.count
        figures.requests = statistics.requests.values.reduce(0, +)
        figures.faults = faults
        figures.faultsInjected = faults.total
        figures.tokensIssued = statistics.tokensIssued
        figures.runSeconds = running.seconds
        figures.tokensExpectedAtMost = figures.passes.runs + Int((running.seconds / (0.9 * Double(tokenLifetime))).rounded(.up))
        return figures
    }
}
