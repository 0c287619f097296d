import Hummingbird

/// Thrown by `FaultMiddleware` once a request has been applied but its answer is to be lost, so
/// that the middleware outside it can count the answer as dropped and `LostAnswerMiddleware` can
/// close the connection instead of sending it.
struct LostAnswer: Error {
    /// What the client would have seen.
    let response: Response
}
