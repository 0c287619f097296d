import CLibgit2
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A failed libgit2 call: what we were doing, and what libgit2 said about it.
///
/// `message` is libgit2's own text (read with `git_error_last()` on the thread that made the failing call,
/// right after it), except where this module has a plainer explanation (repository owned by another user,
/// authentication given up). Secrets never appear in it.
public struct GitError: Error, Sendable, Equatable {
    /// What failed, as a phrase that completes "could not …", e.g. "resolve revision 'main~3'".
    public let operation: String
    /// libgit2's return code (`git_error_code`, e.g. -3 = GIT_ENOTFOUND).
    public let code: Int32
    /// libgit2's error class (`git_error_t`, e.g. 4 = GIT_ERROR_REFERENCE); 0 when libgit2 set none.
    public let errorClass: Int32
    /// libgit2's message, or this module's plainer one.
    public let message: String

    public init(operation: String, code: Int32, errorClass: Int32, message: String) {
        self.operation = operation
        self.code = code
        self.errorClass = errorClass
        self.message = message
    }

    /// The object, reference, revision or path asked for does not exist.
    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }
    /// The repository belongs to another user and libgit2's owner check refused it.
    public var isOwnership: Bool { code == GIT_EOWNER.rawValue }
    /// The remote refused the credentials, or none were usable.
    public var isAuthentication: Bool { code == GIT_EAUTH.rawValue }
    /// A revision string was not valid syntax.
    public var isInvalidSpec: Bool { code == GIT_EINVALIDSPEC.rawValue }
}

extension GitError: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "could not \(operation): \(message)"
    }

    public var debugDescription: String {
        "GitError(operation: \(operation), code: \(code) \(Self.codeName(code)), "
            + "class: \(errorClass) \(Self.className(errorClass)), message: \(message))"
    }

    /// The symbolic name of a libgit2 return code, for logs.
    public static func codeName(_ code: Int32) -> String {
        switch code {
        case GIT_ERROR.rawValue: "GIT_ERROR"
        case GIT_ENOTFOUND.rawValue: "GIT_ENOTFOUND"
        case GIT_EEXISTS.rawValue: "GIT_EEXISTS"
        case GIT_EAMBIGUOUS.rawValue: "GIT_EAMBIGUOUS"
        case GIT_EBUFS.rawValue: "GIT_EBUFS"
        case GIT_EUSER.rawValue: "GIT_EUSER"
        case GIT_EBAREREPO.rawValue: "GIT_EBAREREPO"
        case GIT_EUNBORNBRANCH.rawValue: "GIT_EUNBORNBRANCH"
        case GIT_EUNMERGED.rawValue: "GIT_EUNMERGED"
        case GIT_ENONFASTFORWARD.rawValue: "GIT_ENONFASTFORWARD"
        case GIT_EINVALIDSPEC.rawValue: "GIT_EINVALIDSPEC"
        case GIT_ECONFLICT.rawValue: "GIT_ECONFLICT"
        case GIT_ELOCKED.rawValue: "GIT_ELOCKED"
        case GIT_EMODIFIED.rawValue: "GIT_EMODIFIED"
        case GIT_EAUTH.rawValue: "GIT_EAUTH"
        case GIT_ECERTIFICATE.rawValue: "GIT_ECERTIFICATE"
        case GIT_EAPPLIED.rawValue: "GIT_EAPPLIED"
        case GIT_EPEEL.rawValue: "GIT_EPEEL"
        case GIT_EEOF.rawValue: "GIT_EEOF"
        case GIT_EINVALID.rawValue: "GIT_EINVALID"
        case GIT_EUNCOMMITTED.rawValue: "GIT_EUNCOMMITTED"
        case GIT_EDIRECTORY.rawValue: "GIT_EDIRECTORY"
        case GIT_EMERGECONFLICT.rawValue: "GIT_EMERGECONFLICT"
        case GIT_PASSTHROUGH.rawValue: "GIT_PASSTHROUGH"
        case GIT_ITEROVER.rawValue: "GIT_ITEROVER"
        case GIT_RETRY.rawValue: "GIT_RETRY"
        case GIT_EMISMATCH.rawValue: "GIT_EMISMATCH"
        case GIT_EINDEXDIRTY.rawValue: "GIT_EINDEXDIRTY"
        case GIT_EAPPLYFAIL.rawValue: "GIT_EAPPLYFAIL"
        case GIT_EOWNER.rawValue: "GIT_EOWNER"
        default: "code \(code)"
        }
    }

    /// The symbolic name of a libgit2 error class, for logs.
    public static func className(_ errorClass: Int32) -> String {
        let names = [
            "NONE", "NOMEMORY", "OS", "INVALID", "REFERENCE", "ZLIB", "REPOSITORY", "CONFIG", "REGEX", "ODB",
            "INDEX", "OBJECT", "NET", "TAG", "TREE", "INDEXER", "SSL", "SUBMODULE", "THREAD", "STASH", "CHECKOUT",
            "FETCHHEAD", "MERGE", "SSH", "FILTER", "REVERT", "CALLBACK", "CHERRYPICK", "DESCRIBE", "REBASE",
            "FILESYSTEM", "PATCH", "WORKTREE", "SHA1", "HTTP", "INTERNAL",
        ]
        guard errorClass >= 0, Int(errorClass) < names.count else { return "class \(errorClass)" }
        return "GIT_ERROR_" + names[Int(errorClass)]
    }
}

// MARK: - Building errors from libgit2 results (internal)

extension GitError {
    /// Throws when `result` is a libgit2 failure (negative). Call it immediately after the C call, on the same
    /// thread, so `git_error_last()` still describes that call.
    static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(GitError) {
        if result < 0 { throw GitError.last(code: result, operation: operation()) }
    }

    /// The error libgit2 recorded for this thread, then cleared so it cannot leak into a later error.
    static func last(code: Int32, operation: String) -> GitError {
        var message = ""
        var errorClass: Int32 = 0
        if let error = git_error_last() {
            errorClass = error.pointee.klass
            if let text = error.pointee.message { message = String(cString: text) }
        }
        git_error_clear()
        if message.isEmpty { message = "libgit2 reported \(codeName(code)) without a message" }
        return GitError(operation: operation, code: code, errorClass: errorClass, message: message)
    }

    /// The same error with every occurrence of the given secrets and any URL user-info replaced, so tokens
    /// and passphrases that libgit2 might echo back never reach logs.
    func redacting(_ secrets: [String]) -> GitError {
        GitError(
            operation: Self.redact(operation, secrets), code: code, errorClass: errorClass,
            message: Self.redact(message, secrets))
    }

    static func redact(_ text: String, _ secrets: [String]) -> String {
        var result = text
        for secret in secrets where !secret.isEmpty {
            result = result.replacing(secret, with: "***")
        }
        return GitURL.strippingUserInfo(result)
    }
}
