#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SpecSyncCore
import SpecSyncJSON

/// The minimal source runtime behind the verification endpoints: the spec's first request
/// (`urlParams` with `${var}` from the auth and source parameters, `headerParams`, Basic or bearer
/// auth), sent once; it works when the answer is 2xx JSON in which `contentPath` finds records.
public struct HTTPSourceProbe: SourceProbe {
    /// Sends every request to this origin ("http://127.0.0.1:8081") instead of the spec's host,
    /// keeping path and query: a local stand-in of the third-party API.
    public var origin: String?
    public var timeout: TimeAmount

    public init(origin: String? = nil, timeout: TimeAmount = .seconds(10)) {
        self.origin = origin
        self.timeout = timeout
    }

    public func probe(_ request: SourceProbeRequest) async -> SourceProbeResult {
        let attributes = request.spec[JSONPointer("/sourceSpec/attributes")] ?? .object(JSONObject())
        var values: [String: String] = [:]
        for (key, value) in request.authParams.members { values[key] = value.displayText }
        for (key, value) in request.sourceParams.members { values[key] = value.displayText }

        let hostTemplate = attributes[JSONPointer("/urlParams/host")]?.stringValue ?? values["host"] ?? ""
        let pathTemplate = attributes[JSONPointer("/urlParams/path")]?.stringValue ?? "/"
        let host = Self.substitute(hostTemplate, values)
        var path = Self.substitute(pathTemplate, values)
        if let query = attributes[JSONPointer("/urlParams/queryParams")]?.stringValue, !query.isEmpty {
            let filled = Self.substitute(query, values)
            path.text += (path.text.contains("?") ? "&" : "?") + filled.text.split(separator: ",").joined(separator: "&")
            path.missing += filled.missing
        }
        if !host.missing.isEmpty {
            return .failed("the host \(hostTemplate.debugDescription) needs \(host.missing.map { "${\($0)}" }.joined(separator: ", ")), which the connection's auth params do not give")
        }
        var checksRecords = true
        if !path.missing.isEmpty {
            // The test knows the credentials only: without the source's own parameters it can
            // only show that the host takes them.
            guard request.purpose == .test else {
                return .failed("urlParams.path \(pathTemplate.debugDescription) needs \(path.missing.map { "${\($0)}" }.joined(separator: ", ")), which neither the auth params nor the source params give")
            }
            path = ("/", [])
            checksRecords = false
        }
        if request.purpose == .test, let testURL = values["authorizationTestUrl"], !testURL.isEmpty {
            return await send(url: testURL, request: request, attributes: attributes, checksRecords: false)
        }
        return await send(url: host.text + path.text, request: request, attributes: attributes, checksRecords: checksRecords)
    }

    private func send(url: String, request: SourceProbeRequest, attributes: JSONValue, checksRecords: Bool) async -> SourceProbeResult {
        let target = origin.map { Self.rebase(url, onto: $0) } ?? url
        var http = HTTPClientRequest(url: target)
        let method = attributes[JSONPointer("/urlParams/method")]?.stringValue ?? "GET"
        http.method = method == "POST" ? .POST : .GET
        http.headers.add(name: "Accept", value: "application/json")
        if case .object(let headers)? = attributes[JSONPointer("/headerParams")] {
            for (name, value) in headers.members { http.headers.replaceOrAdd(name: name, value: value.displayText) }
        }
        if let authorization = Self.authorization(request) { http.headers.replaceOrAdd(name: "Authorization", value: authorization) }
        if http.method == .POST, let body = attributes[JSONPointer("/bodyParams")] {
            http.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            http.body = .bytes(ByteBuffer(bytes: body.canonicalBytes))
        }
        let shown = Self.withoutQuery(url)
        do {
            let response = try await HTTPClient.shared.execute(http, timeout: timeout)
            let body = try await response.body.collect(upTo: 8 << 20)
            let status = Int(response.status.code)
            if status == 401 || status == 403 {
                return .failed("the source refused the credentials: HTTP \(status) to \(method) \(shown); check the auth params and the authSpec")
            }
            guard checksRecords else { return .worked([]) }
            guard (200..<300).contains(status) else {
                return .failed("the source answered HTTP \(status) to \(method) \(shown); check urlParams.path and its parameters")
            }
            guard let document = try? JSONParser().parse(Array(body.readableBytesView)) else {
                return .failed("the source's answer to \(method) \(shown) is not JSON")
            }
            return Self.records(in: document, attributes: attributes)
        } catch {
            return .failed("the source could not be reached at \(shown): \(error)")
        }
    }

    /// The records `contentPath` selects (all of the document when it has none).
    static func records(in document: JSONValue, attributes: JSONValue) -> SourceProbeResult {
        let contentPath = attributes[JSONPointer("/contentPath/path")]?.stringValue
            ?? attributes[JSONPointer("/contentPath")]?.stringValue ?? "$"
        guard let found = JSONPathLookup.select(contentPath, in: document), !found.isEmpty else {
            let keys = document.objectValue?.keys.joined(separator: ", ") ?? "none (it is \(document.kindName))"
            return .failed("contentPath \(contentPath) matched nothing on page 1; the response's top-level keys are \(keys)")
        }
        if found.count == 1, case .array(let records) = found[0] { return .worked(records) }
        return .worked(found)
    }

    static func authorization(_ request: SourceProbeRequest) -> String? {
        let params = request.authParams
        switch request.authSpec.objectValue?["type"]?.stringValue {
        case "BasicAuthentication":
            let pair = "\(params["username"]?.displayText ?? ""):\(params["password"]?.displayText ?? "")"
            return "Basic " + Data(pair.utf8).base64EncodedString()
        case "OAuth2RefreshCode":
            return params["accessToken"].map { "Bearer \($0.displayText)" }
        default:
            return nil
        }
    }

    /// `template` with every `${name}` that `values` holds filled in, and the names it did not hold.
    static func substitute(_ template: String, _ values: [String: String]) -> (text: String, missing: [String]) {
        var text = ""
        var missing: [String] = []
        var rest = template[...]
        while let open = rest.firstRange(of: "${") {
            text += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}") else { text += rest[open.lowerBound...]; rest = ""; break }
            let name = String(after[..<close])
            if let value = values[name] { text += value } else { missing.append(name); text += "${\(name)}" }
            rest = after[after.index(after: close)...]
        }
        return (text + rest, missing)
    }

    /// `url` with its scheme, host and port replaced by `origin`'s.
    static func rebase(_ url: String, onto origin: String) -> String {
        guard let scheme = url.firstRange(of: "://") else { return origin + url }
        let afterScheme = url[scheme.upperBound...]
        let pathStart = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        let trimmed = origin.hasSuffix("/") ? String(origin.dropLast()) : origin
        return trimmed + afterScheme[pathStart...]
    }

    static func withoutQuery(_ url: String) -> String {
        url.firstIndex(of: "?").map { String(url[..<$0]) } ?? url
    }
}
