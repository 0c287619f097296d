import SpecSyncJSON
extension Diagnostic {
    /// This finding with the line and column where its JSON pointer's value is in `bytes` (the
    /// text of the file it names), for tools that place findings by line; unchanged when it has a
    /// line already, no pointer, or the text does not hold the pointer.
    public func locating(in bytes: [UInt8]) -> Diagnostic {
        guard line == nil, let pointer, let position = JSONPointerLocator.position(of: pointer, in: bytes) else { return self }
        return Diagnostic(severity, code: code, file: file, line: position.line, column: position.column,
                          pointer: pointer, message: message, help: help)
    }
}
