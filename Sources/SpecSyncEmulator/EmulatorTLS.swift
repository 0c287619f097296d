import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdTLS
import NIOSSL

/// HTTPS for the emulator, as the real Flow Service speaks it: a certificate chain and its key (PEM
/// files), and whether HTTP/2 is offered by ALPN beside HTTP/1.1 (`http2`) or HTTP/1.1 is the only
/// protocol. A client's `httpVersion: .automatic` picks h2 when it is offered.
public struct EmulatorTLS: Sendable {
    public var certificatePath: String
    public var keyPath: String
    public var http2: Bool

    public init(certificatePath: String, keyPath: String, http2: Bool = true) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.http2 = http2
    }

    /// The server Hummingbird runs: h2 and HTTP/1.1 by ALPN, or HTTP/1.1 over TLS only.
    func serverBuilder() throws -> HTTPServerBuilder {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw EmulatorStartError.tls("cannot read a PEM certificate from \(certificatePath)")
        }
        guard !chain.isEmpty else { throw EmulatorStartError.tls("\(certificatePath) holds no PEM certificate") }
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw EmulatorStartError.tls("cannot read a PEM private key from \(keyPath)")
        }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        if http2 { return try .http2Upgrade(tlsConfiguration: tls) }
        tls.applicationProtocols = ["http/1.1"]
        return try .tls(.http1(), tlsConfiguration: tls)
    }
}
