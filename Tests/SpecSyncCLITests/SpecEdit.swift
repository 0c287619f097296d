import Foundation
import SpecSyncTestSupport

/// A spec edit git sees in a bundle's body (its `description`), for tests of changed bundles.
enum SpecEdit {
    static func touch(_ source: String, in fixture: GitFixture, note: String = "edited") throws {
        let path = "Sources/\(source)/Artifacts/\(source)-connectionSpec.json"
        let spec = try String(contentsOf: fixture.url.appendingPathComponent(path), encoding: .utf8)
        guard let range = spec.range(of: "\"description\": \"") else { throw CocoaError(.fileReadCorruptFile) }
        try fixture.write(spec.replacingCharacters(in: range, with: "\"description\": \"\(note): "), to: path)
    }
}
