import SpecSyncCore
import SpecSyncJSON

/// A flow spec that exists in every real sandbox, pre-seeded with every field the documented GET
/// shows: `RestStorageToAEP`, which every new batch source must be listed in, and
/// `GenericStreamingAEP` for streaming sources. Both belong to Adobe and are shared by every
/// partner's sources, which is why a PUT may change their spec id lists and nothing else.
struct SeedFlowSpec: Sendable {
    let id: String
    /// The body as Adobe's own connectors team would have sent it (no server fields).
    let body: JSONObject

    static let restStorageToAEP = SeedFlowSpec(id: "6499120c-0b15-42dc-936e-847ea3c24d72", text: restStorageText)
    static let genericStreamingAEP = SeedFlowSpec(id: "e77fde5a-22a8-11ed-861d-0242ac120002", text: genericStreamingText)
    static let all = [restStorageToAEP, genericStreamingAEP]
    static let dataLakeConnectionSpecID = "c604ff05-7f1a-43c0-8e18-33bf874cb11c"

    /// The top-level fields a PUT may leave out or change freely: the lists of connection specs.
    static let idLists: Set<String> = ["sourceConnectionSpecIds", "targetConnectionSpecIds"]

    private init(id: String, text: String) {
        guard case .object(let object) = try? JSONParser().parse(text) else {
            preconditionFailure("the seeded flow spec \(id) is not a JSON object")
        }
        self.id = id
        body = object
    }

    private static let restStorageText = #"""
    {
      "name": "RestStorageToAEP",
      "providerId": "0ed90a81-07f4-4586-8190-b40eccef1c5a",
      "version": "1.0",
      "attributes": {
        "isSourceFlow": true,
        "flacValidationSupported": true,
        "frequency": "batch",
        "notification": {"category": "sources", "flowRun": {"enabled": true}}
      },
      "sourceConnectionSpecIds": [],
      "targetConnectionSpecIds": ["c604ff05-7f1a-43c0-8e18-33bf874cb11c"],
      "optionSpec": {
        "name": "OptionSpec",
        "spec": {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "type": "object",
          "properties": {
            "errorDiagnosticsEnabled": {
              "title": "Error diagnostics",
              "description": "Flag to enable detailed and sample error diagnostics summary.",
              "type": "boolean",
              "default": false
            },
            "partialIngestionPercent": {
              "title": "Partial ingestion threshold",
              "description": "Percentage which defines the threshold of errors allowed before the run is marked as failed.",
              "type": "number",
              "exclusiveMinimum": 0
            }
          }
        }
      },
      "transformationSpecs": [
        {
          "name": "Mapping",
          "spec": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "description": "defines various params required for different mapping from source to target",
            "properties": {
              "mappingId": {"type": "string"},
              "mappingVersion": {"type": "string"}
            }
          }
        }
      ],
      "scheduleSpec": {
        "name": "PeriodicSchedule",
        "type": "Periodic",
        "spec": {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "type": "object",
          "properties": {
            "startTime": {"description": "epoch time", "type": "integer"},
            "frequency": {"type": "string", "enum": ["once", "minute", "hour", "day", "week"]},
            "interval": {"type": "integer"},
            "backfill": {"type": "boolean", "default": true}
          },
          "required": ["startTime", "frequency"],
          "if": {"properties": {"frequency": {"const": "once"}}},
          "then": {"allOf": [{"not": {"required": ["interval"]}}, {"not": {"required": ["backfill"]}}]},
          "else": {
            "required": ["interval"],
            "if": {"properties": {"frequency": {"const": "minute"}}},
            "then": {"properties": {"interval": {"minimum": 15}}},
            "else": {"properties": {"interval": {"minimum": 1}}}
          }
        }
      },
      "permissionsInfo": {
        "manage": [{"@type": "lowLevel", "name": "EnterpriseSource", "permissions": ["write"]}],
        "view": [{"@type": "lowLevel", "name": "EnterpriseSource", "permissions": ["read"]}]
      }
    }
    """#

    private static let genericStreamingText = #"""
    {
      "name": "GenericStreamingAEP",
      "providerId": "521eee4d-8cbe-4906-bb48-fb6bd4450033",
      "version": "1.0",
      "sourceConnectionSpecIds": ["e77fd9d2-22a8-11ed-861d-0242ac120002"],
      "targetConnectionSpecIds": ["c604ff05-7f1a-43c0-8e18-33bf874cb11c"],
      "optionSpec": {
        "name": "OptionSpec",
        "spec": {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "type": "object",
          "properties": {
            "errorDiagnosticsEnabled": {
              "title": "Error diagnostics.",
              "description": "Flag to enable detailed and sample error diagnostics summary.",
              "type": "boolean",
              "default": false
            },
            "partialIngestionPercent": {
              "title": "Partial ingestion threshold.",
              "description": "Percentage which defines the threshold of errors allowed before the run is marked as failed.",
              "type": "number",
              "exclusiveMinimum": 0
            },
            "inletUrl": {
              "title": "Inlet Url.",
              "description": "Inlet Url which defines the streaming endpoint.",
              "type": "string"
            }
          }
        }
      },
      "transformationSpecs": [
        {
          "name": "Mapping",
          "spec": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "description": "defines various params required for different mapping from source to target",
            "properties": {"mappingId": {"type": "string"}, "mappingVersion": {"type": "string"}}
          }
        }
      ],
      "attributes": {
        "isSourceFlow": true,
        "flacValidationSupported": true,
        "frequency": "streaming",
        "uiAttributes": {"apiFeatures": {"updateSupported": true, "flowRunsSupported": true}}
      },
      "permissionsInfo": {
        "manage": [{"@type": "lowLevel", "name": "StreamingSource", "permissions": ["write"]}],
        "view": [{"@type": "lowLevel", "name": "StreamingSource", "permissions": ["read"]}]
      }
    }
    """#
}
