/// Decides the fault for each Flow Service request. An actor because the generator and the
/// throttle burst are shared by all connections and the order of draws must be well defined.
actor FaultInjector {
    private(set) var plan: FaultPlan
    private var generator: SplitMix64
    private var throttleRemaining = 0

    init(plan: FaultPlan) {
        self.plan = plan
        self.generator = SplitMix64(seed: plan.seed)
    }

    /// Restarts the generator from the new plan's seed, so a plan set mid-run is reproducible too.
    func replace(_ plan: FaultPlan) {
        self.plan = plan
        generator = SplitMix64(seed: plan.seed)
        throttleRemaining = 0
    }

    /// `isWrite`: a POST or PUT, which a late-write fault may hold.
    func decide(isWrite: Bool = false) -> FaultDecision {
        // Always four draws per request, whatever the outcome, so one rate does not shift the others.
        let throttleDraw = generator.nextUnit()
        let serverErrorDraw = generator.nextUnit()
        let dropDraw = generator.nextUnit()
        let shape = generator.next()
        // A fifth draw only under a plan that holds writes, so that older plans give the faults they always gave.
        let lateDraw = plan.lateWriteRate > 0 ? generator.nextUnit() : 1

        if throttleRemaining > 0 {
            throttleRemaining -= 1
            return .throttle(retryAfterSeconds: plan.retryAfterSeconds)
        }
        if throttleDraw < plan.throttleRate {
            throttleRemaining = max(plan.throttleBurst, 1) - 1
            return .throttle(retryAfterSeconds: plan.retryAfterSeconds)
        }
        if serverErrorDraw < plan.serverErrorRate {
            let status = [502, 503, 504][Int(shape % 3)]
            return .serverError(status: status, platformBody: (shape >> 8) & 1 == 0)
        }
        if dropDraw < plan.dropRate {
            return .drop
        }
        if isWrite && lateDraw < plan.lateWriteRate {
            return .late(.milliseconds(plan.lateWriteMilliseconds))
        }
        return .none
    }
}
