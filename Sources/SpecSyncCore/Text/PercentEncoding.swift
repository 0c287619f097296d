/// Percent-encoding over UTF-8 bytes (RFC 3986 §2.1): ASCII letters and digits and the given
/// punctuation stay, every other byte becomes %XX, so a name with non-ASCII letters still makes a
/// valid URL.
public enum PercentEncoding {
    /// `spaceAsPlus`: the `application/x-www-form-urlencoded` spelling of a space.
    public static func encode(_ text: String, keeping punctuation: StaticString, spaceAsPlus: Bool = false) -> String {
        let kept = UnsafeBufferPointer(start: punctuation.utf8Start, count: punctuation.utf8CodeUnitCount)
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                output.append(byte)
            case UInt8(ascii: " ") where spaceAsPlus:
                output.append(UInt8(ascii: "+"))
            case _ where kept.contains(byte):
                output.append(byte)
            default:
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
