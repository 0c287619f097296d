/// What a scenario's convergent runs and checks add up to: how many runs, what they recovered, and
/// what went wrong (duplicates and lost records must stay 0).
struct ConvergenceTally: Sendable, Codable {
    /// `sync --once` runs that were let finish, and the most one step needed.
    var runs = 0
    var maxPassesToConverge = 0
    /// Creates whose answer (or record) was lost, found by name and adopted.
    var adoptedAfterLostAnswers = 0
    /// Updates whose record was lost, found already in place by a later pass.
    var unrecordedUpdatesRecognised = 0
    var duplicatesFound = 0
    var recordsLost = 0
    var mismatched = 0
    var unregistered = 0
    /// The first failed check's problems.
    var problems: [String] = []
    var failure: String?

    var isClean: Bool { failure == nil && duplicatesFound + recordsLost + mismatched + unregistered == 0 }

    var summary: String { "\(failure ?? "")\n\(problems.joined(separator: "\n"))" }

    /// `sync --once` until it converges, then the emulator, the state and git compared. False, with
    /// `failure` set, when either fails.
    mutating func converge(_ repository: ReliabilityRepository, _ emulator: EmulatorProcess, maxPasses: Int, step: String) async throws -> Bool {
        let converged = try await repository.syncUntilConverged(maxPasses: maxPasses)
        runs += converged.passes
        maxPassesToConverge = max(maxPassesToConverge, converged.passes)
        adoptedAfterLostAnswers += converged.adopted
        unrecordedUpdatesRecognised += converged.recognised
        guard converged.last.status == 0 else {
            failure = "\(step) did not converge in \(converged.passes) passes (exit \(converged.last.status)): "
                + "\(converged.last.stdout.suffix(2000))\(converged.last.stderr.suffix(2000))"
            return false
        }
        let check = try await Convergence.check(
            emulator: emulator, records: try await repository.records(), descriptions: repository.descriptions)
        duplicatesFound += check.duplicates
        recordsLost += check.lost
        mismatched += check.mismatched
        unregistered += check.unregistered
        guard check.isClean else {
            problems = check.problems
            failure = "\(step): the emulator, the state and git disagree"
            return false
        }
        return true
    }
}
