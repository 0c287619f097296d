import SpecSyncCore
import SpecSyncJSON

/// The sample API's records: deterministic, so that tests can count them.
enum SampleData {
    static let firstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken"]
    static let lastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson"]

    static func padded(_ number: Int, _ width: Int = 4) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// An hour after 2024-01-01T00:00:00Z per index, as RFC 3339.
    static func timestamp(hours: Int) -> String {
        let day = 1 + hours / 24
        return "2024-01-\(padded(day, 2))T\(padded(hours % 24, 2)):00:00Z"
    }

    static func links(_ path: String) -> JSONValue {
        .array([.object(JSONObject(["rel": .string("self"), "href": .string("https://us21.api.mailchimp.com\(path)"), "method": .string("GET")]))])
    }

    static func member(_ index: Int, list: String) -> JSONValue {
        .object(JSONObject([
            "id": .string("m\(padded(index))"),
            "email_address": .string("member\(padded(index))@example.com"),
            "status": .string(index % 7 == 0 ? "unsubscribed" : "subscribed"),
            "merge_fields": .object(JSONObject([
                "FNAME": .string(firstNames[index % firstNames.count]), "LNAME": .string(lastNames[index % lastNames.count]),
            ])),
            "last_changed": .string(timestamp(hours: index % 500)),
            "list_id": .string(list),
            "_links": links("/3.0/lists/\(list)/members/m\(padded(index))"),
        ]))
    }

    static func campaign(_ index: Int) -> JSONValue {
        .object(JSONObject([
            "id": .string("c\(padded(index))"),
            "type": .string(index % 3 == 0 ? "plaintext" : "regular"),
            "status": .string(index % 4 == 0 ? "save" : "sent"),
            "emails_sent": .number(String(index * 37 % 1000)),
            "send_time": .string(timestamp(hours: index)),
            "settings": .object(JSONObject(["subject_line": .string("Newsletter #\(index + 1)"), "from_name": .string("Acme")])),
            "_links": links("/3.0/campaigns/c\(padded(index))"),
        ]))
    }

    /// One recipient of a campaign with 1 to 3 actions: the shape `explodeEntityPath` flattens.
    static func emailActivity(_ index: Int, campaign: String) -> JSONValue {
        let actions = (0...(index % 3)).map { step in
            JSONValue.object(JSONObject([
                "action": .string(["open", "click", "bounce"][step]), "type": .string(step == 2 ? "hard" : ""),
                "timestamp": .string(timestamp(hours: index + step)), "ip": .string("192.0.2.\(index % 250)"),
            ]))
        }
        return .object(JSONObject([
            "campaign_id": .string(campaign), "list_id": .string("demo-list"), "email_id": .string("e\(padded(index))"),
            "email_address": .string("member\(padded(index))@example.com"), "activity": .array(actions),
        ]))
    }

    static func order(_ index: Int) -> JSONValue {
        .object(JSONObject([
            "id": .string("ord-\(padded(index, 5))"),
            "customer_id": .string("cus-\(padded(index % 75))"),
            "total": .number("\(10 + index % 90).\(padded(index * 7 % 100, 2))"),
            "currency": .string("EUR"),
            "updated_at": .string(timestamp(hours: index)),
        ]))
    }

    static func customer(_ index: Int) -> JSONValue {
        .object(JSONObject([
            "id": .string("cus-\(padded(index))"),
            "name": .string("\(firstNames[index % firstNames.count]) \(lastNames[(index / 8) % lastNames.count])"),
            "email": .string("customer\(padded(index))@example.com"),
        ]))
    }

    static func product(_ index: Int) -> JSONValue {
        .object(JSONObject([
            "sku": .string("SKU-\(padded(index))"),
            "title": .string("Product \(index + 1)"),
            "price": .number("\(5 + index % 40).99"),
            "in_stock": .bool(index % 5 != 0),
        ]))
    }

    static func store(_ index: Int) -> JSONValue {
        .object(JSONObject([
            "id": .string("store-\(index + 1)"),
            "region": .string(["eu", "us", "apac"][index % 3]),
        ]))
    }
}
