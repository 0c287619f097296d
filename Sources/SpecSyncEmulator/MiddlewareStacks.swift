import Hummingbird

/// The middleware the APIs' resources sit behind, shared so that every API adds them in the same
/// order: counted outermost (so faulted and refused answers are counted too), then the body
/// limit, then the API's own checks (Flxpoint's rate limit, in-flight tracking), then latency and
/// faults, then Flow Service's rate limit (its 429 takes the latency too), then authentication,
/// then the resource.
struct MiddlewareStacks: Sendable {
    typealias Group = RouterGroup<EmulatorRequestContext>

    let store: SpecStore
    let faults: FaultInjector
    let latency: Duration

    /// Counted under `kind` (`countsWrites`: successful POSTs and PUTs are writes), answers lost
    /// by a fault closed, bodies read within the limit.
    func counted(_ group: Group, kind: String, countsWrites: Bool = false) -> Group {
        group
            .add(middleware: LostAnswerMiddleware())
            .add(middleware: StatisticsMiddleware(store: store, kind: kind, countsWrites: countsWrites))
            .add(middleware: BodyLimitMiddleware())
    }

    /// Delayed by the configured latency, then faulted in `api`'s shape.
    func network(_ group: Group, api: EmulatedAPI) -> Group {
        group
            .add(middleware: LatencyMiddleware(latency: latency))
            .add(middleware: FaultMiddleware(faults: faults, api: api))
    }
}
