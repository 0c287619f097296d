import HTTPTypes

extension HTTPField.Name {
    /// Correlates a response (and its platform error body) with the request, as Adobe's APIs do.
    static let xRequestID = HTTPField.Name("x-request-id")!
}
