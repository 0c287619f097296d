/// A Flxpoint connection as the emulator stores it: what a client sent, with secrets unmasked.
/// Everything else in the API's `Connection` (labels, data types, sort order) is derived on the way out.
public struct FlxpointConnection: Sendable, Equatable {
    /// One `configs` entry: a handle and its value.
    public struct Config: Sendable, Equatable {
        public var handle: String
        public var value: String

        public init(handle: String, value: String) {
            self.handle = handle
            self.value = value
        }
    }

    /// Integers ascending from 1, never reused.
    public let id: Int
    public var connectionType: String
    public var name: String
    public var configs: [Config]

    public init(id: Int, connectionType: String, name: String, configs: [Config]) {
        self.id = id
        self.connectionType = connectionType
        self.name = name
        self.configs = configs
    }

    /// The value of the config with `handle`, if there is one.
    public func value(of handle: String) -> String? {
        configs.first { $0.handle == handle }?.value
    }
}
