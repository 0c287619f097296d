import HTTPTypes
import Hummingbird

extension RouterMethods where Context == EmulatorRequestContext {
    /// Methods a client may plausibly send; each resource answers all of them.
    static var commonMethods: [HTTPRequest.Method] { [.get, .head, .post, .put, .delete, .patch, .options] }

    /// One resource: `handlers` for the methods it documents and `otherwise` for every other common
    /// method, so that a known path with a wrong method passes the same middleware (counted,
    /// authenticated, faulted) and gets the API's own answer, usually 405 with `Allow`, where
    /// Hummingbird would answer 404.
    @discardableResult
    func resource(
        _ path: RouterPath = "", methods handlers: [HTTPRequest.Method: EmulatorEndpoint.Handler] = [:],
        otherwise: @escaping EmulatorEndpoint.Handler
    ) -> Self {
        for method in Set(Self.commonMethods).union(handlers.keys) {
            on(path, method: method, responder: EmulatorEndpoint(handler: handlers[method] ?? otherwise))
        }
        return self
    }

    /// Everything under this group that no resource claims (and the group's own path): still
    /// behind the group's middleware, answered by `answer`.
    @discardableResult
    func remainder(_ answer: @escaping EmulatorEndpoint.Handler) -> Self {
        resource("", otherwise: answer)
        return resource("**", otherwise: answer)
    }
}
