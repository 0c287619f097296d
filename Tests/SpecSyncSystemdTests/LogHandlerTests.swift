import Foundation
import Logging
import Testing
import SpecSyncSystemd

@Suite("Log handlers")
struct LogHandlerTests {
    static let instant = Date(timeIntervalSince1970: 1_700_000_000.123)

    func journald(_ lines: LineCollector, label: String = "specsync.sync") -> Logger {
        var logger = Logger(label: label) { JournaldLogHandler(label: $0, sink: lines.sink) }
        logger.logLevel = .trace
        return logger
    }

    func json(_ lines: LineCollector) -> Logger {
        var logger = Logger(label: "specsync.sync") { JSONLogHandler(label: $0, sink: lines.sink, now: { Self.instant }) }
        logger.logLevel = .trace
        return logger
    }

    @Test("journald: <priority>label: message key=value, sorted, quoted when needed")
    func journaldLine() {
        let lines = LineCollector()
        var logger = journald(lines)
        logger[metadataKey: "target"] = "prod"
        logger.warning("bundle failed", metadata: ["bundle": "mailchimp members", "attempt": "3", "empty": ""])
        #expect(lines.entries == [
            "<4>specsync.sync: bundle failed attempt=3 bundle=\"mailchimp members\" empty=\"\" target=prod\n"
        ])
    }

    @Test("journald: every level has its sd-daemon.h priority")
    func journaldPriorities() {
        let lines = LineCollector()
        let logger = journald(lines, label: "l")
        logger.trace("m")
        logger.debug("m")
        logger.info("m")
        logger.notice("m")
        logger.warning("m")
        logger.error("m")
        logger.critical("m")
        #expect(lines.entries == ["<7>l: m\n", "<7>l: m\n", "<6>l: m\n", "<5>l: m\n", "<4>l: m\n", "<3>l: m\n", "<2>l: m\n"])
    }

    @Test("journald: a multi-line message and values stay on one line; nested metadata is dotted")
    func journaldFolding() {
        let lines = LineCollector()
        let logger = journald(lines)
        logger.error("pass failed\nsecond line\r\nthird", metadata: [
            "request": ["id": "r-1", "method": "PUT"],
            "tags": ["a", "b"],
            "detail": "x=\"1\"\ny",
        ])
        #expect(lines.entries == [
            "<3>specsync.sync: pass failed\\nsecond line\\nthird detail=\"x=\\\"1\\\"\\ny\" request.id=r-1 request.method=PUT tags=[a,b]\n"
        ])
    }

    @Test("JSON: one object per line with an RFC 3339 millisecond UTC timestamp")
    func jsonLine() {
        let lines = LineCollector()
        var logger = json(lines)
        logger[metadataKey: "target"] = "prod"
        logger.notice("pass finished", metadata: [
            "bundles": "3", "request": ["id": "r-1"], "tags": ["a", "b"], "note": "say \"hi\"\n\u{01}",
        ])
        logger.info("no metadata here")
        #expect(lines.entries == [
            #"{"timestamp":"2023-11-14T22:13:20.123Z","level":"notice","label":"specsync.sync","message":"pass finished","metadata":{"bundles":"3","note":"say \"hi\"\n\u0001","request":{"id":"r-1"},"tags":["a","b"],"target":"prod"}}"# + "\n",
            #"{"timestamp":"2023-11-14T22:13:20.123Z","level":"info","label":"specsync.sync","message":"no metadata here","metadata":{"target":"prod"}}"# + "\n",
        ])
        for entry in lines.entries {
            #expect((try? JSONSerialization.jsonObject(with: Data(entry.utf8))) is [String: Any])
        }
    }

    @Test("JSON: metadata is left out when there is none; the message is escaped")
    func jsonWithoutMetadata() {
        let lines = LineCollector()
        json(lines).error("line one\nline \"two\"")
        #expect(lines.entries == [
            #"{"timestamp":"2023-11-14T22:13:20.123Z","level":"error","label":"specsync.sync","message":"line one\nline \"two\""}"# + "\n"
        ])
    }

    @Test("secrets, tokens, passwords and authorization headers are redacted in every format",
          arguments: LogFormat.allCases)
    func redaction(format: LogFormat) {
        let lines = LineCollector()
        var logger = Logger(label: "specsync") {
            LoggingBootstrap.makeFactory(format: format, level: .info, environment: [:], sink: lines.sink)($0)
        }
        logger[metadataKey: "ims.accessToken"] = "tok-123"
        logger.info("request sent", metadata: [
            "client_secret": "s3cr3t",
            "Authorization": "Bearer abc.def",
            "request": ["password": "hunter2", "path": "/connectionSpecs"],
            "webhook": ["secret": ["nested": "deep"]],
            "bundle": "mailchimp",
        ])
        let output = lines.text
        for leaked in ["tok-123", "s3cr3t", "Bearer", "abc.def", "hunter2", "deep"] {
            #expect(!output.contains(leaked), "\(format) leaked \(leaked): \(output)")
        }
        #expect(output.contains("mailchimp"))
        #expect(output.contains("/connectionSpecs"))
        #expect(output.components(separatedBy: "(sensitive)").count - 1 == 5, "\(output)")
    }

    @Test("the redactor matches key fragments case-insensitively")
    func redactor() {
        #expect(MetadataRedactor.isSensitive("X-Api-Token"))
        #expect(MetadataRedactor.isSensitive("AUTHORIZATION"))
        #expect(MetadataRedactor.isSensitive("db.Password"))
        #expect(!MetadataRedactor.isSensitive("bundle"))
        #expect(MetadataRedactor.redact(["list": ["a", ["token": "t"]]]) == ["list": ["a", ["token": "(sensitive)"]]])
    }

    @Test("text keeps swift-log's StreamLogHandler line")
    func textLine() {
        let lines = LineCollector()
        let logger = Logger(label: "specsync") {
            LoggingBootstrap.makeFactory(format: .text, level: .notice, environment: [:], sink: lines.sink)($0)
        }
        logger.info("below the level")
        logger.notice("pass finished", metadata: ["bundles": "3"])
        #expect(lines.entries.count == 1)
        let line = lines.text
        #expect(line.hasSuffix(" notice specsync: bundles=3 [SpecSyncSystemdTests] pass finished\n"), "\(line)")
    }

    @Test("every format hides known secret values in the message, metadata values and the error, not only by key")
    func textRedaction() {
        let secret = "S3cr3t-\(UUID().uuidString)"
        let redact: MetadataRedactor.TextRedaction = { $0.replacingOccurrences(of: secret, with: "(sensitive)") }
        let lines = LineCollector()
        let factory = { (format: LogFormat) in
            LoggingBootstrap.makeFactory(format: format, level: .trace, environment: [:], sink: lines.sink, redact: redact)
        }
        for format in LogFormat.allCases {
            let logger = Logger(label: "specsync", factory: factory(format))
            logger.error("server said \(secret)", metadata: ["reason": "HTTP 403: Authorization: Bearer \(secret)", "nested": ["deep": "\(secret)"]])
        }
        #expect(lines.entries.count == LogFormat.allCases.count)
        for line in lines.entries {
            #expect(!line.contains(secret), "\(line)")
            #expect(line.contains("(sensitive)"), "\(line)")
        }
    }
}
