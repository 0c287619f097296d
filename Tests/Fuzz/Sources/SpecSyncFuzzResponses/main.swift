import FuzzDriver
import SpecSyncTargets

/// One input as a server's answer through every response decoder (`ResponseProbe`).
FuzzDriver.run { bytes in ResponseProbe.run(bytes) }
