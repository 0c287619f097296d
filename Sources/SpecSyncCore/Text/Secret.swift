/// A secret value that never prints: descriptions, debug output and reflection all show
/// "(sensitive)", so it cannot leak through a log line or an error message by accident; its value
/// is registered with `SecretRegistry`, so it is hidden in any text that quotes it (a server's echo).
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let value: String

    public init(_ value: String) {
        self.value = value
        SecretRegistry.shared.register(value)
    }

    public var description: String { "(sensitive)" }
    public var debugDescription: String { "(sensitive)" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
