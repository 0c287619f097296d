import FuzzDriver
import SpecSyncCore

/// One input through the whole path from bytes to replacement body and findings (`PipelineProbe`).
FuzzDriver.run { bytes in
    PipelineProbe.run(bytes).filter { !$0.violations.isEmpty }.map { "\($0.resource): \($0.violations.joined(separator: "; "))" }
}
