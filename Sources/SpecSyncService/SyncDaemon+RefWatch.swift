import Logging
import SpecSyncGit

extension SyncDaemon {
    /// A local repository: its refs watched with inotify, so that a commit starts a pass within a few
    /// milliseconds; polled every `pollInterval` instead when inotify is off (`daemon.watch: poll`),
    /// unavailable, out of watches, or once the watch is lost. Either way the ref is compared with the
    /// last one seen, so a burst of writes that changes nothing starts no pass.
    func watchLocalRepository(_ settings: DaemonSession.WatchSettings) async {
        let watcher = settings.useInotify ? await startRefWatcher(settings.repository) : nil
        var last = try? await settings.repository.resolveCommit(settings.ref)
        if let watcher {
            await withTaskCancellationHandler {
                for await _ in watcher.changes {
                    let current = try? await settings.repository.resolveCommit(settings.ref)
                    if current != last {
                        last = current
                        await triggers.enqueue(.refChanged)
                    }
                }
            } onCancel: {
                watcher.stop()
            }
            guard !Task.isCancelled else { return }
            logger.warning("the inotify watch of the refs ended; polling the ref instead", metadata: [
                "reason": "\(watcher.lost ?? "unknown")", "pollInterval": "\(settings.pollInterval)",
            ])
        }
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.pollInterval)
            let current = try? await settings.repository.resolveCommit(settings.ref)
            if current != last {
                last = current
                await triggers.enqueue(.refChanged)
            }
        }
    }

    /// Nil (logged) when inotify cannot watch the refs: the caller polls.
    private func startRefWatcher(_ repository: GitRepository) async -> RefWatcher? {
        let gitDirectory = await repository.gitDirectory
        let commonDirectory = await repository.commonDirectory
        do {
            let watcher = try RefWatcher(gitDirectory: gitDirectory, commonDirectory: commonDirectory)
            logger.debug("watching the refs with inotify", metadata: ["directory": "\(commonDirectory)"])
            return watcher
        } catch {
            logger.warning("cannot watch the refs with inotify; polling the ref instead", metadata: [
                "error": "\(error.description)", "directory": "\(commonDirectory)",
            ])
            return nil
        }
    }
}
