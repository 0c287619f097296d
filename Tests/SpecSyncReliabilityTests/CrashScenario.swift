import Foundation
@testable import SpecSyncEmulator
import SpecSyncTestSupport

/// The real binary killed with SIGKILL at random moments of `sync --once` against an emulator process
/// with injected faults. Round 0 creates every bundle; each later round commits new descriptions
/// for some bundles and a few new bundles. In every round one run is killed at a random moment
/// (uniform over the time a whole round's pass has been taking), then `sync --once` is run until it
/// converges and the emulator, the state and git are compared.
struct CrashScenario: Sendable {
    var bundles = 60
    var kills = 5
    /// Of each round after the first: bundles given a new body, and bundles added.
    var updatesPerRound = 12
    var createsPerRound = 3
    /// 10% faults in all: 5% 5xx, 3% lost answers (applied), 2% 429.
    var emulatorOptions = ["--server-error-rate", "0.05", "--drop-rate", "0.03", "--throttle-rate", "0.02", "--retry-after", "1"]
    var seed: UInt64 = 1
    /// A run that does not converge in this many passes fails the scenario.
    var maxPasses = 10
    /// The scenario stops (and fails) after this long, whatever it reached.
    var timeLimit: Duration = .seconds(600)
    /// The state in the state file, or in a database of the throwaway PostgreSQL cluster.
    var postgres = false

    struct Figures: Sendable, Codable {
        var bundles = 0
        var kills = 0
        /// Runs that ended before their kill moment (not counted as kills).
        var finishedBeforeKill = 0
        /// specsync processes started in all: killed, finished before their kill, restarts.
        var runs = 0
        /// The restarts after each kill, and what every check found.
        var restarts = ConvergenceTally()
        var requests = 0
        var faultsInjected = 0
        var writes = 0
        var droppedWrites = 0
        var seconds = 0.0
    }

    func run() async throws -> Figures {
        var random = SplitMix64(seed: seed)
        let clock = ContinuousClock()
        let started = clock.now
        let emulator = try EmulatorProcess(clientSecret: "crash-\(UUID().uuidString)", options: emulatorOptions + ["--seed", "\(seed)"])
        defer { emulator.stop() }
        var extraConfiguration = ""
        var environment: [String: String] = [:]
        if postgres {
            let cluster = try await PostgresCluster.shared()
            let database = try cluster.makeDatabase()
            extraConfiguration = """
                state:
                  backend: postgres
                  postgres:
                    url: \(cluster.url(database: database))
                    password: {env: PGTEST_PASSWORD}
                    sslmode: disable

                """
            environment["PGTEST_PASSWORD"] = cluster.password
        }
        var repository = try ReliabilityRepository(
            emulator: emulator, bundles: bundles, extraConfiguration: extraConfiguration, environment: environment)
        defer { repository.cleanUp() }

        var figures = Figures()
        // How long a round's uninterrupted pass takes; the first guess is refined by every round.
        var passDuration = Duration.milliseconds(150 * bundles)
        var round = 0
        while figures.kills < kills {
            if clock.now - started > timeLimit {
                figures.restarts.failure = "time limit of \(timeLimit) reached after \(figures.kills) kills"
                break
            }
            if round > 0 {
                let chosen = repository.sources.shuffled(using: &random).prefix(updatesPerRound)
                try repository.touch(chosen, revision: round)
                try repository.add(createsPerRound)
                try repository.commit("round \(round)")
            }
            round += 1

            let run = try repository.start(["sync", "--once"])
            let moment = passDuration * Double.random(in: 0...1, using: &random)
            try await Task.sleep(until: run.started + moment)
            if await run.kill() {
                figures.kills += 1
            } else {
                figures.finishedBeforeKill += 1
                passDuration = (run.ended ?? clock.now) - run.started
                if ![0, 3].contains(run.status) {
                    figures.restarts.failure = "an unkilled run exited \(run.status): \(run.output)"
                    break
                }
            }

            let restarted = clock.now
            let runsBefore = figures.restarts.runs
            let converged = try await figures.restarts.converge(repository, emulator, maxPasses: maxPasses, step: "round \(round)")
            if run.process.terminationReason == .uncaughtSignal {
                // What the killed run had done plus what its first restart did: about one whole pass.
                passDuration = moment + (clock.now - restarted) / max(figures.restarts.runs - runsBefore, 1)
            }
            if !converged { break }
        }
        let statistics = try await emulator.statistics()
        figures.bundles = repository.descriptions.count
        figures.runs = figures.kills + figures.finishedBeforeKill + figures.restarts.runs
        figures.requests = statistics.requests.values.reduce(0, +)
        figures.faultsInjected = FaultCount(statistics).total
        figures.writes = statistics.writes
        figures.droppedWrites = statistics.droppedWrites
        figures.seconds = (clock.now - started).seconds
        return figures
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
