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

    /// Everything under this group that no resource claims: still behind the group's middleware,
    /// answered by `answer`. `prefixes`: the paths that only lead to resources (".../connectors" of
    /// ".../connectors/{connector}/connections"), which need naming: Hummingbird's trie does not
    /// fall back to `**` from a path that ends on one of them.
    @discardableResult
    func remainder(prefixes: [RouterPath] = [], _ answer: @escaping EmulatorEndpoint.Handler) -> Self {
        for path in [""] + prefixes + ["**"] {
            resource(path, otherwise: answer)
        }
        return self
    }
}
