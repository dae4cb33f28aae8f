// CallController+Line: calls between the PBX and the analog line: emergency numbers and line routes go out
// on the line (the PBX hears the line as early media until the digits are out), and a ringing line becomes
// an INVITE to the configured extension, answered on the line when the PBX answers.
import CallMedia
import Config
import Foundation
import LineCore
import Media
import MediaCore
import NIOCore
import SIPCore
import SIPStack
import SIPTransaction
import Store

/// The analog line as the B2BUA uses it. The box implements it over `Line` (GPIO and the line state
/// machine) and the media engine's line audio.
public protocol CallLinePort: AnyObject {
    /// Whether the line can take a call now (its audio is up and it is idle).
    var isAvailable: Bool { get }
    /// An outgoing call to `digits`: the line's number for it, or why it cannot be made.
    func requestOutgoing(digits: String) -> CallLineAnswer
    /// The PBX answered the call the line offered (the line goes off hook).
    func pbxAnswered(_ id: LineCallID)
    /// The PBX side of a line call ended (BYE, CANCEL, a final error).
    func pbxEnded(_ id: LineCallID)
}

/// The line's answer to an outgoing call request.
public enum CallLineAnswer: Sendable, Hashable {
    case accepted(LineCallID)
    case refused(LineEndCause)
}

/// One call between the PBX and the line. Lives on the event loop.
final class LineCall: @unchecked Sendable {
    let number: Int
    let lineID: LineCallID
    /// Outgoing: the PBX called out over the line; incoming: the line rang and the box called the PBX.
    let direction: CallDirection
    var phase: CallPhase = .calling
    let peer: SIPDestination
    /// Outgoing: the PBX's INVITE and its server transaction; incoming: the box's INVITE.
    var invite: SIPMessage
    var serverKey: SIPTransactionKey?
    let tag: String
    var dialog: SIPDialog?
    var sockets: MediaSocketPair?
    var port: UInt16?
    var localSDP: String = ""
    var remote: MediaEndpoint?
    var media: MediaSessionID?
    var mediaStats: MediaSessionStats?
    var final: SIPMessage?
    var retransmit: Scheduled<Void>?
    var retransmitInterval: TimeAmount = .milliseconds(500)
    var confirmed = false
    let caller: String
    let called: String
    let start = UTCTime.now()
    var answer: UTCTime?
    var cause = 0
    var disposition: CallDisposition = .failed
    /// The echo canceller's enhancement over the call (ERLE, dB), taken when the call ends; nil when the
    /// far end never talked long enough to measure it.
    var echoERLEDB: Double?

    init(number: Int, lineID: LineCallID, direction: CallDirection, peer: SIPDestination, invite: SIPMessage, tag: String,
         caller: String, called: String) {
        self.number = number
        self.lineID = lineID
        self.direction = direction
        self.peer = peer
        self.invite = invite
        self.tag = tag
        self.caller = caller
        self.called = called
    }

    /// One `show calls` line, e.g. `#3 line outgoing 202 -> 911 confirmed 0m12s PCMU ERLE 24.1 dB`.
    func summary(now: UTCTime, echoERLEDB: Double?) -> String {
        let since = answer ?? start
        let seconds = max(0, (now.millisecondsSince1970 - since.millisecondsSince1970) / 1000)
        let secs = seconds % 60
        var line = "#\(number) line \(direction) \(caller) -> \(called) \(phase) \(seconds / 60)m\(secs < 10 ? "0" : "")\(secs)s"
        if let codec = remote?.codec.encodingName { line += " \(codec)" }
        if let erle = echoERLEDB { line += " ERLE \(String(format: "%.1f", erle)) dB" }
        return line
    }
}

extension CallController {
    /// Codecs a line session speaks, in the box's order of preference.
    static let lineCodecs: [(name: String, codec: MediaCodec, pt: UInt8)] = [("PCMU", .pcmu, 0), ("PCMA", .pcma, 8), ("G729", .g729, 18)]

    // MARK: - PBX -> line

    /// An INVITE routed to the line (an emergency number, a line route).
    func startLineCall(_ inbound: SIPInbound, key: SIPTransactionKey, tag: String, offer: SDPSession, digits: String, config: GatewayConfig) {
        let request = inbound.message
        func refuse(_ code: Int, _ why: String) {
            var response = request.response(code, nil, toTag: tag)
            response.headers.add(.reason, "SIP;cause=\(code);text=\"\(why)\"")
            response.headers.add(.server, userAgent)
            transactions.respond(response, to: key)
            environment.log("line call refused: \(code) \(why)")
            recordRefusal(request, direction: .outgoing, profile: "line", caller: ((try? request.headers.from) ?? nil)?.uri.userOrNumber ?? "",
                          called: digits, cause: code, billing: .free)
        }
        guard let line, media != nil else { refuse(503, "the analog line is not available"); return }
        guard let endpoint = try? MediaEndpoint(offer), let choice = Self.lineCodecs.first(where: { $0.name == endpoint.codec.encodingName.uppercased() })
                ?? offer.media.first.flatMap({ m in Self.lineCodecs.first { c in m.codecs.contains { $0.encodingName.uppercased() == c.name } } }) else {
            refuse(488, "the line speaks PCMU, PCMA or G.729 and the offer has none of them")
            return
        }
        let lineID: LineCallID
        switch line.requestOutgoing(digits: digits) {
        case .refused(let cause): refuse(cause.sipStatus, "the analog line: \(cause.rawValue)"); return
        case .accepted(let id): lineID = id
        }
        nextCall += 1
        let peer = SIPDestination(ip: inbound.sourceIP, port: inbound.sourcePort, transport: inbound.transport, side: inbound.side)
        let caller = ((try? request.headers.from) ?? nil)?.uri.userOrNumber ?? ""
        let call = LineCall(number: nextCall, lineID: lineID, direction: .outgoing, peer: peer, invite: request, tag: tag,
                            caller: caller, called: digits)
        call.serverKey = key
        lineCalls[call.number] = call
        lineByServerKey[key] = call.number
        do {
            try openLineMedia(call, remote: endpoint, codec: choice, config: config)
        } catch {
            line.pbxEnded(lineID)
            failLineCall(call, code: 503, why: "no media for the line call: \(error)")
            return
        }
        // The caller hears the line from now on (dial tone, the digits, ringback) as early media.
        var progress = request.response(183, "Session Progress", toTag: tag)
        progress.headers.add(.contact, contact(side: peer.side, transport: peer.transport).description)
        progress.headers.add(.server, userAgent)
        progress.headers.add(.contentType, "application/sdp")
        progress.body = Array(call.localSDP.utf8)
        if call.dialog == nil, let dialog = try? SIPDialog(uas: request, localTag: tag) {
            call.dialog = dialog
            lineDialogs[dialog.key] = call.number
        }
        transactions.respond(progress, to: key)
        call.phase = .early
        environment.log("line call #\(call.number): \(caller) -> \(digits) over the analog line (\(choice.name))")
    }

    /// The line dialled the digits: the call is through (an analog line has no answer signal).
    public func lineConnected(_ id: LineCallID) {
        guard let call = lineCalls.values.first(where: { $0.lineID == id }) else { return }
        if call.direction == .outgoing, call.phase == .early, let key = call.serverKey {
            var ok = call.invite.response(200, toTag: call.tag)
            ok.headers.add(.contact, contact(side: call.peer.side, transport: call.peer.transport).description)
            ok.headers.add(.server, userAgent)
            ok.headers.add(.contentType, "application/sdp")
            ok.body = Array(call.localSDP.utf8)
            call.final = ok
            call.answer = UTCTime.now()
            call.disposition = .answered
            call.cause = 200
            call.phase = .answered
            transactions.respond(ok, to: key)
            lineByServerKey[key] = nil
            call.serverKey = nil
            scheduleLineRetransmit(call)
            environment.log("line call #\(call.number): connected")
        }
    }

    private func scheduleLineRetransmit(_ call: LineCall) {
        guard !call.peer.transport.isReliable else { return }
        let number = call.number
        call.retransmit = eventLoop.scheduleTask(in: call.retransmitInterval) { [weak self] in
            guard let self, let call = self.lineCalls[number], !call.confirmed, let ok = call.final else { return }
            if call.retransmitInterval >= .seconds(16) {
                self.environment.log("line call #\(number): no ACK for the 2xx; ending the call")
                self.endLineCall(call, cause: 408, reason: "no ACK")
                return
            }
            _ = self.transactions.transport.send(ok.serialized(), to: call.peer.ip, port: call.peer.port, transport: call.peer.transport,
                                                 side: call.peer.side, serverName: nil)
            call.retransmitInterval = min(call.retransmitInterval * 2, .seconds(16))
            self.scheduleLineRetransmit(call)
        }
    }

    // MARK: - line -> PBX

    /// The line rings: an INVITE to the extension, with the caller ID the line heard.
    public func lineOffer(_ id: LineCallID, extension ext: String, callerID: CallerID?) {
        let config = environment.config()
        guard let line, media != nil, let address = config.pbx.address else {
            line?.pbxEnded(id)
            environment.log("line ring for \(ext) not offered: \(media == nil ? "no media engine" : "no PBX address")")
            return
        }
        let peer = SIPDestination(ip: address, port: config.pbx.port,
                                  transport: SIPTransportKind(rawValue: config.pbx.transport.rawValue) ?? .udp, side: .lan)
        nextCall += 1
        let caller = callerID?.number ?? "anonymous"
        let tag = makeTag()
        let call = LineCall(number: nextCall, lineID: id, direction: .incoming, peer: peer, invite: SIPMessage.request(.invite, .sip(SIPURI(host: address))),
                            tag: tag, caller: caller, called: ext)
        lineCalls[call.number] = call
        do {
            try openLineMedia(call, remote: nil, codec: Self.lineCodecs[0], config: config)
        } catch {
            lineCalls[call.number] = nil
            line.pbxEnded(id)
            environment.log("line ring for \(ext) not offered: \(error)")
            return
        }
        let local = transactions.transport.localAddress(side: .lan, transport: .udp)
        let host = local?.ipAddress ?? "127.0.0.1"
        var h = SIPHeaders()
        h.add(.maxForwards, "70")
        let display = callerID?.name.map { "\"\($0.replacingOccurrences(of: "\"", with: "'"))\" " } ?? (callerID?.absence.map { "\"\($0.rawValue)\" " } ?? "")
        h.add(.from, "\(display)<sip:\(caller)@\(host)>;tag=\(tag)")
        h.add(.to, "<sip:\(ext)@\(address)>")
        h.add(.callID, makeCallID())
        h.add(.cseq, "1 INVITE")
        h.add(.contact, contact(side: .lan, transport: peer.transport).description)
        h.add(.allow, "INVITE, ACK, CANCEL, BYE, OPTIONS")
        h.add(.userAgent, userAgent)
        if callerID?.number == nil { h.add(.privacy, "id") }
        h.add(.contentType, "application/sdp")
        var uri = SIPURI(user: ext, host: address, port: config.pbx.port)
        if peer.transport == .tcp { uri.parameters.append(SIPParameter("transport", "tcp")) }
        let invite = SIPMessage.request(.invite, .sip(uri), headers: h, body: Array(call.localSDP.utf8))
        call.invite = invite
        let number = call.number
        transactions.request(invite, to: peer, onResponse: { [weak self] response in
            self?.lineInviteResponse(number, response)
        }, onFailure: { [weak self] failure in
            guard let self, let call = self.lineCalls[number], call.phase == .calling || call.phase == .early else { return }
            self.environment.log("line call #\(number): the PBX did not answer (\(failure))")
            call.cause = 408
            line.pbxEnded(call.lineID)
            self.finishLineCall(call)
        })
        environment.log("line call #\(call.number): the line rings, offered to extension \(ext) (caller \(callerID?.number ?? callerID?.absence?.rawValue ?? "unknown"))")
    }

    private func lineInviteResponse(_ number: Int, _ response: SIPMessage) {
        guard let call = lineCalls[number], let code = response.statusCode, let line else { return }
        if code < 200 {
            if code > 100, call.phase == .calling { call.phase = .early }
            return
        }
        if code >= 300 {
            guard call.phase == .calling || call.phase == .early else { return }
            call.cause = code
            call.disposition = Self.disposition(for: code)
            line.pbxEnded(call.lineID)
            finishLineCall(call)
            return
        }
        if call.dialog == nil, let dialog = try? SIPDialog(uac: call.invite, response: response) {
            call.dialog = dialog
            lineDialogs[dialog.key] = number
        }
        if var dialog = call.dialog {
            var ack = dialog.request(.ack, sequence: 1)
            ack.headers.prepend(.via, transactions.via(for: call.peer, branch: transactions.makeBranch()).description)
            transactions.sendStateless(ack, to: call.peer)
        }
        guard call.phase == .calling || call.phase == .early else { return }   // a retransmitted 2xx
        guard let sdp = parseSDP(response), let endpoint = try? MediaEndpoint(sdp),
              let choice = Self.lineCodecs.first(where: { $0.name == endpoint.codec.encodingName.uppercased() }) else {
            call.cause = 488
            endLineCall(call, cause: 488, reason: "the PBX answered without a codec the line speaks")
            return
        }
        call.remote = endpoint
        call.answer = UTCTime.now()
        call.disposition = .answered
        call.cause = 200
        call.phase = .confirmed
        do {
            try startLineSession(call, codec: choice)
        } catch {
            endLineCall(call, cause: 503, reason: "no media for the line call")
            return
        }
        line.pbxAnswered(call.lineID)
        environment.log("line call #\(number): the PBX answered; the line is off hook")
    }

    // MARK: - Both ways

    /// The line ended the call (busy or reorder tone, the caller gave up, the line went down).
    public func lineEnded(_ id: LineCallID, cause: LineEndCause) {
        guard let call = lineCalls.values.first(where: { $0.lineID == id }) else { return }
        environment.log("line call #\(call.number): the line ended it (\(cause.rawValue))")
        switch (call.direction, call.phase) {
        case (.outgoing, .calling), (.outgoing, .early):
            failLineCall(call, code: cause.sipStatus, why: "the analog line: \(cause.rawValue)")
        case (.incoming, .calling), (.incoming, .early):
            // The caller gave up before the PBX answered: CANCEL the INVITE.
            var cancel = SIPMessage.request(.cancel, call.invite.requestURI ?? .sip(SIPURI(host: call.peer.ip)))
            for name in [SIPHeaderName.via, .from, .to, .callID] { if let v = call.invite.headers[name] { cancel.headers.add(name, v) } }
            cancel.headers.add(.cseq, "1 CANCEL")
            cancel.headers.add(.maxForwards, "70")
            transactions.request(cancel, to: call.peer, onResponse: { _ in }, onFailure: { _ in })
            call.cause = 487
            call.disposition = .cancelled
            finishLineCall(call)
        default:
            endLineCall(call, cause: cause == .busyTone || cause == .farEndCleared ? 200 : cause.sipStatus, reason: cause.rawValue)
        }
    }

    /// Requests in a line call's dialog (BYE, re-INVITE, INFO); true when it was one.
    func lineInDialog(_ inbound: SIPInbound, key: SIPTransactionKey, dialogKey: SIPDialogKey) -> Bool {
        guard let number = lineDialogs[dialogKey], let call = lineCalls[number] else { return false }
        let request = inbound.message
        switch request.method {
        case .bye:
            transactions.respond(request.response(200), to: key)
            if call.phase == .calling || call.phase == .early, call.direction == .outgoing, let serverKey = call.serverKey {
                transactions.respond(call.invite.response(487, toTag: call.tag), to: serverKey)
                call.disposition = .cancelled
                call.cause = 487
            } else if call.cause == 0 {
                call.cause = 200
            }
            line?.pbxEnded(call.lineID)
            finishLineCall(call)
        case .invite, .update:
            // Hold or a refresh: the line keeps its audio; answer with the same SDP.
            var ok = request.response(200)
            ok.headers.add(.contact, contact(side: call.peer.side, transport: call.peer.transport).description)
            ok.headers.add(.contentType, "application/sdp")
            ok.body = Array(call.localSDP.utf8)
            transactions.respond(ok, to: key)
        case .info, .options:
            transactions.respond(request.response(200), to: key)
        default:
            transactions.respond(request.response(405, "Method Not Allowed"), to: key)
        }
        return true
    }

    /// A CANCEL for an outgoing line call's INVITE; true when it was one.
    func lineCancel(_ inbound: SIPInbound, key: SIPTransactionKey, inviteKey: SIPTransactionKey) -> Bool {
        guard let number = lineByServerKey[inviteKey], let call = lineCalls[number] else { return false }
        transactions.respond(inbound.message.response(200), to: key)
        if call.phase == .calling || call.phase == .early {
            transactions.respond(call.invite.response(487, toTag: call.tag), to: inviteKey)
            call.cause = 487
            call.disposition = .cancelled
            line?.pbxEnded(call.lineID)
            finishLineCall(call)
        }
        return true
    }

    /// The ACK for a line call's 2xx; true when it was one.
    func lineAck(_ dialogKey: SIPDialogKey) -> Bool {
        guard let number = lineDialogs[dialogKey], let call = lineCalls[number] else { return false }
        call.confirmed = true
        call.retransmit?.cancel()
        if call.phase == .answered { call.phase = .confirmed }
        return true
    }

    private func failLineCall(_ call: LineCall, code: Int, why: String) {
        if let key = call.serverKey {
            var response = call.invite.response(code, toTag: call.tag)
            response.headers.add(.reason, "SIP;cause=\(code);text=\"\(why)\"")
            response.headers.add(.server, userAgent)
            transactions.respond(response, to: key)
        }
        call.cause = code
        call.disposition = Self.disposition(for: code)
        finishLineCall(call)
    }

    /// BYE on the SIP side of an answered line call, then the record.
    private func endLineCall(_ call: LineCall, cause: Int, reason: String) {
        if var dialog = call.dialog, call.answer != nil {
            var bye = dialog.request(.bye)
            call.dialog = dialog
            bye.headers.add(.reason, "SIP;cause=\(cause);text=\"\(reason)\"")
            transactions.request(bye, to: call.peer, onResponse: { _ in }, onFailure: { _ in })
        }
        if call.cause == 0 || call.cause == 200 { call.cause = cause }
        line?.pbxEnded(call.lineID)
        finishLineCall(call)
    }

    /// Ends every line call (the box is stopping).
    func endAllLineCalls(reason: String) {
        for call in lineCalls.values where call.phase != .ended {
            if call.answer == nil && call.direction == .outgoing { failLineCall(call, code: 503, why: reason) }
            else { endLineCall(call, cause: 503, reason: reason) }
        }
    }

    /// Releases the call's media and writes its record.
    func finishLineCall(_ call: LineCall) {
        guard call.phase != .ended else { return }
        if call.answer != nil, let erle = media?.lineStatus.dsp?.echoERLEAverageDB {
            call.echoERLEDB = erle
            environment.log("line call #\(call.number): echo canceller ERLE \(String(format: "%.1f", erle)) dB over the call")
        }
        call.phase = .ended
        call.retransmit?.cancel()
        if let key = call.serverKey { lineByServerKey[key] = nil }
        if let dialog = call.dialog {
            let key = dialog.key
            eventLoop.scheduleTask(in: .seconds(32)) { [weak self] in self?.lineDialogs[key] = nil }
        }
        if let id = call.media, let media {
            try? media.destroySession(id)
            lineEnding[id] = call
        } else {
            call.sockets?.close()
            lineCalls[call.number] = nil
            writeLineRecord(call)
        }
        if let port = call.port { ports?.release(port, now: portClock()) }
        call.port = nil
    }

    /// Called from the media poll when a line session's final statistics arrive.
    func lineSessionDestroyed(_ id: MediaSessionID, stats: MediaSessionStats) -> Bool {
        guard let call = lineEnding.removeValue(forKey: id) else { return false }
        call.mediaStats = stats
        lineCalls[call.number] = nil
        writeLineRecord(call)
        return true
    }

    private func writeLineRecord(_ call: LineCall) {
        let stats = call.mediaStats?.a
        // The line side adds no network delay: the RTP leg's round trip is the call's.
        let leg = Self.callLegStats(stats, codec: call.remote?.codec.encodingName)
        let record = CallRecord(callID: call.invite.headers[.callID] ?? "line-\(call.number)", profile: "line", direction: call.direction,
                                caller: call.caller, called: call.called, onlineNumber: nil,
                                pbxExtension: call.direction == .incoming ? call.called : call.caller,
                                start: call.start, answer: call.answer, end: UTCTime.now(),
                                disposition: call.answer != nil ? .answered : call.disposition, sipCause: call.cause == 0 ? 200 : call.cause,
                                billing: .free, codec: call.remote?.codec.encodingName, srtp: false, pbxLeg: leg, trunkLeg: nil,
                                echoERLEDB: call.echoERLEDB.flatMap { $0.isFinite ? (min(100, max(-100, $0)) * 10).rounded() / 10 : nil })
        let loop = eventLoop
        environment.writeRecord(record) { [weak self] in loop.execute { self?.counts.recordsWritten += 1 } }
    }

    // MARK: - Media

    /// One RTP port pair on the PBX side and the box's SDP for it; the session starts when the far end is known.
    private func openLineMedia(_ call: LineCall, remote: MediaEndpoint?, codec: (name: String, codec: MediaCodec, pt: UInt8), config: GatewayConfig) throws {
        let range = config.media.rtpPortLow...config.media.rtpPortHigh
        if ports == nil {
            guard let low = UInt16(exactly: range.lowerBound), let high = UInt16(exactly: range.upperBound),
                  let allocator = try? RTPPortAllocator(range: low...high, restTime: .seconds(4)) else {
                throw CallSetupError(503, "the RTP port range \(range) is not usable")
            }
            ports = allocator
            portRange = range
        }
        let ip = transactions.transport.localAddress(side: call.peer.side, transport: .udp)?.ipAddress ?? "127.0.0.1"
        let now = portClock()
        ports!.advance(to: now)
        var pair: MediaSocketPair?
        for _ in 0..<8 where pair == nil {
            guard let p = ports!.allocate(now: now) else { throw CallSetupError(503, "no free RTP ports") }
            guard let address = MediaAddress(ip, port: p.rtp) else { throw CallSetupError(503, "bad media address \(ip)") }
            pair = try? MediaSocketPair.open(local: address, rtcpMux: false)
            if pair != nil { call.port = p.rtp } else { ports!.release(p.rtp, now: now) }
        }
        guard let pair else { throw CallSetupError(503, "cannot bind RTP sockets") }
        call.sockets = pair
        let id = UInt32.random(in: 1...UInt32.max)
        let formats: [(UInt8, String)] = remote == nil
            ? Self.lineCodecs.map { ($0.pt, "\($0.name)/8000") } + [(101, "telephone-event/8000")]
            : [(remote.map { UInt8(exactly: $0.codec.payloadType) ?? codec.pt } ?? codec.pt, "\(codec.name)/8000")]
                + (remote?.telephoneEvent.map { [(UInt8(exactly: $0.payloadType) ?? 101, "telephone-event/8000")] } ?? [])
        var sdp = "v=0\r\no=trunkbox \(id) 1 IN IP4 \(ip)\r\ns=trunkbox analog line\r\nc=IN IP4 \(ip)\r\nt=0 0\r\n"
        sdp += "m=audio \(pair.local.port) RTP/AVP \(formats.map { String($0.0) }.joined(separator: " "))\r\n"
        for (pt, name) in formats { sdp += "a=rtpmap:\(pt) \(name)\r\n" }
        if formats.contains(where: { $0.1.hasPrefix("G729") }) { sdp += "a=fmtp:\(formats.first { $0.1.hasPrefix("G729") }!.0) annexb=no\r\n" }
        if let te = formats.first(where: { $0.1.hasPrefix("telephone-event") }) { sdp += "a=fmtp:\(te.0) 0-16\r\n" }
        sdp += "a=ptime:20\r\na=sendrecv\r\n"
        call.localSDP = sdp
        if let remote {
            call.remote = remote
            try startLineSession(call, codec: codec)
        }
    }

    /// The line session: the PBX's RTP on one side, the line's audio on the other.
    private func startLineSession(_ call: LineCall, codec: (name: String, codec: MediaCodec, pt: UInt8)) throws {
        guard let media, let sockets = call.sockets, let remote = call.remote else { return }
        var rtp = MediaLegConfiguration(sockets: sockets, remote: MediaAddress(remote.address, port: remote.rtpPort))
        rtp.remoteRTCP = MediaAddress(remote.rtcpAddress, port: remote.rtcpPort)
        rtp.telephoneEventPayloadType = remote.telephoneEvent.flatMap { UInt8(exactly: $0.payloadType) }
        let line = LineLegConfiguration(codec: codec.codec, payloadType: UInt8(exactly: remote.codec.payloadType) ?? codec.pt)
        do {
            call.media = try media.createLineSession(rtp: rtp, line: line)
            startMediaPoll()
        } catch {
            sockets.close()
            call.sockets = nil
            throw CallSetupError(503, "the media engine refused the line session: \(error)")
        }
    }
}
