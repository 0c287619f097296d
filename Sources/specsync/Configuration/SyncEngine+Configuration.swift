#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEngine

extension SyncEngine.Options {
    /// The options a configured target asks for: concurrency, conflict policy, prune, flow spec
    /// registration, patches, secrets and the pass deadline (counted from now, so make the options
    /// for each pass). `force` overrides the conflict policy and quarantine.
    public static func make(
        configuration: Configuration, target: TargetSettings, environment: [String: String], force: Bool
    ) throws -> SyncEngine.Options {
        var options = SyncEngine.Options()
        options.concurrency = target.concurrency.slots
        options.policy.overwriteConflicts = force || target.onConflict == .overwrite
        options.policy.includeQuarantined = force
        options.policy.prune = target.prune
        options.policy.pruneLimit = target.pruneLimit
        options.policy.canDelete = target.kind == .versori
        options.policy.updateUnattributed = target.unrecordedDifference == .update
        if target.kind == .flowService { options.flowSpecs = target.flowService.flowSpecs }
        options.customization = try BodyCustomization.load(
            patchAll: target.patchAll, patchBundles: target.patchBundles, secrets: SecretLookup(environment: environment))
        options.inputsFingerprint = options.customization.fingerprint(credentialsDirectory: environment["CREDENTIALS_DIRECTORY"])
        options.shouldStop = SyncEngine.Options.stopping(after: target.passDeadline, or: options.shouldStop)
        let end = ContinuousClock.now.advanced(by: target.passDeadline)
        let setting = "targets.\(target.name).passDeadline: \(target.passDeadline.components.seconds) s"
        options.stopReason = { ContinuousClock.now >= end ? "the pass deadline passed (\(setting))" : "specsync is shutting down" }
        return options
    }
}
