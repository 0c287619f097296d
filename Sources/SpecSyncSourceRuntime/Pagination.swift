import SpecSyncCore
import SpecSyncJSON

/// `paginationParams`, read into what each documented type needs. Field names follow the SDK's
/// documents: `offSetName` (also `offsetName`), `pointerPath` (also the older `pointerName`),
/// `continuationTokenPath` with `parameterType`/`parameterName`, `pageParamName` with
/// `initialPageIndex`, and `endConditionName`/`endConditionValue` for OFFSET and PAGE.
public enum Pagination: Sendable, Hashable {
    case none
    case offset(limit: Limit?, offsetName: String, end: EndCondition?)
    case pointer(limit: Limit?, pointerPath: JSONPath)
    case continuationToken(limit: Limit?, tokenPath: JSONPath, parameter: TokenParameter)
    case page(limit: Limit?, pageParamName: String, initialPageIndex: Int, end: EndCondition?)

    /// `limitName=limitValue`, sent with every page.
    public struct Limit: Sendable, Hashable {
        public let name: String
        public let value: Int
    }

    /// The listing ends when the value at `path` reads `value` ("Const:false" reads false).
    public struct EndCondition: Sendable, Hashable {
        public let path: JSONPath
        public let value: String
        public let pointer: JSONPointer

        public func isMet(by response: JSONValue) -> Bool? {
            guard let found = path.first(in: response) else { return nil }
            return found.displayText == value
        }
    }

    /// Where a continuation token goes: a query parameter or a header.
    public struct TokenParameter: Sendable, Hashable {
        public enum Placement: Sendable, Hashable { case query, header }
        public let placement: Placement
        public let name: String
    }

    public var limit: Limit? {
        switch self {
        case .none: nil
        case .offset(let limit, _, _), .pointer(let limit, _), .continuationToken(let limit, _, _), .page(let limit, _, _, _): limit
        }
    }

    public var typeName: String {
        switch self {
        case .none: "NONE"
        case .offset: "OFFSET"
        case .pointer: "POINTER"
        case .continuationToken: "CONTINUATION_TOKEN"
        case .page: "PAGE"
        }
    }

    /// Reads `paginationParams` (absent: NONE); problems are errors pointing into it.
    static func parse(_ value: JSONValue?, at pointer: JSONPointer) -> (Pagination?, [PreviewDiagnostic]) {
        guard let value else { return (.none, []) }
        guard let object = value.objectValue else {
            return (nil, [.init(.error, code: "pagination-form", pointer: pointer, message: "paginationParams must be an object, not \(value.kindName)")])
        }
        var problems: [PreviewDiagnostic] = []
        func text(_ key: String) -> String? {
            guard let member = object[key] else { return nil }
            switch member {
            case .string(let text): return text
            case .number(let literal): return literal
            case .bool(let flag): return flag ? "true" : "false"
            default:
                problems.append(.init(.error, code: "pagination-form", pointer: pointer.appending(key), message: "\(key) must be a string, not \(member.kindName)"))
                return nil
            }
        }
        func required(_ keys: [String], for type: String) -> String? {
            for key in keys { if let found = text(key), !found.isEmpty { return found } }
            problems.append(.init(.error, code: "pagination-missing", pointer: pointer.appending(keys[0]),
                                  message: "\(type) pagination needs \(keys[0])", help: "add paginationParams.\(keys[0])"))
            return nil
        }
        func path(_ key: String, _ written: String) -> JSONPath? {
            do { return try JSONPath(written) } catch {
                problems.append(.init(.error, code: "jsonpath-syntax", pointer: pointer.appending(key), message: "\(key): \(error.description)"))
                return nil
            }
        }
        var limit: Limit?
        if let name = text("limitName") {
            let written = text("limitValue") ?? ""
            if let number = Int(written), number > 0 {
                limit = Limit(name: name, value: number)
            } else {
                problems.append(.init(.error, code: "pagination-limit", pointer: pointer.appending("limitValue"),
                                      message: "limitValue must be a whole number of records per page, such as \"100\"; found '\(written)'"))
            }
        }
        var end: EndCondition?
        if let name = text("endConditionName") {
            let written = text("endConditionValue") ?? ""
            let expected = written.hasPrefix("Const:") ? String(written.dropFirst("Const:".count)) : written
            if let parsed = path("endConditionName", name) { end = EndCondition(path: parsed, value: expected, pointer: pointer.appending("endConditionName")) }
        }
        let type = (text("type") ?? "NONE").uppercased()
        let result: Pagination?
        switch type {
        case "NONE":
            result = Pagination.none
        case "OFFSET":
            result = required(["offSetName", "offsetName"], for: type).map { .offset(limit: limit, offsetName: $0, end: end) }
        case "POINTER":
            result = required(["pointerPath", "pointerName"], for: type).flatMap { written in
                path(object["pointerPath"] != nil ? "pointerPath" : "pointerName", written).map { .pointer(limit: limit, pointerPath: $0) }
            }
        case "CONTINUATION_TOKEN":
            let placement: TokenParameter.Placement?
            switch (text("parameterType") ?? "QUERYPARAM").uppercased() {
            case "QUERYPARAM", "QUERY": placement = .query
            case "HEADERPARAM", "HEADER": placement = .header
            case let other:
                problems.append(.init(.error, code: "pagination-form", pointer: pointer.appending("parameterType"),
                                      message: "parameterType '\(other)' is neither QUERYPARAM nor HEADERPARAM"))
                placement = nil
            }
            if let written = required(["continuationTokenPath"], for: type), let tokenPath = path("continuationTokenPath", written),
               let name = required(["parameterName"], for: type), let placement {
                result = .continuationToken(limit: limit, tokenPath: tokenPath, parameter: TokenParameter(placement: placement, name: name))
            } else {
                result = nil
            }
        case "PAGE":
            let initial = text("initialPageIndex").map { Int($0) } ?? 1
            if initial == nil {
                problems.append(.init(.error, code: "pagination-form", pointer: pointer.appending("initialPageIndex"), message: "initialPageIndex must be a whole number"))
            }
            result = required(["pageParamName"], for: type).map { .page(limit: limit, pageParamName: $0, initialPageIndex: initial ?? 1, end: end) }
        default:
            problems.append(.init(.error, code: "pagination-type", pointer: pointer.appending("type"),
                                  message: "pagination type '\(type)' is not one of OFFSET, POINTER, CONTINUATION_TOKEN, PAGE, NONE"))
            result = nil
        }
        return problems.isEmpty ? (result, []) : (nil, problems)
    }
}
