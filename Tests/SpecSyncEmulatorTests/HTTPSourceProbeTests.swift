import SpecSyncCore
@testable import SpecSyncEmulator
import Testing
import SpecSyncJSON

@Suite("The source probe's request composition")
struct HTTPSourceProbeTests {
    @Test("${var} is filled from the values it is given; the names it lacks are listed")
    func substitution() {
        let filled = HTTPSourceProbe.substitute("/3.0/lists/${listId}/members?x=${x}&y=${y}", ["listId": "L1", "x": "1"])
        #expect(filled.text == "/3.0/lists/L1/members?x=1&y=${y}")
        #expect(filled.missing == ["y"])
        #expect(HTTPSourceProbe.substitute("no variables, a lone ${", [:]).text == "no variables, a lone ${")
    }

    @Test("an origin replaces scheme, host and port, keeping path and query")
    func rebase() {
        #expect(HTTPSourceProbe.rebase("https://us1.api.mailchimp.com/3.0/campaigns?count=1", onto: "http://127.0.0.1:8081")
            == "http://127.0.0.1:8081/3.0/campaigns?count=1")
        #expect(HTTPSourceProbe.rebase("https://acme.example", onto: "http://127.0.0.1:8081/") == "http://127.0.0.1:8081")
    }

    @Test("contentPath selects records; a path that matches nothing names the top-level keys seen")
    func records() throws {
        let document = try JSONParser().parse(Array(#"{"data": {"items": [{"id": 1}, {"id": 2}]}, "paging": {}}"#.utf8))
        let attributes = { (path: String) in JSONValue.object(JSONObject(["contentPath": .object(JSONObject(["path": .string(path)]))])) }
        #expect(HTTPSourceProbe.records(in: document, attributes: attributes("$.data.items")).records.count == 2)
        #expect(HTTPSourceProbe.records(in: document, attributes: attributes("$.data.items[*]")).records.count == 2)
        #expect(HTTPSourceProbe.records(in: document, attributes: attributes("$['data']['items'][1]")).records.count == 1)
        let missing = HTTPSourceProbe.records(in: document, attributes: attributes("$.members"))
        #expect(missing.failure == "contentPath $.members matched nothing on page 1; the response's top-level keys are data, paging")
    }
}
