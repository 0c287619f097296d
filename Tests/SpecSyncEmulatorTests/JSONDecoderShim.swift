#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncEmulator

/// Foundation's coders, kept in one file so the tests do not all import Foundation.
enum JSONDecoderShim {
    static func decode(_ text: String) throws -> FaultPlan {
        try JSONDecoder().decode(FaultPlan.self, from: Data(text.utf8))
    }

    static func statistics(_ bytes: [UInt8]) throws -> EmulatorStatistics {
        try JSONDecoder().decode(EmulatorStatistics.self, from: Data(bytes))
    }

    static func encode(_ plan: FaultPlan) throws -> String {
        String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
    }
}
