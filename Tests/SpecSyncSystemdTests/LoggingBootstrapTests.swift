import Foundation
import Logging
import SpecSyncTestSupport
import Testing
import SpecSyncSystemd

#if canImport(Glibc)
import Glibc
#endif

@Suite("Choosing the log format")
struct LoggingBootstrapTests {
    /// `JOURNAL_STREAM` as systemd would set it for `descriptor`.
    static func journalStream(of descriptor: Int32) -> String {
        var status = stat()
        fstat(descriptor, &status)
        return "\(status.st_dev):\(status.st_ino)"
    }

    @Test("journald only when JOURNAL_STREAM names the very stream")
    func journalStream() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("", to: "stderr.log")
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        let descriptor = handle.fileDescriptor
        let own = Self.journalStream(of: descriptor)

        #expect(LoggingBootstrap.isJournalStream(environment: ["JOURNAL_STREAM": own], descriptor: descriptor))
        #expect(!LoggingBootstrap.isJournalStream(environment: [:], descriptor: descriptor))
        #expect(!LoggingBootstrap.isJournalStream(environment: ["JOURNAL_STREAM": "1:2"], descriptor: descriptor))
        #expect(!LoggingBootstrap.isJournalStream(environment: ["JOURNAL_STREAM": "garbage"], descriptor: descriptor))
    }

    @Test("an explicit format wins; otherwise journald under systemd, else text")
    func resolution() {
        let journal = ["JOURNAL_STREAM": Self.journalStream(of: 2)]
        #expect(LoggingBootstrap.resolvedFormat(nil, environment: [:]) == .text)
        #expect(LoggingBootstrap.resolvedFormat(nil, environment: journal) == .journald)
        #expect(LoggingBootstrap.resolvedFormat(nil, environment: ["JOURNAL_STREAM": "1:2"]) == .text)
        #expect(LoggingBootstrap.resolvedFormat(.json, environment: journal) == .json)
        #expect(LoggingBootstrap.resolvedFormat(.text, environment: journal) == .text)
    }

    @Test("the factory builds the chosen handler at the chosen level")
    func factory() {
        let journal = ["JOURNAL_STREAM": Self.journalStream(of: 2)]
        let automatic = LoggingBootstrap.makeFactory(format: nil, level: .debug, environment: journal)("a")
        #expect(automatic is JournaldLogHandler)
        #expect(automatic.logLevel == .debug)
        let json = LoggingBootstrap.makeFactory(format: .json, level: .error, environment: [:])("a")
        #expect(json is JSONLogHandler)
        #expect(json.logLevel == .error)
        let text = LoggingBootstrap.makeFactory(format: nil, level: .warning, environment: [:])("a")
        #expect(text is RedactingLogHandler<StreamLogHandler>)
        #expect(text.logLevel == .warning)
    }
}
