import SpecSyncCore
import SpecSyncJSON

/// The connection specs every real org's `GET /connectionSpecs` lists besides its own: Adobe's
/// catalogue, created by Adobe's connectors client in Adobe's org. Names are not unique in it
/// (many templates are called `generic-rest-extension`) and some are what a partner would call
/// theirs, so a client that looks specs up by name meets them. Deterministic: the same count gives
/// the same ids and names.
enum AdobeCatalogue {
    /// Who created the catalogue: a client and an org that are never the emulator's own.
    static let actor = ServerFields.Actor(clientID: "acp_foundation_connectors")
    static let orgID = "ADOBECATALOGUE00000000000@AdobeOrg"

    /// Names a partner's bundle is likely to have too: the Sources SDK template, and the names of
    /// the example bundles in Config/examples and of the test bundles.
    static let collidingNames = [
        "generic-rest-extension", "Acme Orders source", "MailChimp Campaigns source", "MailChimp Members source",
        "MailChimp", "alpha source", "Generic REST", "generic-streaming",
    ]

    private static let vendors = [
        "Salesforce", "HubSpot", "Zendesk", "Marketo", "Shopify", "Stripe", "Snowflake", "Google Ads", "Mixpanel",
        "Amplitude", "Braze", "Intercom", "Pendo", "SugarCRM", "Oracle Eloqua", "Microsoft Dynamics", "Square",
        "PayPal", "Azure Blob", "Amazon S3",
    ]
    private static let kinds = ["Contacts", "Orders", "Events", "Accounts", "Campaigns", "Tickets", "Invoices", "Segments"]

    /// Every seventh spec is another `generic-rest-extension`; the first few carry the other
    /// colliding names; the rest are "<vendor> <kind>", numbered once they repeat.
    static func name(at index: Int) -> String {
        if index < collidingNames.count { return collidingNames[index] }
        if index % 7 == 0 { return "generic-rest-extension" }
        let combination = index % (vendors.count * kinds.count)
        let base = "\(vendors[combination % vendors.count]) \(kinds[combination / vendors.count])"
        let round = index / (vendors.count * kinds.count)
        return round == 0 ? base : "\(base) \(round + 1)"
    }

    /// A UUID-shaped id no emulator-created spec can have (those are random v4 UUIDs).
    static func id(at index: Int) -> String {
        let digits = String(index, radix: 16)
        return "adobe000-ca7a-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// A generic REST connection spec a POST would accept.
    static func body(at index: Int) -> JSONObject {
        let name = name(at: index)
        let text = """
            {
              "name": \(JSONValue.string(name).compactText),
              "description": \(JSONValue.string("Adobe catalogue source \(index)").compactText),
              "type": "generic-rest",
              "providerId": "0ed90a81-07f4-4586-8190-b40eccef1c5a",
              "version": "1.0",
              "authSpec": [{"name": "Basic Authentication", "type": "BasicAuthentication",
                            "spec": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                                     "properties": {"username": {"type": "string"}, "password": {"type": "string", "format": "password"}}}}],
              "sourceSpec": {"attributes": {"uiAttributes": {"isSource": true, "isBeta": false, "category": {"key": "crm"},
                                                             "icon": {"key": "genericRestIcon"}, "label": {"key": "label", "text": \(JSONValue.string(name).compactText)}},
                                            "urlParams": {"path": "/v1/items", "method": "GET"},
                                            "contentPath": {"path": "$.items"}},
                             "spec": {"type": "object", "properties": {}}},
              "exploreSpec": {"name": "Resource", "type": "Resource",
                              "requestSpec": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"},
                              "responseSpec": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}}
            }
            """
        guard case .object(let object) = try? JSONParser().parse(Array(text.utf8)) else {
            preconditionFailure("a catalogue spec is not a JSON object")
        }
        return object
    }
}
