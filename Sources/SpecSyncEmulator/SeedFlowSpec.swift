import SpecSyncCore

/// The flow spec every new batch source must be listed in. Pre-seeded because it exists in every
/// real sandbox; the fields follow the documented `FlowSpecItemDTO`.
enum SeedFlowSpec {
    static let id = "6499120c-0b15-42dc-936e-847ea3c24d72"
    static let dataLakeConnectionSpecID = "c604ff05-7f1a-43c0-8e18-33bf874cb11c"

    /// The body as Adobe's own connectors team would have sent it (no server fields).
    static let body: JSONObject = {
        guard case .object(let object) = try? JSONParser().parse(text) else {
            preconditionFailure("the seeded flow spec is not a JSON object")
        }
        return object
    }()

    private static let text = #"""
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
          "required": ["startTime", "frequency"]
        }
      },
      "permissionsInfo": {
        "manage": [{"@type": "lowLevel", "name": "EnterpriseSource", "permissions": ["write"]}],
        "view": [{"@type": "lowLevel", "name": "EnterpriseSource", "permissions": ["read"]}]
      }
    }
    """#
}
