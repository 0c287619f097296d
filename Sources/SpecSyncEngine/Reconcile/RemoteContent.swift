import SpecSyncCore
import SpecSyncJSON
import SpecSyncTargets

/// What a remote resource holds, comparable with the bodies specsync sends: the remote document
/// without what the server owns or adds, hashed like a body. Used to recognise specsync's own
/// writes whose records were lost (a run killed in flight, a lost answer): the remote revision moved
/// although nobody edited the resource, and a revision check alone would call it a conflict.
///
/// Only an exact match counts. A server that reshapes what it stores (`contentPath` object → string)
/// still reads as different: safe, never silent.
enum RemoteContent {
    /// The hash the remote's content would have as a body shaped like `body` (same top-level
    /// server-owned fields kept or dropped).
    static func hash(of remote: RemoteSpec, shapedLike body: ReplacementBody, resource: ResourceKind) -> String? {
        guard case .object(var object) = remote.document, case .object(let sent) = body.value else { return nil }
        for field in ReplacementBodyBuilder.serverOwnedFields(of: resource) where sent[field] == nil { object[field] = nil }
        // Flow Service adds permissionsInfo to every spec; a body that sets none did not write it.
        if sent["permissionsInfo"] == nil { object["permissionsInfo"] = nil }
        return JSONValue.sha256Hex(JSONValue.object(object).canonicalBytes)
    }

    /// Whether the remote holds exactly `body`.
    static func matches(_ remote: RemoteSpec, body: ReplacementBody, resource: ResourceKind) -> Bool {
        hash(of: remote, shapedLike: body, resource: resource) == body.hash
    }
}
