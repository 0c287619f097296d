import CLibyaml

/// Builds the node tree of a single YAML document with libyaml's parser, the C library YAML tools
/// on Debian share. Strict where a configuration needs it: a key given twice, an unknown alias,
/// a second document or nesting beyond `maximumDepth` is an error with its line and column.
struct YAMLComposer {
    /// Deeper than any configuration; bounds the recursion on hostile input.
    var maximumDepth = 256

    struct SyntaxError: Error, Equatable {
        var mark: YAMLMark?
        var message: String
    }

    /// The document's root, or nil when the text holds no document (empty, or only comments).
    func compose(_ text: String) throws(SyntaxError) -> YAMLNode? {
        var bytes = Array(text.utf8)
        let count = bytes.count
        bytes.append(0)  // a valid pointer even for empty text
        return try bytes.withUnsafeBufferPointer { buffer throws(SyntaxError) -> YAMLNode? in
            var events = try EventReader(input: buffer.baseAddress!, count: count)
            return try compose(&events)
        }
    }

    private func compose(_ events: inout EventReader) throws(SyntaxError) -> YAMLNode? {
        try events.expect(YAML_STREAM_START_EVENT)
        var event = try events.next()
        if event.type == YAML_STREAM_END_EVENT { return nil }
        guard event.type == YAML_DOCUMENT_START_EVENT else { throw events.unexpected(event) }
        var anchors: [String: YAMLNode] = [:]
        event = try events.next()
        let root = try node(from: event, &events, anchors: &anchors, depth: 0)
        try events.expect(YAML_DOCUMENT_END_EVENT)
        let after = try events.next()
        guard after.type == YAML_STREAM_END_EVENT else {
            throw SyntaxError(mark: after.mark, message: "a second YAML document starts here; the configuration is one document")
        }
        return root
    }

    private func node(from event: Event, _ events: inout EventReader, anchors: inout [String: YAMLNode], depth: Int) throws(SyntaxError) -> YAMLNode {
        guard depth < maximumDepth else {
            throw SyntaxError(mark: event.mark, message: "nested more than \(maximumDepth) levels deep")
        }
        let node: YAMLNode
        switch event.type {
        case YAML_ALIAS_EVENT:
            guard let name = event.anchor, let target = anchors[name] else {
                throw SyntaxError(mark: event.mark, message: "the alias *\(event.anchor ?? "") names no anchor defined before it")
            }
            return target
        case YAML_SCALAR_EVENT:
            node = .scalar(event.value, event.mark)
        case YAML_SEQUENCE_START_EVENT:
            var elements: [YAMLNode] = []
            while true {
                let next = try events.next()
                if next.type == YAML_SEQUENCE_END_EVENT { break }
                elements.append(try self.node(from: next, &events, anchors: &anchors, depth: depth + 1))
            }
            node = .sequence(elements, event.mark)
        case YAML_MAPPING_START_EVENT:
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            var seen: [String: YAMLMark] = [:]
            while true {
                let next = try events.next()
                if next.type == YAML_MAPPING_END_EVENT { break }
                let key = try self.node(from: next, &events, anchors: &anchors, depth: depth + 1)
                if case .scalar(let text, let mark) = key {
                    // Scalars are read as their text, so `true` and `'true'` are the same key.
                    if let first = seen[text] {
                        throw SyntaxError(mark: mark, message: "the key '\(text)' is given twice in one mapping (first at \(first))")
                    }
                    seen[text] = mark
                }
                let value = try self.node(from: try events.next(), &events, anchors: &anchors, depth: depth + 1)
                pairs.append((key, value))
            }
            node = .mapping(pairs, event.mark)
        default:
            throw events.unexpected(event)
        }
        if let anchor = event.anchor { anchors[anchor] = node }
        return node
    }
}

/// One libyaml event, copied out of the parser's memory.
private struct Event {
    var type: yaml_event_type_t
    var mark: YAMLMark
    var anchor: String?
    var value: String
}

/// libyaml's parser over a buffer that outlives it.
private struct EventReader: ~Copyable {
    private let parser: UnsafeMutablePointer<yaml_parser_t>

    init(input: UnsafePointer<UInt8>, count: Int) throws(YAMLComposer.SyntaxError) {
        parser = .allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            throw YAMLComposer.SyntaxError(mark: nil, message: "the YAML parser could not start (out of memory)")
        }
        yaml_parser_set_input_string(parser, input, count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
    }

    mutating func next() throws(YAMLComposer.SyntaxError) -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw parseError() }
        defer { yaml_event_delete(&event) }
        var copied = Event(type: event.type, mark: Self.mark(event.start_mark), anchor: nil, value: "")
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            copied.anchor = scalar.anchor.map { String(cString: $0) }
            copied.value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
        case YAML_SEQUENCE_START_EVENT:
            copied.anchor = event.data.sequence_start.anchor.map { String(cString: $0) }
        case YAML_MAPPING_START_EVENT:
            copied.anchor = event.data.mapping_start.anchor.map { String(cString: $0) }
        case YAML_ALIAS_EVENT:
            copied.anchor = event.data.alias.anchor.map { String(cString: $0) }
        default:
            break
        }
        return copied
    }

    mutating func expect(_ type: yaml_event_type_t) throws(YAMLComposer.SyntaxError) {
        let event = try next()
        guard event.type == type else { throw unexpected(event) }
    }

    func unexpected(_ event: Event) -> YAMLComposer.SyntaxError {
        YAMLComposer.SyntaxError(mark: event.mark, message: "unexpected YAML event \(event.type.rawValue)")
    }

    /// libyaml's own words: "mapping values are not allowed in this context while scanning a simple key".
    private func parseError() -> YAMLComposer.SyntaxError {
        var message = parser.pointee.problem.map { String(cString: $0) } ?? "the YAML parser failed"
        if let context = parser.pointee.context.map({ String(cString: $0) }) {
            message += " (\(context) at \(Self.mark(parser.pointee.context_mark)))"
        }
        return YAMLComposer.SyntaxError(mark: Self.mark(parser.pointee.problem_mark), message: message)
    }

    private static func mark(_ mark: yaml_mark_t) -> YAMLMark {
        YAMLMark(line: mark.line + 1, column: mark.column + 1)
    }
}
