import Foundation

/// A throwaway CA made by openssl and a server certificate it signed for DNS:localhost and
/// IP:127.0.0.1, as PEM files in a temporary directory: for servers under test that speak TLS.
public struct TestCertificateAuthority: Sendable {
    public let directory: TemporaryDirectory
    /// The CA's certificate, what a client trusts.
    public var caFile: String { directory.path + "/ca.pem" }
    /// The server's certificate and its private key.
    public var certificateFile: String { directory.path + "/server.pem" }
    public var keyFile: String { directory.path + "/server.key" }

    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") }

    public init() throws {
        directory = try TemporaryDirectory(prefix: "specsync-ca")
        let dir = directory.url
        func openssl(_ arguments: [String]) throws {
            try ProcessRunner.checked("/usr/bin/openssl", arguments, in: dir)
        }
        try openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "2", "-subj", "/CN=specsync test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"])
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(toFile: directory.path + "/server.ext", atomically: true, encoding: .utf8)
        try openssl([
            "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
        ])
    }

    public func remove() { directory.remove() }
}
