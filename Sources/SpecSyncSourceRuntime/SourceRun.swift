import SpecSyncCore
import SpecSyncTargets
import SpecSyncJSON

/// One preview in progress: the pagination cursor, what was seen, and the bounds.
struct SourceRun {
    let source: SourceSpec
    let input: PreviewInput
    let credentials: SourceCredentials
    let origin: String?
    let limits: PreviewLimits
    let transport: (any HTTPTransport)?

    private var schema = RecordSchema()

    init(source: SourceSpec, input: PreviewInput, credentials: SourceCredentials, origin: String?, limits: PreviewLimits, transport: (any HTTPTransport)?) {
        self.source = source
        self.input = input
        self.credentials = credentials
        self.origin = origin
        self.limits = limits
        self.transport = transport
    }

    /// Where the next page is: the first request, an offset, a page index, a token or a link.
    enum Cursor: Hashable {
        case first
        case offset(Int)
        case page(Int)
        case token(String)
        case link(String)
    }

    mutating func fetchAll(into result: inout PreviewResult) async {
        let clock = ContinuousClock()
        let deadline = clock.now + limits.deadline
        guard let base = composeBase(into: &result) else { return }
        var cursor: Cursor = initialCursor
        var previousPage: JSONValue?
        var seenCursors: Set<Cursor> = [cursor]
        var pageNumber = 0
        while true {
            pageNumber += 1
            if pageNumber > limits.maxPages {
                result.diagnostics.append(.init(.warning, code: "max-pages", page: pageNumber - 1,
                                                message: "stopped after \(limits.maxPages) page\(limits.maxPages == 1 ? "" : "s") (--max-pages) while the API still had more",
                                                help: "raise --max-pages to read further"))
                break
            }
            let remaining = deadline - clock.now
            guard remaining > .zero else {
                result.diagnostics.append(deadlinePassed(page: pageNumber, pages: result.pages))
                break
            }
            guard let request = compose(cursor: cursor, base: base, page: pageNumber, into: &result) else { break }
            result.requests.append("\(request.method) \(request.url)")
            let response: TransportResponse
            do {
                let sender = transport ?? AsyncHTTPTransport(timeout: min(SourceRuntime.requestTimeout, remaining), connectTimeout: .seconds(5))
                response = try await sender.send(request)
            } catch let error as TransportError {
                if clock.now >= deadline {
                    result.diagnostics.append(deadlinePassed(page: pageNumber, pages: result.pages))
                } else {
                    result.diagnostics.append(.init(.error, code: "http-transport", page: pageNumber,
                                                    message: "page \(pageNumber): \(request.method) \(request.url) failed: \(error.reason)",
                                                    help: "check the host the spec composes, or --origin"))
                }
                break
            } catch {
                result.diagnostics.append(.init(.error, code: "cancelled", page: pageNumber, message: "the preview was interrupted while fetching page \(pageNumber)"))
                break
            }
            guard (200..<300).contains(response.status) else {
                result.diagnostics.append(statusProblem(response, request: request, page: pageNumber))
                break
            }
            let document: JSONValue
            do { document = try JSONParser().parse(response.body) } catch {
                let type = response.header("Content-Type") ?? "no Content-Type"
                result.diagnostics.append(.init(.error, code: "response-not-json", page: pageNumber,
                                                message: "page \(pageNumber): the answer to \(request.method) \(request.url) is not JSON (\(type)): \(error.description)"))
                break
            }
            guard let items = source.content.items(in: document) else {
                result.diagnostics.append(.init(.error, code: "content-path-no-match", pointer: source.content.pointer, page: pageNumber,
                                                message: "contentPath \(source.content.path) matched nothing on page \(pageNumber); \(source.content.path.explainMiss(in: document))",
                                                help: "point contentPath at the array of records in the response"))
                break
            }
            if let previousPage, previousPage == document, !items.isEmpty {
                result.diagnostics.append(.init(.error, code: "pagination-repeats", pointer: source.paginationPointer, page: pageNumber,
                                                message: "page \(pageNumber) is the same as page \(pageNumber - 1): the \(source.pagination.typeName) pagination never ends (\(request.method) \(request.url))",
                                                help: "check the end condition and the parameters paginationParams sends; the API serves the last page again"))
                break
            }
            previousPage = document
            result.pages += 1
            let truncated = collect(items, into: &result)
            if truncated {
                result.diagnostics.append(.init(.warning, code: "max-records", page: pageNumber,
                                                message: "stopped at \(limits.maxRecords) records (--max-records)", help: "raise --max-records to read further"))
                break
            }
            guard let next = nextCursor(after: cursor, document: document, itemCount: items.count, page: pageNumber, into: &result) else { break }
            if next != .first, !seenCursors.insert(next).inserted {
                result.diagnostics.append(.init(.error, code: "pagination-cursor-repeats", pointer: source.paginationPointer, page: pageNumber,
                                                message: "page \(pageNumber) points to \(describe(next)), which was already fetched: the \(source.pagination.typeName) pagination never ends",
                                                help: "the API should leave the next token or link out on the last page"))
                break
            }
            cursor = next
        }
        result.schema = schema.json
    }

    private func deadlinePassed(page: Int, pages: Int) -> PreviewDiagnostic {
        PreviewDiagnostic(pages == 0 ? .error : .warning, code: "deadline", page: page,
                          message: "the preview's deadline (\(limits.deadline)) passed while fetching page \(page)",
                          help: "raise --deadline, or check that the API answers")
    }

    private func describe(_ cursor: Cursor) -> String {
        switch cursor {
        case .first: "the first page"
        case .offset(let offset): "offset \(offset)"
        case .page(let index): "page index \(index)"
        case .token(let token): "continuation token '\(token)'"
        case .link(let link): "next link \(link)"
        }
    }

    var initialCursor: Cursor {
        switch source.pagination {
        case .offset: .offset(0)
        case .page(_, _, let initial, _): .page(initial)
        default: .first
        }
    }

    /// Shapes and counts the page's records; true when --max-records cut it.
    private mutating func collect(_ items: [JSONValue], into result: inout PreviewResult) -> Bool {
        for item in items {
            let shaped = source.content.shape(item)
            let records = source.explode.map { RecordExploder(selector: $0).explode(shaped) } ?? [shaped]
            for record in records {
                guard result.recordCount < limits.maxRecords else { return true }
                result.recordCount += 1
                schema.add(record)
                if result.sample.count < limits.sampleSize { result.sample.append(record) }
            }
        }
        return false
    }

    /// Where the page after this one is, or nil when this was the last.
    private func nextCursor(after cursor: Cursor, document: JSONValue, itemCount: Int, page: Int, into result: inout PreviewResult) -> Cursor? {
        func ended(_ end: Pagination.EndCondition?) -> Bool {
            guard let end else { return false }
            guard let met = end.isMet(by: document) else {
                if page == 1 {
                    result.diagnostics.append(.init(.warning, code: "end-condition-no-match", pointer: end.pointer, page: page,
                                                    message: "endConditionName \(end.path) matched nothing on page 1; \(end.path.explainMiss(in: document)); the pages end at a short or empty page instead"))
                }
                return false
            }
            return met
        }
        let short = itemCount == 0 || source.pagination.limit.map { itemCount < $0.value } ?? false
        switch (source.pagination, cursor) {
        case (.none, _):
            return nil
        case (.offset(_, _, let end), .offset(let offset)):
            return ended(end) || short ? nil : .offset(offset + itemCount)
        case (.page(_, _, _, let end), .page(let index)):
            return ended(end) || short ? nil : .page(index + 1)
        case (.continuationToken(_, let path, _), _):
            guard let token = path.first(in: document), case let text = token.displayText, token != .null, !text.isEmpty else { return nil }
            return .token(text)
        case (.pointer(_, let path), _):
            guard let link = path.first(in: document), case let text = link.displayText, link != .null, !text.isEmpty else { return nil }
            return .link(text)
        default:
            return nil
        }
    }

    /// The request's origin (scheme and authority) and path with placeholders filled.
    private func composeBase(into result: inout PreviewResult) -> (origin: String, path: String)? {
        guard let path = fill(source.path, into: &result) else { return nil }
        if let origin { return (origin, path) }
        let hostText: String
        if let host = source.host {
            guard let filled = fill(host, into: &result) else { return nil }
            hostText = filled
        } else if let host = credentials.values["host"], !host.isEmpty {
            hostText = host
        } else {
            result.diagnostics.append(.init(.error, code: "host-missing", pointer: SourceSpec.attributes.appending("urlParams"),
                                            message: "the spec composes no host: urlParams has no host and the input's auth gives none",
                                            help: "add host to the input's auth, or pass --origin"))
            return nil
        }
        var trimmed = hostText
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        if !trimmed.contains("://") { trimmed = "https://" + trimmed }
        return (trimmed, path)
    }

    private func value(for name: String) -> String? {
        input.params[name] ?? credentials.values[name]
    }

    private func fill(_ templated: SourceSpec.Templated, into result: inout PreviewResult) -> String? {
        switch templated.template.fill(value(for:)) {
        case .success(let text): return text
        case .failure(let missing):
            for name in missing.names {
                result.diagnostics.append(.init(.error, code: "placeholder-missing", pointer: templated.pointer,
                                                message: "${\(name)} has no value in the input's params",
                                                help: "add \"\(name)\" to the input's params (and to sourceSpec.spec.properties)"))
            }
            return nil
        }
    }

    /// The request for the page `cursor` names.
    private func compose(cursor: Cursor, base: (origin: String, path: String), page: Int, into result: inout PreviewResult) -> TransportRequest? {
        var headers: [(name: String, value: String)] = []
        for header in source.headers {
            guard let value = fill(header.value, into: &result) else { return nil }
            headers.append((header.name, value))
        }
        headers += credentials.headers
        if !headers.contains(where: { $0.name.lowercased() == "accept" }) { headers.append(("Accept", "application/json")) }

        var body: [UInt8]?
        if source.method == "POST", let template = source.body {
            var missing: [String] = []
            let filled = Self.fillStrings(template) { text in
                switch PlaceholderTemplate(text).fill(value(for:)) {
                case .success(let filled): return filled
                case .failure(let names): missing += names.names; return text
                }
            }
            for name in missing {
                result.diagnostics.append(.init(.error, code: "placeholder-missing", pointer: source.bodyPointer, message: "${\(name)} has no value in the input's params"))
            }
            guard missing.isEmpty else { return nil }
            body = filled.stringValue.map { Array($0.utf8) } ?? Array(filled.compactText.utf8)
            if !headers.contains(where: { $0.name.lowercased() == "content-type" }) { headers.append(("Content-Type", "application/json")) }
        }

        if case .link(let link) = cursor {
            let url: String
            if let (linkOrigin, rest) = SourceRuntime.split(absolute: link) {
                url = (origin ?? linkOrigin) + rest
            } else {
                url = base.origin + (link.hasPrefix("/") ? link : "/" + link)
            }
            return TransportRequest(method: source.method, url: url, headers: headers, body: body)
        }

        var query: [(String, String)] = []
        for parameter in source.query {
            guard let value = fill(parameter.value, into: &result) else { return nil }
            query.append((parameter.name, value))
        }
        if let schedule = source.schedule, let window = input.window {
            query.append((schedule.startName, schedule.startFormat.format(window.start)))
            query.append((schedule.endName, schedule.endFormat.format(window.end)))
        }
        if let limit = source.pagination.limit { query.append((limit.name, String(limit.value))) }
        switch (source.pagination, cursor) {
        case (.offset(_, let name, _), .offset(let offset)): query.append((name, String(offset)))
        case (.page(_, let name, _, _), .page(let index)): query.append((name, String(index)))
        case (.continuationToken(_, _, let parameter), .token(let token)):
            switch parameter.placement {
            case .query: query.append((parameter.name, token))
            case .header: headers.append((parameter.name, token))
            }
        default: break
        }
        var url = base.origin + (base.path.hasPrefix("/") ? base.path : "/" + base.path)
        if !query.isEmpty { url += (url.contains("?") ? "&" : "?") + QueryEncoding.query(query) }
        return TransportRequest(method: source.method, url: url, headers: headers, body: body)
    }

    static func fillStrings(_ value: JSONValue, _ transform: (String) -> String) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(transform(text))
        case .array(let array):
            return .array(array.map { fillStrings($0, transform) })
        case .object(var object):
            for key in object.keys { object[key] = fillStrings(object[key]!, transform) }
            return .object(object)
        default:
            return value
        }
    }

    private func statusProblem(_ response: TransportResponse, request: TransportRequest, page: Int) -> PreviewDiagnostic {
        var excerpt = String(decoding: response.body.prefix(300), as: UTF8.self)
        excerpt = excerpt.split(whereSeparator: \.isNewline).joined(separator: " ")
        let said = excerpt.isEmpty ? "" : ": \(excerpt)"
        if response.status == 401 || response.status == 403 {
            return PreviewDiagnostic(.error, code: "auth-refused", pointer: JSONPointer("/authSpec"), page: page,
                                     message: "page \(page): \(request.method) \(request.url) answered \(response.status)\(said)",
                                     help: "check the input's auth values for \(input.authType ?? "the auth type")")
        }
        return PreviewDiagnostic(.error, code: "http-status", pointer: SourceSpec.attributes.appending("urlParams"), page: page,
                                 message: "page \(page): \(request.method) \(request.url) answered \(response.status)\(said)",
                                 help: response.status == 404 ? "check urlParams.path and the input's params" : nil)
    }
}
