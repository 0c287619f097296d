#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A file-system error as a user reads it: "No such file or directory", not a type dump.
/// (`localizedDescription` would need all of Foundation loaded; see `LocalPath`.)
public enum SystemErrorText {
    public static func describe(_ error: any Error) -> String {
        if let error = error as? POSIXError { return text(ofErrno: error.code.rawValue) }
        if let error = error as? CocoaError {
            if let underlying = error.underlying as? POSIXError { return text(ofErrno: underlying.code.rawValue) }
            switch error.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return text(ofErrno: ENOENT)
            case .fileReadNoPermission, .fileWriteNoPermission: return text(ofErrno: EACCES)
            case .fileWriteOutOfSpace: return text(ofErrno: ENOSPC)
            case .fileWriteVolumeReadOnly: return text(ofErrno: EROFS)
            case .fileWriteFileExists: return text(ofErrno: EEXIST)
            case .fileReadInapplicableStringEncoding: return "not valid UTF-8"
            default: return "file system error \(error.code.rawValue)"
            }
        }
        return String(describing: error)
    }

    /// `strerror`'s text for an errno value.
    public static func text(ofErrno code: Int32) -> String {
        String(cString: strerror(code))
    }
}
