import SpecSyncCore
import SpecSyncTargets

/// A write of specsync's own that was never recorded: the process died between the answer and the
/// state write, or the answer was lost and every retry failed. The remote revision has moved
/// although nobody edited the resource, so a revision check alone calls it a conflict and the
/// bundle would never converge without `--force`. It is recognised by content: the remote,
/// without what the server owns or adds, is exactly the body about to be sent.
///
/// Only an exact match counts. A server that reshapes what it stores, or a remote that holds an
/// earlier unrecorded body git has since moved past, still reads as a conflict: safe, never silent.
enum UnrecordedWrite {
    static func matches(_ remote: RemoteSpec, body: ReplacementBody, resource: ResourceKind) -> Bool {
        guard case .object(var object) = remote.document, case .object(let sent) = body.value else { return false }
        for field in ReplacementBodyBuilder.serverOwnedFields(of: resource) where sent[field] == nil { object[field] = nil }
        // Flow Service adds permissionsInfo to every spec; a body that sets none did not write it.
        if sent["permissionsInfo"] == nil { object["permissionsInfo"] = nil }
        return JSONValue.object(object).canonicalBytes == body.canonicalBytes
    }
}
