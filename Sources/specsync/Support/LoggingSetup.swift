import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncSystemd

/// Logs go to standard error, so standard output stays clean for `--format json`; the format is
/// journald's when systemd runs specsync, unless asked otherwise. Every known secret value is hidden.
enum LoggingSetup {
    static func bootstrap(level: Logger.Level, format: LogFormat? = nil) {
        LoggingSystem.bootstrap(LoggingBootstrap.makeFactory(
            format: format, level: level, environment: ProcessInfo.processInfo.environment,
            redact: { SecretRegistry.shared.redact($0) }))
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}
