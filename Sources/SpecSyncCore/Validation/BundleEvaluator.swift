#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A bundle after evaluation: its body when it has one, and every finding about it.
public struct EvaluatedBundle: Sendable {
    public let id: BundleID
    public let body: ReplacementBody?
    public var diagnostics: [Diagnostic]
    /// The git blob id of the spec file, when read from a commit: the state records it. (The other
    /// files' ids were kept too and read by nothing: at 50,000 bundles, 20 MB of strings and a
    /// dictionary per bundle held until the first write; BENCHMARKS.md.)
    public let specBlobID: String?

    /// A bundle with errors is never sent: what is in git must be what the API gets.
    public var isSendable: Bool { body != nil && !diagnostics.hasErrors }
}

/// Builds the body of a bundle and runs every per-bundle check on it.
public struct BundleEvaluator: Sendable {
    public let layout: BundleLayout
    let builder: ReplacementBodyBuilder
    let specValidator = SpecValidator()
    let iconValidator = IconValidator()
    let numberValidator = NumberValidator()
    let sdkValidator = SourcesSDKValidator()

    public init(layout: BundleLayout, customization: BodyCustomization = .none) {
        self.layout = layout
        self.builder = ReplacementBodyBuilder(layout: layout, customization: customization)
    }

    public func evaluate(_ bundle: SpecBundle) -> EvaluatedBundle {
        // What the source could not read makes any body a guess: report it alone, send nothing.
        guard bundle.problems.isEmpty else {
            return EvaluatedBundle(id: bundle.id, body: nil, diagnostics: bundle.problems.map(\.diagnostic), specBlobID: bundle.files[.spec]?.blobID)
        }
        let result = builder.build(bundle)
        var diagnostics = result.diagnostics
        let file = layout.path(of: .spec, in: bundle.id)
        if let body = result.body {
            // The rules see secrets masked: findings quote values, and a resolved secret must never
            // reach a message, a log line or the state's last error.
            let shown = (result.value ?? body.value).masking(body.sensitivePointers)
            diagnostics += layout.resource == .connectionSpec
                ? specValidator.validate(body: shown, file: file) + sdkValidator.validate(body: shown, file: file)
                : ConnectionValidator(resource: layout.resource).validate(body: shown, file: file)
            diagnostics += numberValidator.validate(body: shown, file: file)
        }
        guard layout.resource == .connectionSpec else {
            return EvaluatedBundle(id: bundle.id, body: result.body, diagnostics: diagnostics, specBlobID: bundle.files[.spec]?.blobID)
        }
        if let icon = bundle[.icon] {
            diagnostics += iconValidator.validate(icon)
        } else if let spec = bundle[.spec], !spec.isSymlink {
            diagnostics.append(Diagnostic(
                .warning, code: "missing-sidecar", file: layout.path(of: .icon, in: bundle.id),
                message: "the bundle has no icon", help: "add an SVG icon for the catalog"))
        }
        return EvaluatedBundle(
            id: bundle.id, body: result.body, diagnostics: diagnostics,
            specBlobID: bundle.files[.spec]?.blobID)
    }

    /// Evaluates each bundle on its own, `lanes` contiguous shares at once, in the order given.
    /// Parsing and hashing are pure CPU, and no write starts before every bundle is evaluated: on a
    /// two-core host a plan of 2,000 new bundles took 160 ms against 213 ms on one lane (BENCHMARKS.md,
    /// "Round two: evaluation, trees and the bundles root").
    public func evaluateEach(_ bundles: [SpecBundle], lanes: Int = defaultLanes) async -> [EvaluatedBundle] {
        guard lanes > 1, bundles.count > 1 else { return bundles.map(evaluate) }
        let share = (bundles.count + lanes - 1) / lanes
        return await withTaskGroup(of: (Int, [EvaluatedBundle]).self) { group in
            for start in stride(from: 0, to: bundles.count, by: share) {
                let slice = bundles[start..<min(start + share, bundles.count)]
                group.addTask { (start, slice.map(evaluate)) }
            }
            var shares: [(Int, [EvaluatedBundle])] = []
            for await result in group { shares.append(result) }
            return shares.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// The lanes `evaluateEach` uses by default: one per core this process may run on (its
    /// affinity and cgroup quota, read once).
    public static let defaultLanes = ProcessInfo.processInfo.activeProcessorCount

    /// Evaluates every bundle and adds the findings that need them all (duplicate names).
    public func evaluate(_ bundles: [SpecBundle]) -> [EvaluatedBundle] {
        withCatalogFindings(bundles.map(evaluate), of: bundles)
    }

    /// `evaluate(_:)` on `lanes` at once, for a whole repository (`validate`, `adopt`).
    public func evaluate(_ bundles: [SpecBundle], lanes: Int) async -> [EvaluatedBundle] {
        withCatalogFindings(await evaluateEach(bundles, lanes: lanes), of: bundles)
    }

    private func withCatalogFindings(_ evaluated: [EvaluatedBundle], of bundles: [SpecBundle]) -> [EvaluatedBundle] {
        var evaluated = evaluated
        let catalog = CatalogValidator(layout: layout)
        catalog.addCrossBundleFindings(to: &evaluated)
        catalog.addNormalizationFindings(to: &evaluated, present: Set(bundles.map(\.id)))
        return evaluated
    }
}
