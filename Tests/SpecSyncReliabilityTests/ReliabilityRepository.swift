import Foundation
import SpecSyncCore
import SpecSyncJSON
import SpecSyncTestSupport

/// A git repository (made with the `git` CLI) of generated bundles, configured for one emulator
/// process, and the specsync runs made on it. Each bundle's description carries a revision number,
/// so the emulator's copy shows whether the last commit's content arrived.
struct ReliabilityRepository: Sendable {
    let fixture: GitFixture
    let environment: [String: String]
    /// Bundle folder → the description text its spec must carry on the emulator.
    private(set) var descriptions: [String: String] = [:]
    /// Where the output of every run is kept, for the secret search and for failure messages.
    let outputs: TemporaryDirectory

    var url: URL { fixture.url }
    var statePath: String { fixture.path + "/.specsync/emulator.state.json" }
    var stateDirectory: String { fixture.path + "/.specsync" }

    static func source(_ index: Int) -> String { String(format: "bundle-%04d", index) }
    static func specName(of source: String) -> String { "\(source) source" }

    /// `bundles` bundles in one commit; `settings` are extra `flowService` lines of the target.
    init(emulator: EmulatorProcess, bundles: Int, settings: [String] = ["concurrency: 4"], extraConfiguration: String = "",
         environment: [String: String] = [:]) throws {
        fixture = try GitFixture(prefix: "specsync-reliability")
        outputs = try TemporaryDirectory(prefix: "specsync-reliability-out")
        self.environment = ["EMULATOR_CLIENT_SECRET": emulator.clientSecret].merging(environment) { $1 }
        try fixture.write(emulator.targetConfiguration(settings: settings) + extraConfiguration, to: "specsync.yaml")
        try fixture.write("specsync.yaml\n.specsync/\n", to: ".gitignore")
        try add(bundles)
        try fixture.commitAll("\(bundles) bundles")
    }

    func cleanUp() {
        fixture.cleanUp()
        outputs.remove()
    }

    // MARK: Changes

    /// Adds `count` new bundles (not committed).
    mutating func add(_ count: Int) throws {
        let first = descriptions.count
        for index in first..<(first + count) {
            let source = Self.source(index)
            try SampleBundle.write(source, in: fixture.directory)
            try describe(source, revision: 0)
        }
    }

    /// Gives `sources` a new description, so their bodies change (not committed).
    mutating func touch(_ sources: some Sequence<String>, revision: Int) throws {
        for source in sources { try describe(source, revision: revision) }
    }

    var sources: [String] { descriptions.keys.sorted() }

    private mutating func describe(_ source: String, revision: Int) throws {
        let text = "\(source) description, revision \(revision)"
        try fixture.write(text + "\n", to: "Sources/\(source)/Artifacts/\(source)-description.txt")
        descriptions[source] = text
    }

    @discardableResult
    func commit(_ message: String) throws -> String { try fixture.commitAll(message) }

    // MARK: Runs

    func specsync(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> ProcessResult {
        let result = try await SpecSyncBinary.execute(arguments, in: url, environment: environment.merging(extra) { $1 })
        try keep(result, arguments)
        return result
    }

    /// A run in the background, to be killed.
    func start(_ arguments: [String]) throws -> SpecSyncRun {
        try SpecSyncRun(arguments, in: url, environment: environment, outputs: outputs.url)
    }

    /// What `syncUntilConverged` saw.
    struct Convergent: Sendable {
        var passes = 0
        var last: ProcessResult
        /// Creates found by name and adopted: POSTs applied whose answer or record was lost.
        var adopted = 0
        /// Updates whose remote already held git's body: PUTs applied whose record was lost.
        var recognised = 0
    }

    /// `sync --once` until it exits 0, at most `maxPasses` times: a bundle that exhausted its
    /// retries under injected faults fails its pass (exit 3) and is sent again by the next.
    func syncUntilConverged(maxPasses: Int = 10) async throws -> Convergent {
        var outcome = Convergent(last: ProcessResult(status: -1, stdout: "", stderr: ""))
        while true {
            outcome.passes += 1
            outcome.last = try await specsync(["sync", "--once", "--format", "json", "--log-level", "notice"])
            let report = try? JSONParser().parse(Array(outcome.last.stdout.utf8))
            outcome.adopted += report?[JSONPointer("/adopted")]?.arrayValue?.count ?? 0
            outcome.recognised += outcome.last.stderr.components(separatedBy: "the remote already holds git's body").count - 1
            if outcome.last.status != 3 || outcome.passes >= maxPasses { return outcome }
        }
    }

    /// What `status --format json` says, bundle by bundle: the state read by specsync itself, so
    /// this holds whatever the state's form on disk.
    func records() async throws -> [String: StateRecord] {
        let result = try await specsync(["status", "--format", "json"])
        guard result.status == 0 else { throw ReliabilityFailure("specsync status exited \(result.status): \(result.stderr)") }
        let document = try JSONParser().parse(Array(result.stdout.utf8))
        var records: [String: StateRecord] = [:]
        for entry in document[JSONPointer("/bundles")]?.arrayValue ?? [] {
            guard let bundle = entry[JSONPointer("/bundle")]?.stringValue else { continue }
            records[bundle] = StateRecord(
                id: entry[JSONPointer("/id")]?.stringValue,
                updatedAt: entry[JSONPointer("/updatedAt")].flatMap(Self.integer),
                lastError: entry[JSONPointer("/lastError")]?.stringValue)
        }
        return records
    }

    static func integer(_ value: JSONValue) -> Int64? {
        if case .number(let literal) = value { return Int64(literal) }
        return nil
    }

    /// Every run's output is written to `outputs`, for the secret search.
    private func keep(_ result: ProcessResult, _ arguments: [String]) throws {
        let name = "\(arguments.prefix(2).joined(separator: "-"))-\(UUID().uuidString.prefix(8))"
        try outputs.write(result.stdout, to: name + ".out")
        try outputs.write(result.stderr, to: name + ".err")
    }

    /// Every file a run wrote: its output, and the state directory's files.
    func writtenFiles() throws -> [URL] {
        var files: [URL] = []
        for directory in [outputs.url, URL(fileURLWithPath: stateDirectory)] {
            guard let entries = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in entries where !file.hasDirectoryPath { files.append(file) }
        }
        return files
    }
}

/// One bundle's record as `status` shows it.
struct StateRecord: Sendable, Equatable {
    let id: String?
    let updatedAt: Int64?
    let lastError: String?
}
