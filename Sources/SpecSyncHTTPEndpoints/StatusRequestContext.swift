import Hummingbird

/// The request context keeps the peer's address, so that a rejected webhook can be traced to
/// where it came from in the log.
struct StatusRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
