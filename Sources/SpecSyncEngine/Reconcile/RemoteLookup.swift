import SpecSyncCore
import SpecSyncTargets

/// What the reconciler needs to read from the remote before a decision is final.
public enum RemoteLookup: Sendable, Equatable {
    /// Every resource with this name, before a create: it may exist already.
    case name(String)
    /// The recorded resource, before an update: it may have changed or gone.
    case id(String)
}

/// What a lookup found.
public enum RemoteFact: Sendable {
    case named([RemoteSpec])
    case current(RemoteSpec?)
}
