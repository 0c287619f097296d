import Foundation

/// The package's folder, for the files under deploy/ and Config/ that the tests check.
enum PackageRoot {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SpecSyncSystemdTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }
}
