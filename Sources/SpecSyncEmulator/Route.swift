/// Where a request goes, decided from its path alone. `kind` names the route in statistics keys
/// ("PUT connectionSpec 200"): the resource segment of the path, singular when an id follows, and
/// prefixed with the API's name outside Flow Service ("GET flxpointConnection 200").
enum Route: Sendable, Equatable {
    case imsToken
    case connectionSpecs
    case connectionSpec(id: String)
    case flowSpecs
    case flowSpec(id: String)
    /// `/connections`, `/sourceConnections`, `/flows`, `/runs` and below: the verification chain.
    case verification([String])
    /// Any other path under the Flow Service prefix: still behind the gateway, then 404.
    case otherFlowService
    case flxpointConnections
    /// `id` as written in the path; Flxpoint ids are integers, anything else is a 404.
    case flxpointConnection(id: String)
    /// Any other path under the Flxpoint prefix: still authenticated, then 404.
    case otherFlxpoint
    case versoriConnections(organisation: String, connector: String)
    case versoriConnection(organisation: String, connector: String, id: String)
    /// Any other path under the Versori prefix: still authenticated, then 404.
    case otherVersori
    case control([String])
    case unknown

    static let flowServicePrefix = ["data", "foundation", "flowservice"]
    static let flxpointPrefix = ["flxpoint"]
    static let versoriPrefix = ["versori", "api", "connect", "v1"]

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
            case 1...3 where VerificationRoutes.collections.contains(rest[0]): self = .verification(rest)
            default: self = .otherFlowService
            }
        } else if segments.starts(with: Route.flxpointPrefix) {
            let rest = Array(segments.dropFirst(Route.flxpointPrefix.count))
            switch rest.count {
            case 1 where rest[0] == "connections": self = .flxpointConnections
            case 2 where rest[0] == "connections": self = .flxpointConnection(id: rest[1])
            default: self = .otherFlxpoint
            }
        } else if segments.starts(with: Route.versoriPrefix) {
            let rest = Array(segments.dropFirst(Route.versoriPrefix.count))
            if rest.count >= 5, rest[0] == "o", rest[2] == "connectors", rest[4] == "connections" {
                switch rest.count {
                case 5: self = .versoriConnections(organisation: rest[1], connector: rest[3])
                case 6: self = .versoriConnection(organisation: rest[1], connector: rest[3], id: rest[5])
                default: self = .otherVersori
                }
            } else {
                self = .otherVersori
            }
        } else {
            self = .unknown
        }
    }

    /// Requests behind the gateway: authenticated, faulted, delayed.
    var isFlowService: Bool {
        switch self {
        case .connectionSpecs, .connectionSpec, .flowSpecs, .flowSpec, .verification, .otherFlowService: true
        case .imsToken, .control, .unknown, .flxpointConnections, .flxpointConnection, .otherFlxpoint,
             .versoriConnections, .versoriConnection, .otherVersori: false
        }
    }

    /// Requests to Flxpoint: token-authenticated, rate-limited per token, faulted, delayed.
    var isFlxpoint: Bool {
        switch self {
        case .flxpointConnections, .flxpointConnection, .otherFlxpoint: true
        default: false
        }
    }

    /// Requests to Versori: key-authenticated, faulted, delayed.
    var isVersori: Bool {
        switch self {
        case .versoriConnections, .versoriConnection, .otherVersori: true
        default: false
        }
    }

    var kind: String {
        switch self {
        case .imsToken: "token"
        case .connectionSpecs: "connectionSpecs"
        case .connectionSpec: "connectionSpec"
        case .flowSpecs: "flowSpecs"
        case .flowSpec: "flowSpec"
        case .flxpointConnections: "flxpointConnections"
        case .flxpointConnection: "flxpointConnection"
        case .versoriConnections: "versoriConnections"
        case .versoriConnection: "versoriConnection"
        case .otherFlowService, .otherFlxpoint, .otherVersori, .unknown: "unknown"
        case .control: "control"
        case .verification(let path): path.count == 3 ? "\(path[0])/\(path[2])" : path.count == 2 ? "\(path[0])/id" : path[0]
        }
    }
}
