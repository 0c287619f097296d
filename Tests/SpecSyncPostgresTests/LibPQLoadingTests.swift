import Foundation
import Testing
@testable import SpecSyncPostgres
import SpecSyncTestSupport

/// libpq is loaded with dlopen only for the PostgreSQL backend, never linked.
@Suite("libpq off the start-up path")
struct LibPQLoadingTests {
    @Test("the specsync binary does not link libpq: a run on the file backend never loads it")
    func binaryDoesNotLinkLibpq() async throws {
        let binary = try SpecSyncBinary.path
        let needed = try await BlockingWork.run { try ProcessRunner.checked("readelf", ["-d", binary]).stdout }
        #expect(needed.contains("(NEEDED)"), "\(needed)")
        #expect(!needed.contains("libpq"), "\(needed)")
    }

    @Test("a missing libpq is an error that names Debian's package libpq5")
    func missingLibraryNamesThePackage() {
        guard case .failure(let error) = LibPQ.load("libpq-absent-\(UUID().uuidString).so.5") else {
            Issue.record("a library that does not exist was loaded")
            return
        }
        #expect(error.message.contains("install Debian's package libpq5"), "\(error.message)")
        #expect(error.message.contains("the PostgreSQL state backend needs libpq"), "\(error.message)")
    }

    @Test("the installed libpq loads, with every function specsync calls", .enabled(if: PostgresCluster.shouldRun))
    func installedLibraryLoads() {
        if case .failure(let error) = LibPQ.load(LibPQ.soname) { Issue.record("\(error.message)") }
    }
}
