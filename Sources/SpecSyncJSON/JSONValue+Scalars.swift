extension JSONValue {
    /// Every string, number, boolean and null under this value, in document order, each with where
    /// it is (`pointer` leading). The path is one array of tokens grown and shrunk along the walk and
    /// a pointer is made only when `body` asks for one: validators walk every node of every body to
    /// report the rare one that is wrong, and a pointer per node was a visible part of evaluating a
    /// bundle.
    public func forEachScalar(from pointer: JSONPointer = .root, _ body: (JSONValue, () -> JSONPointer) -> Void) {
        var path = pointer.tokens
        forEachScalar(path: &path, body)
    }

    private func forEachScalar(path: inout [String], _ body: (JSONValue, () -> JSONPointer) -> Void) {
        switch self {
        case .array(let array):
            for (index, element) in array.enumerated() {
                path.append(String(index))
                element.forEachScalar(path: &path, body)
                path.removeLast()
            }
        case .object(let object):
            for (key, element) in object.members {
                path.append(key)
                element.forEachScalar(path: &path, body)
                path.removeLast()
            }
        default:
            body(self) { JSONPointer(tokens: path) }
        }
    }
}
