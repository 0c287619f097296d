/// Whether bytes are all ASCII, looked at eight at a time: asked of every folder name on every pass
/// (`BundleID.isASCII`) and of every string redaction compares (`SecretRegistry`), where walking
/// byte by byte through `String.UTF8View` was 5% of detecting one change at 100,000 bundles.
enum ASCIIScan {
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        var offset = 0
        while offset + 8 <= raw.count {
            if raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            offset += 8
        }
        while offset < raw.count {
            if raw[offset] >= 0x80 { return false }
            offset += 1
        }
        return true
    }
}
