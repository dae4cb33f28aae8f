// fuzz-sip-message: libFuzzer target for SIPMessage parsing; a parsed message must serialize to a fixed point.
//
// Built with `-sanitize=fuzzer -DFUZZING` (scripts/fuzz) it runs under libFuzzer and traps on the first
// violated invariant; built normally it replays the files (or directories of files) given as arguments
// and exits 1 if any breaks an invariant. The invariants, for each framing (datagram and stream):
//   - a refusal is a thrown SIPParseError with a reason and a non-negative position, never a trap;
//   - after a successful parse every typed view the parser validated reads without throwing, the
//     mandatory headers are present, and a request's CSeq method matches its start line;
//   - the typed values the parser keeps equal those parsed afresh from the header text;
//   - the serialization re-parses (as a stream message) into the same start line, version, headers
//     (ignoring Content-Length, which serializing writes) and body, with the same typed views;
//   - serializing the re-parsed message gives the same bytes (serialization is a fixed point);
//   - SIPStreamDecoder reads the serialization back as exactly that one message;
//   - the text of each From, To, Via, Contact, Route and Record-Route value re-parses to the same text.

import FuzzSupport
import SIPCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if !FUZZING
import Foundation
#endif

// MARK: Invariants

/// The typed views a B2BUA reads, compared between a message and its re-parsed serialization.
struct TypedViews: Equatable {
    var via: [SIPVia]
    var from: SIPNameAddress?
    var to: SIPNameAddress?
    var callID: String?
    var cseq: SIPCSeq?
    var contacts: [SIPContact]
    var maxForwards: Int?
    var contentType: SIPMediaType?
    var routes: [SIPNameAddress]
    var recordRoutes: [SIPNameAddress]
    var expires: UInt32?
    var allow: [String]
    var supported: [String]

    init(_ h: SIPHeaders) throws(SIPParseError) {
        via = try h.via
        from = try h.from
        to = try h.to
        callID = try h.callID
        cseq = try h.cseq
        contacts = try h.contacts
        maxForwards = try h.maxForwards
        contentType = try h.contentType
        routes = try h.routes
        recordRoutes = try h.recordRoutes
        expires = try h.expires
        allow = try h.allow
        supported = try h.supported
    }
}

/// Why `data` breaks an invariant, or nil when every invariant holds.
func violation(_ data: UnsafeBufferPointer<UInt8>) -> String? {
    for framing in [SIPFraming.datagram, .stream] {
        if let v = violation(data, framing) { return "\(framing) framing: \(v)\n  input: \(show(data))" }
    }
    return nil
}

func violation(_ data: UnsafeBufferPointer<UInt8>, _ framing: SIPFraming) -> String? {
    let first: SIPMessage
    do {
        first = try SIPMessage(parsing: data, framing: framing)
    } catch {
        if error.reason.isEmpty { return "refused with an empty reason" }
        if error.line < 0 || error.column < 0 { return "refusal has a negative position: \(error)" }
        return nil
    }

    let views: TypedViews
    do { views = try TypedViews(first.headers) } catch { return "typed view throws after a successful parse: \(error)" }
    if views.via.isEmpty || views.from == nil || views.to == nil || views.callID == nil || views.cseq == nil {
        return "a mandatory header is missing after a successful parse"
    }
    if let method = first.method, views.cseq?.method != method {
        return "CSeq method \(views.cseq.map { "\($0.method)" } ?? "-") differs from the request method \(method)"
    }
    // The parser keeps the typed values it validated; they must be what parsing the header text gives.
    do {
        let fresh = try TypedViews(SIPHeaders(first.headers.fields))
        if fresh != views { return "typed views kept from parsing differ from the views parsed from the header text" }
    } catch {
        return "header text of a parsed message does not parse as a typed view: \(error)"
    }
    if let v = textRoundTripViolation(views) { return v }

    let s1 = first.serialized()
    let second: SIPMessage
    do {
        second = try SIPMessage(parsing: s1, framing: .stream)
    } catch {
        return "serialization does not re-parse: \(error)\n  serialized: \(show(s1))"
    }
    let s2 = second.serialized()
    if s1 != s2 {
        return "serialization is not a fixed point\n  first:  \(show(s1))\n  second: \(show(s2))"
    }
    if second.startLine != first.startLine { return "start line changed: \(first.startLine) -> \(second.startLine)" }
    if second.version != first.version { return "version changed: \(first.version) -> \(second.version)" }
    if second.body != first.body { return "body changed (\(first.body.count) -> \(second.body.count) bytes)" }
    let fields1 = first.headers.filter { $0.key != .contentLength }
    let fields2 = second.headers.filter { $0.key != .contentLength }
    if fields1.count != fields2.count { return "header count changed: \(fields1.count) -> \(fields2.count)" }
    for (a, b) in zip(fields1, fields2) where a.name != b.name || a.value != b.value || a.key != b.key {
        return "header changed: \(show(Array(a.description.utf8))) -> \(show(Array(b.description.utf8)))"
    }
    do {
        let again = try TypedViews(second.headers)
        if again != views { return "typed views changed after the round trip" }
    } catch {
        return "typed view of the re-parsed message throws: \(error)"
    }

    // A stream peer receives the serialization as exactly this message and nothing else.
    var decoder = SIPStreamDecoder()
    do {
        try decoder.feed(s1)
        let items = try decoder.drain()
        guard items == [.message(second)], decoder.bufferedByteCount == 0 else {
            return "stream decoder reads the serialization as \(items.count) item(s), \(decoder.bufferedByteCount) byte(s) left"
        }
    } catch {
        return "stream decoder refuses the serialization: \(error)"
    }
    return nil
}

/// Writing a typed value as text and parsing that text must give the same text (what a B2BUA does when
/// it copies From/To/Contact/Route values into a new message).
func textRoundTripViolation(_ v: TypedViews) -> String? {
    func same(_ what: String, _ text: String, _ parse: (String) throws(SIPParseError) -> String) -> String? {
        do {
            let again = try parse(text)
            return again == text ? nil : "\(what) text is not a fixed point: \(show(Array(text.utf8))) -> \(show(Array(again.utf8)))"
        } catch {
            return "\(what) text does not re-parse: \(show(Array(text.utf8))): \(error)"
        }
    }
    for a in [v.from, v.to].compactMap({ $0 }) {
        if let e = same("From/To", a.description, { (t: String) throws(SIPParseError) in try SIPNameAddress.parse(t).description }) { return e }
    }
    for via in v.via {
        if let e = same("Via", via.description, { (t: String) throws(SIPParseError) in
            try SIPVia.parseList(t).map(\.description).joined(separator: ", ")
        }) { return e }
    }
    for c in v.contacts {
        if let e = same("Contact", c.description, { (t: String) throws(SIPParseError) in
            try SIPContact.parseList(t).map(\.description).joined(separator: ", ")
        }) { return e }
    }
    for r in v.routes + v.recordRoutes {
        if let e = same("Route/Record-Route", r.description, { (t: String) throws(SIPParseError) in
            try SIPNameAddress.parseList(t, requireBrackets: true).map(\.description).joined(separator: ", ")
        }) { return e }
    }
    return nil
}


// MARK: Driver

fuzzMain(name: "fuzz-sip-message", violation)
