/// Whether a bind address stays on this machine: `localhost`, 127.0.0.0/8 or `::1`. Anything
/// else (`0.0.0.0`, `::`, a host name, a LAN address) is reachable from elsewhere.
public enum LoopbackHost {
    public static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy(\.isASCII) && octet.allSatisfy(\.isNumber) && (UInt16(octet) ?? 256) <= 255
        }
    }
}
