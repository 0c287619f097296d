/// Text with `${name}` placeholders, as `urlParams`, `headerParams` and `bodyParams` write them.
public struct PlaceholderTemplate: Sendable, Hashable {
    public let text: String

    public init(_ text: String) { self.text = text }

    /// Every name the text refers to, in order of first use.
    public var names: [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            let name = String(rest[open.upperBound..<close])
            if !found.contains(name) { found.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        return found
    }

    /// The text with every placeholder replaced, or the names that have no value. An unclosed
    /// `${` is kept as written.
    public func fill(_ values: (String) -> String?) -> Result<String, MissingValues> {
        var output = ""
        var missing: [String] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            output += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close])
            if let value = values(name) { output += value } else if !missing.contains(name) { missing.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return missing.isEmpty ? .success(output) : .failure(MissingValues(names: missing))
    }

    public struct MissingValues: Error, Sendable, Hashable {
        public let names: [String]

        public init(names: [String]) { self.names = names }
    }
}
