import SpecSyncCore
import SpecSyncJSON

/// How a stored spec is shown in responses. The real service reshapes some fields on the way out
/// (`contentPath` `{path: …}` becomes the bare path in some responses), which is exactly why clients
/// must not diff a GET against what they sent; this reproduces it when asked to.
struct SpecPresentation: Sendable {
    var contentPathAsString: Bool

    func present(_ stored: JSONValue) -> JSONValue {
        guard contentPathAsString,
              case .object(let contentPath)? = stored[JSONPointer("/sourceSpec/attributes/contentPath")],
              let path = contentPath["path"], case .string = path,
              let reshaped = stored.replacing(at: ["sourceSpec", "attributes", "contentPath"], with: path)
        else { return stored }
        return reshaped
    }

    func items(_ specs: [JSONValue]) -> JSONValue {
        .object(JSONObject(["items": .array(specs.map(present))]))
    }
}
