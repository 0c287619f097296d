/// Known-good webhook material. The expected MACs were computed outside Swift when the tests were
/// written (`printf '%s' BODY | openssl dgst -sha256 -hmac SECRET`), so the verifier is checked
/// against an independent HMAC, not against itself.
enum WebhookSigning {
    /// GitHub's own documentation example ("Validating webhook deliveries").
    static let gitHubDocsSecret = "It's a Secret to Everybody"
    static let gitHubDocsBody = "Hello, World!"
    static let gitHubDocsSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"

    /// A push-shaped body under the same secret.
    static let pushBody = #"{"ref":"refs/heads/main","after":"0123abc"}"#
    static let pushSignature = "sha256=21202e649b76612dc907dee229c3a3af5ccf9953d55691e7b6fdcedacb532c7b"

    /// The RFC 4231-style textbook vector: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
    static let foxSignature = "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
}
