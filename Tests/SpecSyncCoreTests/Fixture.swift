import Foundation
import SpecSyncCore
import SpecSyncJSON

/// The seed documents extracted into Fixtures/ (see Fixtures/README.md).
enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Fixtures/\(name)")
        return Array(try Data(contentsOf: url))
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONParser().parse(try bytes(name))
    }

    /// A bundle named `id` whose spec is `spec` plus the given sidecars.
    static func bundle(
        _ id: String = "mailchimp-members", spec: [UInt8], label: String? = nil, description: String? = nil,
        category: String? = nil, icon: String? = nil, layout: BundleLayout = BundleLayout()
    ) -> SpecBundle {
        let bundleID = BundleID(id)
        var files: [BundleFileKind: BundleFile] = [
            .spec: BundleFile(path: layout.path(of: .spec, in: bundleID), bytes: spec)
        ]
        for (kind, text) in [(BundleFileKind.label, label), (.description, description), (.category, category), (.icon, icon)] {
            if let text { files[kind] = BundleFile(path: layout.path(of: kind, in: bundleID), bytes: Array(text.utf8)) }
        }
        return SpecBundle(id: bundleID, files: files)
    }

    static func bundle(_ id: String = "mailchimp-members", spec: String, label: String? = nil, description: String? = nil,
                       category: String? = nil, icon: String? = nil) -> SpecBundle {
        bundle(id, spec: Array(spec.utf8), label: label, description: description, category: category, icon: icon)
    }

    static let validIcon = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>"#
}
