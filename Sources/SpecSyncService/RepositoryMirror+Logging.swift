import Logging
import SpecSyncGit

extension RepositoryMirror {
    /// Says what `open` did.
    public func log(_ event: Event, logger: Logger) {
        switch event {
        case .cloning:
            logger.notice("cloning the remote repository", metadata: ["url": "\(displayURL)", "path": "\(path)"])
        case .repointed(let previous):
            logger.warning(
                "the clone pointed at another remote; it now follows repository.url",
                metadata: ["previous": "\(previous)", "url": "\(displayURL)", "path": "\(path)"])
        case .discardedIncomplete:
            logger.warning(
                "the clone was left incomplete by an interrupted clone; cloning again",
                metadata: ["url": "\(displayURL)", "path": "\(path)"])
        }
    }
}
