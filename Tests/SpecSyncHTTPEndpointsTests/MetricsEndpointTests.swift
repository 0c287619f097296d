import SpecSyncTestSupport
import Foundation
import SpecSyncHTTPEndpoints
import Testing

@Suite("Metrics endpoint")
struct MetricsEndpointTests {
    @Test func servesTheTextFormatWithItsContentType() async throws {
        try await StatusServerHarness.run { harness in
            let reply = try await harness.send("GET", "/metrics")
            #expect(reply.status == 200)
            #expect(reply.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
            _ = try PrometheusExposition(reply.text)
        }
    }

    @Test func everyKnownSeriesIsThereAtZeroFromTheStart() async throws {
        try await StatusServerHarness.run { harness in
            let metrics = try await harness.scrape()
            let types = metrics.families.mapValues(\.type)
            #expect(types["specsync_passes_total"] == "counter")
            #expect(types["specsync_pass_duration_seconds"] == "histogram")
            #expect(types["specsync_bundles"] == "gauge")
            #expect(types["specsync_last_success_timestamp_seconds"] == "gauge")
            #expect(types["specsync_git_fetch_duration_seconds"] == "histogram")
            #expect(types["specsync_git_fetches_total"] == "counter")
            #expect(types["specsync_drift_specs"] == "gauge")
            #expect(types["specsync_webhooks_total"] == "counter")
            for family in metrics.families.values {
                #expect(family.help?.isEmpty == false, "\(family.name) has no HELP")
            }

            for result in ["success", "partial", "failure"] {
                #expect(metrics.value("specsync_passes_total", ["result": result]) == 0)
            }
            for status in BundleStatus.allCases {
                #expect(metrics.value("specsync_bundles", ["status": status.rawValue]) == 0)
            }
            #expect(metrics.value("specsync_pass_duration_seconds_count") == 0)
            #expect(metrics.value("specsync_pass_duration_seconds_bucket", ["le": "+Inf"]) == 0)
            #expect(metrics.value("specsync_last_success_timestamp_seconds") == 0)
            #expect(metrics.value("specsync_git_fetches_total", ["result": "success"]) == 0)
            #expect(metrics.value("specsync_git_fetches_total", ["result": "failure"]) == 0)
            #expect(metrics.value("specsync_drift_specs") == 0)
            #expect(metrics.value("specsync_webhooks_total", ["result": "accepted"]) == 0)
            #expect(metrics.value("specsync_webhooks_total", ["result": "rejected"]) == 0)
            #expect(metrics.value("specsync_verifications_total", ["result": "passed"]) == 0)
            #expect(metrics.value("specsync_verifications_total", ["result": "failed"]) == 0)
        }
    }

    @Test func showsWhatWasRecorded() async throws {
        try await StatusServerHarness.run { harness in
            let recorder = harness.metrics
            recorder.recordPass(result: .success, duration: .milliseconds(300))
            recorder.recordPass(result: .partial, duration: .seconds(4))
            recorder.recordPass(result: .success, duration: .seconds(400))
            recorder.setBundles([.inSync: 7, .failed: 2])
            recorder.recordRequest(target: "flowservice", method: "PUT", code: 200)
            recorder.recordRequest(target: "flowservice", method: "PUT", code: 200)
            recorder.recordRequest(target: "flowservice", method: "POST", code: 0)
            recorder.recordRetry(target: "flowservice")
            recorder.recordSuccess(at: Date(timeIntervalSince1970: 1_700_000_000))
            recorder.recordFetch(duration: .milliseconds(80), success: true)
            recorder.recordFetch(duration: .seconds(2), success: false)
            recorder.setDrift(3)
            recorder.recordWebhook(accepted: true)
            recorder.recordWebhook(accepted: false)
            recorder.recordWebhook(accepted: false)

            let metrics = try await harness.scrape()
            #expect(metrics.value("specsync_passes_total", ["result": "success"]) == 2)
            #expect(metrics.value("specsync_passes_total", ["result": "partial"]) == 1)
            #expect(metrics.value("specsync_passes_total", ["result": "failure"]) == 0)
            #expect(metrics.value("specsync_pass_duration_seconds_count") == 3)
            #expect(metrics.value("specsync_pass_duration_seconds_sum") == 404.3)
            #expect(metrics.value("specsync_pass_duration_seconds_bucket", ["le": "0.5"]) == 1)
            #expect(metrics.value("specsync_pass_duration_seconds_bucket", ["le": "5.0"]) == 2)
            #expect(metrics.value("specsync_pass_duration_seconds_bucket", ["le": "300.0"]) == 2)
            #expect(metrics.value("specsync_pass_duration_seconds_bucket", ["le": "+Inf"]) == 3)

            #expect(metrics.value("specsync_bundles", ["status": "in_sync"]) == 7)
            #expect(metrics.value("specsync_bundles", ["status": "failed"]) == 2)
            #expect(metrics.value("specsync_bundles", ["status": "pending"]) == 0)

            #expect(metrics.value("specsync_http_requests_total", ["target": "flowservice", "method": "PUT", "code": "200"]) == 2)
            #expect(metrics.value("specsync_http_requests_total", ["target": "flowservice", "method": "POST", "code": "0"]) == 1)
            #expect(metrics.value("specsync_http_retries_total", ["target": "flowservice"]) == 1)
            #expect(metrics.value("specsync_last_success_timestamp_seconds") == 1_700_000_000)
            #expect(metrics.value("specsync_git_fetches_total", ["result": "success"]) == 1)
            #expect(metrics.value("specsync_git_fetches_total", ["result": "failure"]) == 1)
            #expect(metrics.value("specsync_git_fetch_duration_seconds_count") == 2)
            #expect(metrics.value("specsync_git_fetch_duration_seconds_bucket", ["le": "0.1"]) == 1)
            #expect(metrics.value("specsync_drift_specs") == 3)
            #expect(metrics.value("specsync_webhooks_total", ["result": "accepted"]) == 1)
            #expect(metrics.value("specsync_webhooks_total", ["result": "rejected"]) == 2)

            // A later pass that reports fewer statuses zeroes the ones it leaves out.
            recorder.setBundles([.inSync: 9])
            let later = try await harness.scrape()
            #expect(later.value("specsync_bundles", ["status": "in_sync"]) == 9)
            #expect(later.value("specsync_bundles", ["status": "failed"]) == 0)
        }
    }

    @Test func labelValuesAreEscaped() throws {
        let metrics = SyncMetrics()
        metrics.recordRetry(target: #"odd "target"\ with"# + "\nnewline")
        let parsed = try PrometheusExposition(metrics.render())
        #expect(parsed.value("specsync_http_retries_total", ["target": #"odd "target"\ with"# + "\nnewline"]) == 1)
    }
}
