extension Array where Element == UInt8 {
    /// The same bytes in a buffer of their size: one grown by appending has up to twice their room,
    /// which a pass that holds thousands of them (bodies, state lines) pays for in full.
    public var exactlySized: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: self)
        }
    }
}
