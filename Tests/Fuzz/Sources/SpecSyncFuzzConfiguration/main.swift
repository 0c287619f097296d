import FuzzDriver
import SpecSyncConfiguration

/// One input as `specsync.yaml` through the configuration loader (`ConfigurationProbe`).
FuzzDriver.run { bytes in ConfigurationProbe.run(bytes) }
