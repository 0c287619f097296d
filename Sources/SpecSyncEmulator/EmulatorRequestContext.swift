import Hummingbird
import NIOCore

/// The request context keeps the channel so that a "lost response" fault can close the
/// connection itself: a response whose body fails would still deliver its status line first.
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    /// Echoed from the client's `x-request-id` when it sent one, otherwise generated; set by
    /// `RequestIDMiddleware` before any route or other middleware sees the request.
    var requestID = ""

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
