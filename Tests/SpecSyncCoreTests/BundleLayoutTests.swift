import Testing
@testable import SpecSyncCore
@testable import SpecSyncJSON
@testable import SpecSyncConfiguration

@Suite("Bundle layout: connection spec paths")
struct BundleLayoutTests {
    @Test("each file of a bundle is recognised by its exact path, below any root")
    func fileKinds() {
        for root in ["Sources", "connectors/adobe"] {
            let layout = BundleLayout(root: root)
            for kind in BundleFileKind.allCases {
                let path = layout.path(of: kind, in: BundleID("acme"))
                #expect(layout.fileKind(of: path)?.0 == BundleID("acme"), "\(path)")
                #expect(layout.fileKind(of: path)?.1 == kind, "\(path)")
            }
        }
    }

    @Test("paths that are not a bundle file: another folder, another name, a stray file, a look-alike root")
    func notBundleFiles() {
        let layout = BundleLayout(root: "Sources")
        for path in [
            "Sources/acme/Artifacts/other-connectionSpec.json", "Sources/acme/acme-connectionSpec.json",
            "Sources/acme/Artifacts/acme-connectionSpec.json.bak", "Sources/acme/Artifacts/acme", "Sources/acme/Artifacts/",
            "SourcesX/acme/Artifacts/acme-connectionSpec.json", "Other/acme/Artifacts/acme-connectionSpec.json",
            "Sources/acme/Artifacts/nested/acme-connectionSpec.json", "Sources", "Sources/",
        ] {
            #expect(layout.fileKind(of: path) == nil, "\(path)")
        }
    }

    @Test("any path below a bundle's folder belongs to it; nothing outside the root does")
    func bundleContaining() {
        let layout = BundleLayout(root: "connectors/adobe")
        #expect(layout.bundle(containing: "connectors/adobe/acme/README.md") == BundleID("acme"))
        #expect(layout.bundle(containing: "connectors/adobe/acme") == BundleID("acme"))
        #expect(layout.bundle(containing: "connectors/adobe/ä b/Artifacts/x") == BundleID("ä b"))
        #expect(layout.bundle(containing: "connectors/adobeX/acme/x") == nil)
        #expect(layout.bundle(containing: "connectors/adobe") == nil)
        #expect(layout.bundle(containing: "connectors/adobe/") == nil)
        #expect(BundleLayout(root: "").bundle(containing: "acme/Artifacts/x") == BundleID("acme"))
    }
}
