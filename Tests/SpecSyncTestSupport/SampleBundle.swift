import Foundation

/// Valid connector bundles for tests, written into a repository or folder.
public enum SampleBundle {
    /// A connection spec Flow Service would accept, shaped like the documented MailChimp example.
    public static func spec(
        name: String, path: String = "/3.0/lists/${listId}/members", extra: String = "",
        contentPath: String = #"{"path": "$.members", "skipAttributes": ["_links"]}"#
    ) -> String {
        """
        {
          "name": "\(name)",
          "description": "\(name) through generic REST",
          "type": "generic-rest",
          "providerId": "0ed90a81-07f4-4586-8190-b40eccef1c5a",
          "version": "1.0",\(extra)
          "authSpec": [
            {"name": "Basic Authentication", "type": "BasicAuthentication",
             "spec": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                      "properties": {"host": {"type": "string"}, "username": {"type": "string"},
                                     "password": {"type": "string", "format": "password"}}}}
          ],
          "sourceSpec": {
            "attributes": {
              "uiAttributes": {"isSource": true, "icon": {"key": "sampleIcon"}},
              "urlParams": {"path": "\(path)", "method": "GET"},
              "contentPath": \(contentPath),
              "paginationParams": {"type": "OFFSET", "limitName": "count", "limitValue": "100", "offSetName": "offset"},
              "scheduleParams": {"scheduleStartParamName": "since", "scheduleEndParamName": "before"}
            },
            "spec": {"type": "object", "properties": {"listId": {"type": "string"}}}
          },
          "exploreSpec": {"name": "Resource", "type": "Resource",
                          "requestSpec": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"},
                          "responseSpec": {"$schema": "http: //json-schema.org/draft-07/schema#", "type": "object"}}
        }

        """
    }

    public static let icon = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>"# + "\n"

    /// Writes `<root>/<source>/Artifacts/…` for a complete bundle below `directory`.
    public static func write(_ source: String, name: String? = nil, root: String = "Sources", in directory: TemporaryDirectory) throws {
        let folder = "\(root)/\(source)/Artifacts/\(source)"
        try directory.write(spec(name: name ?? "\(source) source"), to: folder + "-connectionSpec.json")
        try directory.write("\(source) label\n", to: folder + "-label.txt")
        try directory.write("\(source) description\n", to: folder + "-description.txt")
        try directory.write("marketingAutomation\n", to: folder + "-category.txt")
        try directory.write(icon, to: folder + "-icon.svg")
    }
}
