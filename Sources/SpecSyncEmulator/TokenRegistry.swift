/// Access tokens IMS issued and when they stop working. Separate from the spec store because a
/// store reset must not log out a client that is mid-test.
actor TokenRegistry {
    private let lifetime: Duration
    private let clock = ContinuousClock()
    private var expiries: [String: ContinuousClock.Instant] = [:]

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    /// A new random opaque token. Expired ones are forgotten here, so a long demo does not grow.
    func issue() -> String {
        let now = clock.now
        expiries = expiries.filter { $0.value > now }
        var generator = SystemRandomNumberGenerator()
        let token = "emu." + (0..<4).map { _ in hex(generator.next() as UInt64) }.joined()
        expiries[token] = now.advanced(by: lifetime)
        return token
    }

    func isValid(_ token: String) -> Bool {
        guard let expiry = expiries[token] else { return false }
        return clock.now < expiry
    }

    private func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
