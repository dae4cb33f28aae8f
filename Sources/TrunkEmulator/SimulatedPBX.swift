// SimulatedPBX: the office's phone system for the demo and tests: extensions that place calls to the box
// (INVITE with G.711 SDP, ACK, BYE) and answer the calls the box delivers, each phone playing a 600 Hz
// tone and listening for the far end's. A plain UA on the project's SIP stack, on one event loop.
import Foundation
import NIOCore
import SIPCore
import SIPStack
import SIPTransaction

/// One call as the PBX saw it.
public struct PBXCallInfo: Sendable {
    public enum Direction: String, Sendable { case outgoing, incoming }
    public var id: Int
    public var direction: Direction
    /// Outgoing: the calling extension; incoming: the caller as the PBX was shown it (From user).
    public var from: String
    /// Outgoing: the dialled number; incoming: the Request-URI user (the extension the box chose).
    public var to: String
    /// The final status of the INVITE (0 while none), its reason phrase and Reason header.
    public var status: Int = 0
    public var reasonPhrase: String = ""
    public var reasonHeader: String?
    public var retryAfter: String?
    /// Provisional responses seen (outgoing) in order, e.g. [100, 180].
    public var provisional: [Int] = []
    /// Incoming: the P-Asserted-Identity the box sent, if any.
    public var assertedIdentity: String?
    public var answered = false
    public var ended = false
    /// Who ended it: "pbx" or "box".
    public var endedBy: String?
    public var media: FarEndMediaStats?
    public var codec: String?
}

public final class SimulatedPBX: @unchecked Sendable {
    public let transactions: SIPTransactionLayer
    /// Where the box listens for the PBX.
    public let box: SIPDestination
    let mediaIP: String
    let rtpPorts: ClosedRange<Int>
    let domain: String
    let log: @Sendable (String) -> Void
    var eventLoop: any EventLoop { transactions.eventLoop }

    // Event-loop state.
    final class Call: @unchecked Sendable {   // event loop only
        var info: PBXCallInfo
        var invite: SIPMessage?
        var dialog: SIPDialog?
        var serverKey: SIPTransactionKey?
        var media: FarEndMedia?
        var confirmed = false
        var timers: [Scheduled<Void>] = []
        var finalPromise: EventLoopPromise<PBXCallInfo>?
        init(info: PBXCallInfo) { self.info = info }
    }
    var calls: [Int: Call] = [:]
    var dialogs: [SIPDialogKey: Int] = [:]
    var nextCall = 1
    var nextPort = 0
    /// How long a phone rings before it answers, and whether phones answer at all.
    public var ringMilliseconds: Int64 = 300
    public var answersCalls = true

    public init(transactions: SIPTransactionLayer, box: SIPDestination, mediaIP: String, rtpPorts: ClosedRange<Int>,
                domain: String = "pbx.example", log: @escaping @Sendable (String) -> Void) {
        self.transactions = transactions
        self.box = box
        self.mediaIP = mediaIP
        self.rtpPorts = rtpPorts
        self.domain = domain
        self.log = log
        transactions.onRequest = { [weak self] inbound, key in self?.request(inbound, key: key) }
        transactions.onAckForDialog = { [weak self] inbound in self?.ack(inbound) }
    }

    /// Listens for the box's requests (UDP).
    public func start(host: String, port: Int) -> EventLoopFuture<SocketAddress> {
        transactions.transport.listen(.init(side: .lan, transport: .udp, host: host, port: port))
    }

    var contact: String {
        let a = transactions.transport.localAddress(side: .lan, transport: .udp)
        return "sip:pbx@\(a?.ipAddress ?? mediaIP):\(a?.port ?? 5060)"
    }

    func tag() -> String { String(UInt64.random(in: 1...UInt64.max), radix: 36) }

    func makeMedia() throws -> FarEndMedia {
        let m = try FarEndMedia(localIP: mediaIP, ports: rtpPorts, startAt: nextPort)
        nextPort += 1
        return m
    }

    func offer(port: Int) -> String {
        FarEndSDP.lines(ip: mediaIP, port: port, formats: [(0, "PCMU/8000"), (8, "PCMA/8000"), (101, "telephone-event/8000")],
                        srtp: nil, g729: nil, dtmf: 101)
    }

    /// The phone's audio: 600 Hz for the whole call, no echo, listening for every tone.
    func startMedia(_ call: Call, _ a: FarEndSDP.Agreement) {
        call.info.codec = a.codec.rawValue
        call.media?.start(FarEndMediaPlan(codec: a.codec, payloadType: a.payloadType, telephoneEventPT: a.telephoneEventPT,
                                          remoteIP: a.remoteIP, remotePort: a.remotePort, sendKey: nil, receiveKey: nil,
                                          toneSeconds: 3600, toneFrequency: 600, echoes: false))
    }

    // MARK: - Calls the PBX places

    /// Extension `from` dials `number`; the future completes with the INVITE's final answer.
    public func call(from: String, to number: String) -> EventLoopFuture<PBXCallInfo> {
        eventLoop.flatSubmit { [self] in
            let call = Call(info: PBXCallInfo(id: nextCall, direction: .outgoing, from: from, to: number))
            nextCall += 1
            calls[call.info.id] = call
            let promise = eventLoop.makePromise(of: PBXCallInfo.self)
            call.finalPromise = promise
            let media: FarEndMedia
            do { media = try makeMedia() } catch {
                call.info.status = 500; call.info.reasonPhrase = "no RTP port"; call.info.ended = true
                promise.succeed(call.info)
                return promise.futureResult
            }
            call.media = media
            var h = SIPHeaders()
            h.add(.maxForwards, "70")
            h.add(.from, "<sip:\(from)@\(domain)>;tag=\(tag())")
            h.add(.to, "<sip:\(number)@\(domain)>")
            h.add(.callID, "\(tag())\(tag())@\(domain)")
            h.add(.cseq, "1 INVITE")
            h.add(.contact, "<\(contact)>")
            h.add(.allow, "INVITE, ACK, CANCEL, BYE, OPTIONS")
            h.add(.userAgent, "simulated PBX (trunkbox demo)")
            h.add(.contentType, "application/sdp")
            let uri = (try? URI.parse("sip:\(number)@\(box.ip):\(box.port)")) ?? .sip(SIPURI(user: number, host: box.ip, port: box.port))
            let invite = SIPMessage.request(.invite, uri, headers: h, body: Array(offer(port: media.localPort).utf8))
            call.invite = invite
            transactions.request(invite, to: box, onResponse: { [weak self] response in
                self?.response(call, response)
            }, onFailure: { [weak self] failure in
                guard let self, call.info.status == 0 else { return }
                call.info.status = 408; call.info.reasonPhrase = "no answer from the box (\(failure))"; call.info.ended = true
                call.media?.stop()
                self.finish(call)
            })
            log("PBX: extension \(from) dials \(number)")
            return promise.futureResult
        }
    }

    func response(_ call: Call, _ response: SIPMessage) {
        guard let code = response.statusCode, let invite = call.invite else { return }
        if code < 200 { call.info.provisional.append(code); return }
        if code >= 300 {
            guard call.info.status == 0 else { return }
            call.info.status = code
            call.info.reasonPhrase = response.reasonPhrase ?? ""
            call.info.reasonHeader = response.headers[.reason]
            call.info.retryAfter = response.headers[.retryAfter]
            call.info.ended = true
            call.media?.stop()
            finish(call)
            return
        }
        // 2xx: ACK every copy; the first sets up the dialog and the phone's audio.
        if call.dialog == nil, let dialog = try? SIPDialog(uac: invite, response: response) {
            call.dialog = dialog
            dialogs[dialog.key] = call.info.id
        }
        guard var dialog = call.dialog else { return }
        var ack = dialog.request(.ack, sequence: 1)
        ack.headers.prepend(.via, transactions.via(for: box, branch: transactions.makeBranch()).description)
        transactions.sendStateless(ack, to: box)
        guard call.info.status == 0 else { return }
        call.info.status = code
        call.info.reasonPhrase = response.reasonPhrase ?? ""
        call.info.answered = true
        call.confirmed = true
        if let sdp = try? SDPSession(parsing: response.body), case .success(let a) = FarEndSDP.agree(sdp, srtp: false) {
            startMedia(call, a)
        } else {
            log("PBX: call \(call.info.id): the 200 carries no usable SDP")
        }
        finish(call)
    }

    func finish(_ call: Call) {
        call.finalPromise?.succeed(call.info)
        call.finalPromise = nil
    }

    /// The PBX hangs up call `id` (BYE when answered).
    public func hangup(_ id: Int) -> EventLoopFuture<PBXCallInfo?> {
        eventLoop.submit { [self] in
            guard let call = calls[id], !call.info.ended else { return calls[id]?.info }
            if call.info.answered, var dialog = call.dialog {
                let bye = dialog.request(.bye)
                call.dialog = dialog
                transactions.request(bye, to: box, onResponse: { _ in }, onFailure: { _ in })
            }
            end(call, by: "pbx")
            return call.info
        }
    }

    func end(_ call: Call, by who: String) {
        guard !call.info.ended || call.info.endedBy == nil else { return }
        call.info.ended = true
        call.info.endedBy = who
        call.timers.forEach { $0.cancel() }
        call.timers = []
        call.media?.stop()
        call.info.media = call.media?.stats
    }

    /// A call's state now (media counters included).
    public func info(_ id: Int) -> PBXCallInfo? {
        try? eventLoop.submit { [self] () -> PBXCallInfo? in
            guard let call = calls[id] else { return nil }
            var info = call.info
            if !info.ended { info.media = call.media?.stats }
            return info
        }.wait()
    }

    /// Every call so far, oldest first.
    public func allCalls() -> [PBXCallInfo] {
        (try? eventLoop.submit { [self] in calls.keys.sorted().compactMap { id -> PBXCallInfo? in
            guard let call = calls[id] else { return nil }
            var info = call.info
            if !info.ended { info.media = call.media?.stats }
            return info
        } }.wait()) ?? []
    }

    // MARK: - Calls the box delivers

    func request(_ inbound: SIPInbound, key: SIPTransactionKey) {
        let request = inbound.message
        switch request.method {
        case .options:
            transactions.respond(request.response(200, toTag: tag()), to: key)
        case .invite:
            if let dk = SIPDialogKey(receivedRequest: request) {
                if let n = dialogs[dk], let call = calls[n] { reinvite(call, inbound, key: key) }
                else { transactions.respond(request.response(481), to: key) }
            } else {
                incoming(inbound, key: key)
            }
        case .bye:
            guard let dk = SIPDialogKey(receivedRequest: request), let n = dialogs[dk], let call = calls[n] else {
                transactions.respond(request.response(481), to: key); return
            }
            transactions.respond(request.response(200), to: key)
            log("PBX: call \(call.info.id): the box hung up")
            end(call, by: "box")
        case .cancel:
            let match = calls.values.first { $0.serverKey != nil && $0.invite?.headers[.callID] == request.headers[.callID] && !$0.info.answered }
            transactions.respond(request.response(200), to: key)
            if let call = match, let invite = call.invite, let serverKey = call.serverKey {
                transactions.respond(invite.response(487, toTag: call.dialog?.localTag ?? tag()), to: serverKey)
                call.serverKey = nil
                call.info.status = 487
                end(call, by: "box")
            }
        default:
            transactions.respond(request.response(405), to: key)
        }
    }

    func incoming(_ inbound: SIPInbound, key: SIPTransactionKey) {
        let request = inbound.message
        let toTag = tag()
        let ext: String
        if case .sip(let u) = request.requestURI, let user = u.user { ext = user } else { ext = "?" }
        let from = ((try? request.headers.from) ?? nil)?.uri.userOrNumber ?? "anonymous"
        let call = Call(info: PBXCallInfo(id: nextCall, direction: .incoming, from: from, to: ext))
        nextCall += 1
        calls[call.info.id] = call
        call.invite = request
        call.serverKey = key
        call.info.assertedIdentity = request.headers[.pAssertedIdentity]
        guard answersCalls else {
            transactions.respond(request.response(486, toTag: toTag), to: key)
            call.info.status = 486
            end(call, by: "pbx")
            return
        }
        guard let sdp = try? SDPSession(parsing: request.body), case .success(let agreement) = FarEndSDP.agree(sdp, srtp: false),
              let media = try? makeMedia(), let dialog = try? SIPDialog(uas: request, localTag: toTag) else {
            transactions.respond(request.response(488, toTag: toTag), to: key)
            call.info.status = 488
            end(call, by: "pbx")
            return
        }
        call.media = media
        call.dialog = dialog
        dialogs[dialog.key] = call.info.id
        var ringing = request.response(180, toTag: toTag)
        ringing.headers.add(.contact, "<\(contact)>")
        transactions.respond(ringing, to: key)
        log("PBX: extension \(ext) rings (caller \(from))")
        call.timers.append(eventLoop.scheduleTask(in: .milliseconds(ringMilliseconds)) { [weak self] in
            guard let self, !call.info.ended, let serverKey = call.serverKey else { return }
            var ok = request.response(200, toTag: toTag)
            ok.headers.add(.contact, "<\(self.contact)>")
            ok.headers.add(.contentType, "application/sdp")
            ok.body = Array(FarEndSDP.answer(ip: self.mediaIP, port: media.localPort, agreement: agreement, ourKey: nil).utf8)
            self.transactions.respond(ok, to: serverKey)
            call.serverKey = nil
            call.info.status = 200
            call.info.answered = true
            self.startMedia(call, agreement)
            self.log("PBX: extension \(ext) answers")
            self.retransmit(call, ok, to: SIPDestination(ip: inbound.sourceIP, port: inbound.sourcePort, transport: inbound.transport, side: .lan),
                            interval: 500)
        })
    }

    /// RFC 3261 §13.3.1.4: the 2xx again (T1 doubling, at most T2) until the ACK; no ACK in 32 s ends the call.
    func retransmit(_ call: Call, _ ok: SIPMessage, to peer: SIPDestination, interval: Int64, elapsed: Int64 = 0) {
        guard elapsed < 32_000 else {
            log("PBX: call \(call.info.id): no ACK for the 200 in 32 s")
            _ = hangup(call.info.id)
            return
        }
        call.timers.append(eventLoop.scheduleTask(in: .milliseconds(interval)) { [weak self] in
            guard let self, !call.confirmed, !call.info.ended else { return }
            _ = self.transactions.transport.send(ok.serialized(), to: peer.ip, port: peer.port, transport: peer.transport, side: .lan, serverName: nil)
            self.retransmit(call, ok, to: peer, interval: min(interval * 2, 4000), elapsed: elapsed + interval)
        })
    }

    func ack(_ inbound: SIPInbound) {
        guard let dk = SIPDialogKey(receivedRequest: inbound.message), let n = dialogs[dk], let call = calls[n] else { return }
        call.confirmed = true
    }

    /// A re-INVITE (a session refresh from the box): the same SDP again.
    func reinvite(_ call: Call, _ inbound: SIPInbound, key: SIPTransactionKey) {
        guard var dialog = call.dialog, dialog.accept(inbound.message) else {
            transactions.respond(inbound.message.response(500), to: key); return
        }
        call.dialog = dialog
        var ok = inbound.message.response(200)
        ok.headers.add(.contact, "<\(contact)>")
        if let port = call.media?.localPort {
            ok.headers.add(.contentType, "application/sdp")
            ok.body = Array(offer(port: port).utf8)
        }
        transactions.respond(ok, to: key)
    }

    /// Hangs up every live call and closes the listener.
    public func shutdown() {
        try? eventLoop.submit { [self] in
            for call in calls.values where !call.info.ended { _ = hangup(call.info.id) }
        }.wait()
    }
}
