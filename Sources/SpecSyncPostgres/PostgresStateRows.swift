#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore

/// A state as rows and back: records as JSON (the state file's own record form, `StateLineWriter`),
/// the header as columns.
enum PostgresStateRows {
    static var encoder: JSONEncoder { StateStore.lineEncoder }
    static var decoder: JSONDecoder { StateStore.decoder }

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The state from its header row and record rows.
    static func state(header: [String?], records: [[String?]], location: String) throws -> SyncState {
        func broken(_ what: String) -> StateError {
            StateError(subject: location, path: location, problem: "has \(what)",
                       help: "restore the database from a backup, or `specsync state push` a pulled copy")
        }
        guard header.count == 8, let lineage = header[0], let serial = header[1].flatMap({ Int($0) }),
              let name = header[2], let kind = header[3], let identity = header[4] else { throw broken("a damaged header row") }
        var state = SyncState(target: TargetIdentity(name: name, kind: kind, identity: identity), lineage: lineage)
        state.serial = serial
        state.lastSyncedCommit = header[5]
        state.inputsFingerprint = header[6]
        let decoder = decoder
        // Records first: the registration's waiting list is the one recorded, not one rebuilt.
        for row in records {
            guard row.count == 2, let bundle = row[0], let json = row[1] else { throw broken("a damaged record row") }
            do {
                state[BundleID(bundle)] = try decoder.decode(BundleRecord.self, from: Data(json.utf8))
            } catch {
                throw broken("a record for bundle \(bundle) that cannot be read (\(error))")
            }
        }
        if let registration = header[7] {
            do { state.registration = try decoder.decode(FlowSpecRegistration.self, from: Data(registration.utf8)) } catch {
                throw broken("a registration that cannot be read (\(error))")
            }
        }
        return state
    }

    /// The statements of one outcome: the header's serial, the records it changed, the outcome row.
    static func outcome(_ entry: StateJournalEntry, state: SyncState, stateKey: String, host: String, pid: Int) -> [PostgresStatement] {
        var statements = [PostgresStatement(sql: """
            INSERT INTO specsync_states (state_key, lineage, serial, target_name, target_kind, target_identity)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (state_key) DO UPDATE SET serial = excluded.serial, updated_at = now()
            """, parameters: [stateKey, state.lineage, String(entry.serial), state.target.name, state.target.kind, state.target.identity])]
        if case .records(let changes) = entry.change {
            for change in changes {
                if let record = change.record {
                    statements.append(PostgresStatement(sql: """
                        INSERT INTO specsync_records (state_key, bundle, record) VALUES ($1, $2, $3::jsonb)
                        ON CONFLICT (state_key, bundle) DO UPDATE SET record = excluded.record
                        """, parameters: [stateKey, change.bundle, StateLineWriter.text(of: record)]))
                } else {
                    statements.append(PostgresStatement(sql: "DELETE FROM specsync_records WHERE state_key = $1 AND bundle = $2",
                                                        parameters: [stateKey, change.bundle]))
                }
            }
        }
        statements.append(PostgresStatement(sql: """
            INSERT INTO specsync_outcomes (state_key, serial, entry, host, pid) VALUES ($1, $2, $3::jsonb, $4, $5)
            ON CONFLICT (state_key, serial) DO UPDATE SET entry = excluded.entry, host = excluded.host, pid = excluded.pid, recorded_at = now()
            """, parameters: [stateKey, String(entry.serial), StateLineWriter.text(of: entry), host, String(pid)]))
        return statements
    }

    /// Everything beside the records.
    static func header(_ state: SyncState, stateKey: String) throws -> PostgresStatement {
        PostgresStatement(sql: """
            INSERT INTO specsync_states (state_key, lineage, serial, target_name, target_kind, target_identity, last_synced_commit, inputs_fingerprint, registration)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
            ON CONFLICT (state_key) DO UPDATE SET lineage = excluded.lineage, serial = excluded.serial, target_name = excluded.target_name,
                target_kind = excluded.target_kind, target_identity = excluded.target_identity, last_synced_commit = excluded.last_synced_commit,
                inputs_fingerprint = excluded.inputs_fingerprint, registration = excluded.registration, updated_at = now()
            """, parameters: [stateKey, state.lineage, String(state.serial), state.target.name, state.target.kind, state.target.identity,
                              state.lastSyncedCommit, state.inputsFingerprint, try state.registration.map { try json($0) }])
    }

    /// The whole state in place of what was recorded: header, then every record, 500 to a statement.
    static func whole(_ state: SyncState, stateKey: String) throws -> [PostgresStatement] {
        var statements = [try header(state, stateKey: stateKey),
                          PostgresStatement(sql: "DELETE FROM specsync_records WHERE state_key = $1", parameters: [stateKey])]
        let records = Array(state.bundles)
        var start = 0
        while start < records.count {
            let chunk = records[start..<min(start + 500, records.count)]
            var parameters: [String?] = [stateKey]
            var rows: [String] = []
            for (key, record) in chunk {
                parameters.append(key)
                parameters.append(StateLineWriter.text(of: record))
                rows.append("($1, $\(parameters.count - 1), $\(parameters.count)::jsonb)")
            }
            statements.append(PostgresStatement(sql: "INSERT INTO specsync_records (state_key, bundle, record) VALUES " + rows.joined(separator: ", "),
                                                parameters: parameters))
            start += 500
        }
        return statements
    }
}
