import SpecSyncCore

/// The configuration loader on arbitrary bytes, with the properties that must hold whatever they
/// are: a configuration or an error (never a trap), an error that says where, and values inside
/// the ranges the loader promises. The fuzz target (`Tests/Fuzz/`, `--target configuration`) runs it on
/// generated inputs; a unit test replays `Tests/Fuzz/corpus-configuration` through it.
public enum ConfigurationProbe {
    /// Properties that did not hold for `bytes` read as `specsync.yaml`; any entry is a bug.
    public static func run(_ bytes: [UInt8]) -> [String] {
        let loader = ConfigurationLoader(environment: ["HOME": "/home/probe"], currentDirectory: "/probe")
        let configuration: Configuration
        do {
            configuration = try loader.parse(String(decoding: bytes, as: UTF8.self), source: "/probe/specsync.yaml")
        } catch {
            var violations: [String] = []
            if error.message.isEmpty { violations.append("an error without a message") }
            if let location = error.location, !isLineColumn(location) {
                violations.append("an error location that is not line:column: '\(location)'")
            }
            return violations
        }
        return check(configuration)
    }

    /// The ranges a loaded configuration must keep.
    public static func check(_ configuration: Configuration) -> [String] {
        var violations: [String] = []
        let daemon = configuration.daemon
        let durations = [("pollInterval", daemon.pollInterval), ("fetchInterval", daemon.fetchInterval),
                         ("retry.base", daemon.retryBase), ("retry.max", daemon.retryMax)]
            + (daemon.driftInterval.map { [("drift.interval", $0)] } ?? [])
        for (name, duration) in durations where duration <= .zero || duration > ConfigurationLoader.maximumDuration {
            violations.append("daemon.\(name) is \(duration), outside (0, 365d]")
        }
        if !(0...65535).contains(daemon.httpPort) { violations.append("daemon.http.port \(daemon.httpPort)") }
        if !(1...1000).contains(daemon.maxHeals) { violations.append("daemon.drift.maxHeals \(daemon.maxHeals)") }
        for target in configuration.targets {
            if !(1...64).contains(target.flowService.concurrency.slots) || !(1...64).contains(target.flxpoint.concurrency)
                || !(1...64).contains(target.versori.concurrency.slots) {
                violations.append("targets.\(target.name): a concurrency outside 1...64")
            }
            if let rate = target.flowService.requestsPerSecond, !(rate.isFinite && rate > 0) {
                violations.append("targets.\(target.name).flowService.requestsPerSecond \(rate)")
            }
            if !(1...100).contains(target.flxpoint.requestsPerSecond) {
                violations.append("targets.\(target.name).flxpoint.requestsPerSecond \(target.flxpoint.requestsPerSecond)")
            }
            if !(0...10_000).contains(target.pruneLimit) { violations.append("targets.\(target.name).prune.limit \(target.pruneLimit)") }
        }
        return violations
    }

    static func isLineColumn(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
