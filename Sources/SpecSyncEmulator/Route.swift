/// Where a request goes, decided from its path alone. `kind` names the route in statistics keys
/// ("PUT connectionSpec 200"): the resource segment of the path, singular when an id follows.
enum Route: Sendable, Equatable {
    case imsToken
    case connectionSpecs
    case connectionSpec(id: String)
    case flowSpecs
    case flowSpec(id: String)
    /// Any other path under the Flow Service prefix: still behind the gateway, then 404.
    case otherFlowService
    case control([String])
    case unknown

    static let flowServicePrefix = ["data", "foundation", "flowservice"]

    init(segments: [String]) {
        if segments == ["ims", "token", "v3"] {
            self = .imsToken
        } else if segments.first == "__emulator" {
            self = .control(Array(segments.dropFirst()))
        } else if segments.starts(with: Route.flowServicePrefix) {
            let rest = Array(segments.dropFirst(Route.flowServicePrefix.count))
            switch rest.count {
            case 1 where rest[0] == "connectionSpecs": self = .connectionSpecs
            case 2 where rest[0] == "connectionSpecs": self = .connectionSpec(id: rest[1])
            case 1 where rest[0] == "flowSpecs": self = .flowSpecs
            case 2 where rest[0] == "flowSpecs": self = .flowSpec(id: rest[1])
            default: self = .otherFlowService
            }
        } else {
            self = .unknown
        }
    }

    /// Requests behind the gateway: authenticated, faulted, delayed.
    var isFlowService: Bool {
        switch self {
        case .connectionSpecs, .connectionSpec, .flowSpecs, .flowSpec, .otherFlowService: true
        case .imsToken, .control, .unknown: false
        }
    }

    var kind: String {
        switch self {
        case .imsToken: "token"
        case .connectionSpecs: "connectionSpecs"
        case .connectionSpec: "connectionSpec"
        case .flowSpecs: "flowSpecs"
        case .flowSpec: "flowSpec"
        case .otherFlowService, .unknown: "unknown"
        case .control: "control"
        }
    }
}
