#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif
import Prometheus

/// Prometheus metrics of the daemon, rendered in the text exposition format.
///
/// Every series whose labels are known up front is registered at zero in `init`, so dashboards and
/// alerts see `0` rather than "no data" before the first pass. The HTTP series are labelled by
/// target, method and code, which only exist once a request is made; they appear with it.
public final class SyncMetrics: Sendable {
    /// Pass durations: a no-op pass takes milliseconds, a first sync of many bundles minutes.
    static let passBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
    ]
    /// Git fetch durations: a local fetch takes milliseconds, a slow remote tens of seconds.
    static let fetchBuckets: [Duration] = [
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]

    private let registry: PrometheusCollectorRegistry
    private let passes: [PassResult: Counter]
    private let passDuration: DurationHistogram
    private let bundles: [BundleStatus: Gauge]
    private let lastSuccess: Gauge
    private let fetchDuration: DurationHistogram
    private let fetches: (success: Counter, failure: Counter)
    private let drift: Gauge
    private let leader: Gauge
    private let verifications: (passed: Counter, failed: Counter)
    private let webhooks: (accepted: Counter, rejected: Counter)

    // Computed: the descriptor type is not Sendable, so it cannot be a stored static.
    private static var requestsName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "specsync", metricName: "http_requests", unitName: "total",
            helpText: "HTTP requests sent to targets, by target, method and status code (0: no response).")
    }
    private static var notificationsName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "specsync", metricName: "notifications", unitName: "total",
            helpText: "Notifications sent after passes, by receiver and outcome (sent, rejected, failed).")
    }
    private static var retriesName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "specsync", metricName: "http_retries", unitName: "total",
            helpText: "HTTP requests to targets that were retried, by target.")
    }

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        let passesName = MetricNameDescriptor(
            namespace: "specsync", metricName: "passes", unitName: "total",
            helpText: "Reconcile passes completed, by result.")
        passes = Dictionary(uniqueKeysWithValues: PassResult.allCases.map { result in
            (result, registry.makeCounter(descriptor: passesName, labels: [("result", result.rawValue)]))
        })
        passDuration = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "specsync", metricName: "pass_duration", unitName: "seconds",
                helpText: "Wall-clock duration of reconcile passes."),
            buckets: Self.passBuckets)

        let bundlesName = MetricNameDescriptor(
            namespace: "specsync", metricName: "bundles", unitName: "",
            helpText: "Bundles by sync status after the last pass.")
        bundles = Dictionary(uniqueKeysWithValues: BundleStatus.allCases.map { status in
            (status, registry.makeGauge(descriptor: bundlesName, labels: [("status", status.rawValue)]))
        })
        lastSuccess = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "specsync", metricName: "last_success_timestamp", unitName: "seconds",
                helpText: "Unix time of the last successful pass; 0 before the first."))

        fetchDuration = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "specsync", metricName: "git_fetch_duration", unitName: "seconds",
                helpText: "Duration of git fetches from the remote."),
            buckets: Self.fetchBuckets)
        let fetchesName = MetricNameDescriptor(
            namespace: "specsync", metricName: "git_fetches", unitName: "total",
            helpText: "Git fetches from the remote, by result.")
        fetches = (
            registry.makeCounter(descriptor: fetchesName, labels: [("result", "success")]),
            registry.makeCounter(descriptor: fetchesName, labels: [("result", "failure")])
        )

        drift = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "specsync", metricName: "drift_specs", unitName: "",
                helpText: "Remote specs found changed outside specsync at the last drift check."))
        leader = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "specsync", metricName: "leader", unitName: "",
                helpText: "1 while this instance holds the target's state lock and runs passes; 0 while it stands by."))
        let verificationsName = MetricNameDescriptor(
            namespace: "specsync", metricName: "verifications", unitName: "total",
            helpText: "Verification chains run after a sync under verify.afterSync, by result (passed, failed).")
        verifications = (
            registry.makeCounter(descriptor: verificationsName, labels: [("result", "passed")]),
            registry.makeCounter(descriptor: verificationsName, labels: [("result", "failed")])
        )

        let webhooksName = MetricNameDescriptor(
            namespace: "specsync", metricName: "webhooks", unitName: "total",
            helpText: "Git webhooks received, by verification result.")
        webhooks = (
            registry.makeCounter(descriptor: webhooksName, labels: [("result", "accepted")]),
            registry.makeCounter(descriptor: webhooksName, labels: [("result", "rejected")])
        )
    }

    /// Counts a finished pass and records how long it took.
    public func recordPass(result: PassResult, duration: Duration) {
        passes[result]?.increment()
        passDuration.record(duration)
    }

    /// Sets the bundle gauges; a status missing from `counts` is set to 0, not left at its old value.
    public func setBundles(_ counts: [BundleStatus: Int]) {
        for (status, gauge) in bundles {
            gauge.set(Int64(counts[status] ?? 0))
        }
    }

    /// Counts one notification to a receiver: `outcome` is sent, rejected or failed.
    public func recordNotification(receiver: String, outcome: String) {
        registry.makeCounter(descriptor: Self.notificationsName, labels: [("receiver", receiver), ("outcome", outcome)]).increment()
    }

    /// Counts one bundle's verification after a sync.
    public func recordVerification(passed: Bool) {
        (passed ? verifications.passed : verifications.failed).increment()
    }

    /// Counts one HTTP exchange with a target; `code` 0 means no response (transport failure).
    public func recordRequest(target: String, method: String, code: Int) {
        registry.makeCounter(
            descriptor: Self.requestsName,
            labels: [("target", target), ("method", method), ("code", String(code))]
        ).increment()
    }

    /// Counts one retry of a request to `target`.
    public func recordRetry(target: String) {
        registry.makeCounter(descriptor: Self.retriesName, labels: [("target", target)]).increment()
    }

    /// Stamps the time of the last successful pass, for "no success for N minutes" alerts.
    public func recordSuccess(at date: Date) {
        lastSuccess.set(date.timeIntervalSince1970)
    }

    /// Counts a git fetch and records how long it took.
    public func recordFetch(duration: Duration, success: Bool) {
        (success ? fetches.success : fetches.failure).increment()
        fetchDuration.record(duration)
    }

    /// Sets how many remote specs differ from what specsync last sent.
    public func setDrift(_ count: Int) {
        drift.set(Int64(count))
    }

    public func setLeader(_ leading: Bool) {
        leader.set(Int64(leading ? 1 : 0))
    }

    /// Counts a webhook, accepted (verified) or rejected.
    public func recordWebhook(accepted: Bool) {
        (accepted ? webhooks.accepted : webhooks.rejected).increment()
    }

    /// The whole registry in the Prometheus text exposition format (version 0.0.4).
    public func render() -> String {
        registry.emitToString()
    }
}
