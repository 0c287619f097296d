extension JSONValue {
    /// Indented JSON in written member order, for files specsync writes and values it shows.
    public func prettyPrinted(indent: Int = 2) -> String {
        var output: [UInt8] = []
        writePretty(into: &output, level: 0, indent: indent)
        return String(decoding: output, as: UTF8.self)
    }

    /// One-line JSON in written member order, for showing a value inside a message or a diff.
    public var compactText: String {
        switch self {
        case .array, .object:
            var output: [UInt8] = []
            writePretty(into: &output, level: 0, indent: nil)
            return String(decoding: output, as: UTF8.self)
        default:
            return String(decoding: canonicalBytes, as: UTF8.self)
        }
    }

    private func writePretty(into output: inout [UInt8], level: Int, indent: Int?) {
        func newline(_ level: Int) {
            guard let indent else { return }
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * indent))
        }
        switch self {
        case .array(let array) where !array.isEmpty:
            output.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { output.append(contentsOf: indent == nil ? ", ".utf8 : ",".utf8) }
                newline(level + 1)
                element.writePretty(into: &output, level: level + 1, indent: indent)
            }
            newline(level)
            output.append(UInt8(ascii: "]"))
        case .object(let object) where !object.isEmpty:
            output.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { output.append(contentsOf: indent == nil ? ", ".utf8 : ",".utf8) }
                newline(level + 1)
                Self.writeEscaped(member.key, into: &output)
                output.append(contentsOf: ": ".utf8)
                member.value.writePretty(into: &output, level: level + 1, indent: indent)
            }
            newline(level)
            output.append(UInt8(ascii: "}"))
        default:
            writeCanonical(into: &output)
        }
    }
}
