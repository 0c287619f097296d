#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncJSON

/// How the state verbs show a record.
enum StateRecordText {
    static func status(of record: BundleRecord) -> String { record.status.word }

    static func json(bundle: String, _ record: BundleRecord) -> JSONObject {
        var object = JSONObject()
        object["bundle"] = .string(bundle)
        object["status"] = .string(status(of: record))
        object["id"] = record.id.map(JSONValue.string) ?? .null
        object["name"] = record.name.map(JSONValue.string) ?? .null
        object["bodyHash"] = record.bodyHash.map(JSONValue.string) ?? .null
        object["revision"] = record.recordedRevision.map(JSONValue.string) ?? .null
        object["commit"] = record.commit.map(JSONValue.string) ?? .null
        object["flowSpec"] = record.flowSpec.map(JSONValue.string) ?? .null
        object["lastSyncedAt"] = record.lastSyncedAt.map { .string($0.formatted(.iso8601)) } ?? .null
        object["lastError"] = record.lastError.map(JSONValue.string) ?? .null
        object["consecutiveFailures"] = .number(String(record.consecutiveFailures))
        object["unconfirmedBodyHashes"] = .array((record.unconfirmedBodyHashes ?? []).map(JSONValue.string))
        object["orphanedAt"] = record.orphanedAt.map { .string($0.formatted(.iso8601)) } ?? .null
        return object
    }
}
