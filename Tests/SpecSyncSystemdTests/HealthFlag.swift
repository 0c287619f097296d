import Foundation

/// The daemon's health as the test sets it, counting the "unhealthy" answers it gave.
final class HealthFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var healthy = true
    private var unhealthyCount = 0

    var value: Bool {
        get { lock.withLock { healthy } }
        set { lock.withLock { healthy = newValue } }
    }

    var unhealthyAnswers: Int { lock.withLock { unhealthyCount } }

    func check() -> Bool {
        lock.withLock {
            if !healthy { unhealthyCount += 1 }
            return healthy
        }
    }
}
