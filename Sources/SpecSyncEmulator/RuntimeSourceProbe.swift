import SpecSyncCore
import SpecSyncJSON
import SpecSyncSourceRuntime

/// The source probe of the verification endpoints: runs the spec through `SourceRuntime`, the
/// runtime of `specsync preview` (urlParams, auth, pagination, contentPath, explodeEntityPath), so a
/// spec that does not work fails verification here with the runtime's diagnostic.
///
/// The connection test runs the first page when the connection's auth params fill every `${var}`;
/// when the request needs the source's own parameters (unknown until explore), it only shows that
/// the host takes the credentials, at `authorizationTestUrl` or the host's root. Explore runs the
/// first page; a flow run follows the whole pagination and reports the record count.
public struct RuntimeSourceProbe: SourceProbe {
    /// Where requests go instead of the spec's host; asked once per probe, since the sample API's
    /// port may be known only once it listens.
    public typealias OriginProvider = @Sendable () async -> String?

    private let origin: OriginProvider
    public var exploreLimits: PreviewLimits
    public var runLimits: PreviewLimits

    /// - Parameter origin: "http://127.0.0.1:8788": a local stand-in of the third-party API, path
    ///   and query kept; nil sends requests to the host the spec composes.
    public init(origin: String? = nil) {
        self.init(resolvingOrigin: { origin })
    }

    public init(resolvingOrigin origin: @escaping OriginProvider) {
        self.origin = origin
        exploreLimits = PreviewLimits(maxPages: 1, maxRecords: 10_000, deadline: .seconds(30), sampleSize: 10)
        runLimits = PreviewLimits(maxPages: 10_000, maxRecords: 10_000_000, deadline: .seconds(300), sampleSize: 10)
    }

    public func probe(_ request: SourceProbeRequest) async -> SourceProbeResult {
        let input = Self.input(request)
        let origin = await origin()
        switch request.purpose {
        case .test:
            let first = await SourceRuntime.run(spec: request.spec, input: input, origin: origin, limits: exploreLimits)
            let errors = first.diagnostics.filter { $0.severity == .error }
            guard !errors.isEmpty, errors.allSatisfy({ $0.code == "placeholder-missing" }) else { return Self.result(first) }
            return await credentialsCheck(request, input: input, origin: origin)
        case .explore:
            return Self.result(await SourceRuntime.run(spec: request.spec, input: input, origin: origin, limits: exploreLimits))
        case .run:
            return Self.result(await SourceRuntime.run(spec: request.spec, input: input, origin: origin, limits: runLimits))
        }
    }

    /// The base connection's auth params and the source's params as the runtime's input.
    static func input(_ request: SourceProbeRequest) -> PreviewInput {
        func texts(_ object: JSONObject) -> [String: String] {
            var values: [String: String] = [:]
            for (key, value) in object.members {
                switch value {
                case .string, .number, .bool: values[key] = value.displayText
                default: continue
                }
            }
            return values
        }
        return PreviewInput(authType: request.authSpec.objectValue?["type"]?.stringValue,
                            auth: texts(request.authParams), params: texts(request.sourceParams))
    }

    /// One GET with the credentials to `authorizationTestUrl`, or to the root of the spec's host:
    /// it fails only when the source refuses the credentials or cannot be reached.
    private func credentialsCheck(_ request: SourceProbeRequest, input: PreviewInput, origin: String?) async -> SourceProbeResult {
        let urlParams = request.spec[JSONPointer("/sourceSpec/attributes/urlParams")]?.objectValue ?? JSONObject()
        var host = urlParams["host"]
        var path = "/"
        if let testURL = input.auth["authorizationTestUrl"], let scheme = testURL.firstRange(of: "://") {
            let rest = testURL[scheme.upperBound...]
            let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            host = .string(String(testURL[..<slash]))
            path = slash == rest.endIndex ? "/" : String(rest[slash...])
        }
        var check = JSONObject(["path": .string(path), "method": .string("GET")])
        check["host"] = host
        let spec = JSONValue.object(JSONObject([
            "authSpec": request.spec[JSONPointer("/authSpec")] ?? .array([]),
            "sourceSpec": .object(JSONObject(["attributes": .object(JSONObject([
                "urlParams": .object(check), "contentPath": .string("$"),
            ]))])),
        ]))
        let result = await SourceRuntime.run(spec: spec, input: input, origin: origin, limits: exploreLimits)
        // Any answer but a refusal shows that the host took the credentials.
        let answered: Set<String> = ["http-status", "response-not-json", "content-path-no-match"]
        let problems = result.diagnostics.filter { $0.severity == .error && !answered.contains($0.code) }
        return problems.isEmpty ? .worked([], count: 0) : .failed(Self.describe(problems))
    }

    static func result(_ run: PreviewResult) -> SourceProbeResult {
        let errors = run.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { return .failed(describe(errors)) }
        return .worked(run.sample, count: run.recordCount)
    }

    /// The runtime's diagnostics in words: where in the spec, what was seen, what to do.
    static func describe(_ diagnostics: [PreviewDiagnostic]) -> String {
        diagnostics.map { diagnostic in
            var text = ""
            if let pointer = diagnostic.pointer, !pointer.tokens.isEmpty { text += "#\(pointer): " }
            text += diagnostic.message
            if let help = diagnostic.help { text += " (\(help))" }
            return text
        }.joined(separator: "; ")
    }
}
