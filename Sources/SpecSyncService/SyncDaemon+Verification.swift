import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEngine
import SpecSyncHTTPEndpoints
import SpecSyncNotify
import SpecSyncTargets

extension SyncDaemon {
    /// `verify.afterSync`: the verification chain of `specsync verify` for the specs this pass
    /// created or updated that have a `verify.bundles` entry, queued off the pass's path. Only what
    /// the pass wrote is verified, so a spec that failed is verified again when it changes again,
    /// never in a loop. Each batch first deletes what an earlier, killed run left in the ledger.
    func verifyAfterSync(_ session: DaemonSession, report: SyncReport, commit: String) async {
        let settings = session.target.verify
        guard settings.afterSync, session.target.kind == .flowService, !settings.bundles.isEmpty else { return }
        let bundles = VerificationRunner.bundlesAfterSync(report, settings: settings)
        let startUp = await verifications.takeStartUp()
        guard !bundles.isEmpty || startUp else { return }
        guard let api = session.client as? any FlowVerifying else { return }
        let state = await session.recorder.state
        let specs = bundles.map { (bundle: $0, id: state.bundles[$0.source]?.id, name: state.bundles[$0.source]?.name) }
        let ledgerPath = VerificationLedger.path(stateDirectory: session.configuration.state.directory, target: session.target.name)
        let flowSpecs = session.target.flowService.flowSpecs
        let target = session.target.name
        let receivers = session.configuration.notifications
        let variables = environment.variables
        let (logger, metrics) = (self.logger, self.metrics)
        await verifications.enqueue {
            let ledger: VerificationLedger
            do { ledger = try VerificationLedger(path: ledgerPath) } catch {
                logger.error("verification skipped: the ledger cannot be read", metadata: ["ledger": "\(ledgerPath)", "error": "\(error)"])
                return
            }
            let runner = VerificationRunner(api: api, ledger: ledger, settings: settings, flowSpecs: flowSpecs,
                                            lookup: SecretLookup(environment: variables), logger: logger)
            do {
                for line in try await runner.cleanUpLeftovers() {
                    logger.notice("verification leftover deleted", metadata: ["target": "\(target)", "resource": "\(line)"])
                }
            } catch {
                logger.error("cannot delete what an earlier verification left; it is tried again before the next verification", metadata: [
                    "target": "\(target)", "error": "\(SecretRegistry.shared.redact(VerificationRunner.describe(error)))",
                ])
            }
            var items: [PassNotification.Item] = []
            for spec in specs {
                guard let id = spec.id else { continue }
                let report = await runner.verify(bundle: spec.bundle, specID: id)
                metrics.recordVerification(passed: report.passed)
                guard !report.passed, let step = report.steps.first(where: { !$0.passed }) else {
                    logger.notice("verification passed", metadata: ["target": "\(target)", "bundle": "\(spec.bundle)", "specId": "\(id)", "commit": "\(commit)"])
                    continue
                }
                let detail = SecretRegistry.shared.redact(step.detail)
                logger.error("verification failed", metadata: [
                    "target": "\(target)", "bundle": "\(spec.bundle)", "specId": "\(id)", "commit": "\(commit)",
                    "step": "\(step.name)", "detail": "\(detail)",
                ])
                items.append(PassNotification.Item(event: .verificationFailed, bundle: spec.bundle.description, name: spec.name, reason: "\(step.name): \(detail)"))
            }
            guard !items.isEmpty, !receivers.isEmpty else { return }
            let notifier = Notifier(settings: receivers, environment: variables, logger: logger) { receiver, delivery in
                metrics.recordNotification(receiver: receiver, outcome: delivery.rawValue)
            }
            await notifier.send(PassNotification(target: target, commit: commit, items: items))
        }
    }
}
