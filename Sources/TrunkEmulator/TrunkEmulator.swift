// TrunkEmulator: the Skype Connect trunk on the wire: registrar (digest, every request challenged) and IP
// authentication, OPTIONS, outgoing calls from the box (407, then the books' checks, a far end that rings,
// answers, plays a tone and echoes), incoming calls to the profiles' Online Numbers and Skype Names, and the
// control commands. The rules live in TrunkEmulatorCore; this file is the thin SIP driver on one event loop.
import Foundation
import Media
import NIOCore
import SIPCore
import SIPStack
import SIPTransaction
import TrunkEmulatorCore

/// One emulated call, on the event loop.
final class EmulatorCall: @unchecked Sendable {
    let id: Int
    let profile: EmulatorProfile
    let direction: CallDirection
    let from: String
    let to: String
    let start: Int64
    var answer: Int64?
    var grant: CallGrant?
    var dialog: SIPDialog?
    /// Outgoing (box → trunk): the INVITE's server transaction until the final answer.
    var serverKey: SIPTransactionKey?
    var inviteRequest: SIPMessage?
    var finalResponse: SIPMessage?
    var confirmed = false
    var ended = false
    var media: FarEndMedia?
    var localSDP: String?
    var timers: [Scheduled<Void>] = []
    /// Incoming (trunk → box): what is needed to CANCEL.
    var clientBranch: String?
    var destination: SIPDestination?
    var shownCallerID: String?

    init(id: Int, profile: EmulatorProfile, direction: CallDirection, from: String, to: String, start: Int64) {
        self.id = id; self.profile = profile; self.direction = direction; self.from = from; self.to = to; self.start = start
    }
}

/// What the trunk saw of one call, once it ended.
public struct EmulatorCallSummary: Sendable {
    public var id: Int
    public var profile: String
    public var direction: CallDirection
    public var from: String
    public var to: String
    public var shownCallerID: String?
    public var outcome: CallOutcome
    public var status: Int
    public var srtp: Bool
    /// The signalling transport of the call (`udp`, `tls`).
    public var transport: String
    public var media: FarEndMediaStats?
}

public final class TrunkEmulator: @unchecked Sendable {
    public let config: EmulatorConfig
    public let transactions: SIPTransactionLayer
    var eventLoop: any EventLoop { transactions.eventLoop }
    let log: @Sendable (String) -> Void
    let clock: @Sendable () -> Int64

    // Event-loop state.
    public private(set) var accounts: TrunkAccounts
    public private(set) var registrar = TrunkRegistrar()
    var nonces = NonceBook()
    var calls: [Int: EmulatorCall] = [:]
    var dialogs: [SIPDialogKey: Int] = [:]
    var byServerKey: [SIPTransactionKey: Int] = [:]
    var nextCall = 1
    var nextPort = 0
    /// The calls that ended, newest last (at most 200), for tests and the demo.
    public private(set) var finished: [EmulatorCallSummary] = []
    /// Counters for tests and `status`.
    public private(set) var challenges = (registration: 0, invite: 0)

    public init(config: EmulatorConfig, transactions: SIPTransactionLayer, log: @escaping @Sendable (String) -> Void,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.config = config
        self.transactions = transactions
        self.log = log
        self.clock = clock
        self.accounts = TrunkAccounts(config: config)
        transactions.onRequest = { [weak self] inbound, key in self?.request(inbound, key: key) }
        transactions.onAckForDialog = { [weak self] inbound in self?.ack(inbound) }
    }

    /// Listens on every `listen` of the config; returns the bound addresses.
    public func start() -> EventLoopFuture<[SocketAddress]> {
        let futures = config.listens.map { l in
            transactions.transport.listen(.init(side: .wan, transport: l.transport == "tls" ? .tls : .udp, host: l.host, port: l.port))
        }
        return EventLoopFuture.whenAllSucceed(futures, on: eventLoop)
    }

    var mediaIP: String { config.mediaAddress ?? config.listens.first?.host ?? "127.0.0.1" }
    var now: Int64 { clock() }

    // MARK: - Requests

    func request(_ inbound: SIPInbound, key: SIPTransactionKey) {
        let request = inbound.message
        switch request.method {
        case .register: register(inbound, key: key)
        case .options: respond(request.response(200, toTag: tag()), key: key, extra: [(.allow, "INVITE, ACK, CANCEL, BYE, OPTIONS")])
        case .invite:
            if let dk = SIPDialogKey(receivedRequest: request), let n = dialogs[dk], let call = calls[n] {
                reinvite(call, inbound, key: key)
            } else if SIPDialogKey(receivedRequest: request) != nil {
                respond(request.response(481), key: key)
            } else {
                newOutgoing(inbound, key: key)
            }
        case .cancel: cancel(inbound, key: key)
        case .bye:
            guard let dk = SIPDialogKey(receivedRequest: request), let n = dialogs[dk], let call = calls[n] else {
                respond(request.response(481), key: key); return
            }
            respond(request.response(200), key: key)
            log("call #\(call.id): the other side hung up (BYE)")
            end(call, outcome: call.answer == nil ? .unanswered : .answered, status: 200)
        default:
            if let dk = SIPDialogKey(receivedRequest: request), dialogs[dk] != nil {
                respond(request.response(200), key: key)
            } else {
                respond(request.response(405, toTag: tag()), key: key, extra: [(.allow, "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER")])
            }
        }
    }

    func respond(_ response: SIPMessage, key: SIPTransactionKey, extra: [(SIPHeaderName, String)] = []) {
        var r = response
        for (name, value) in extra { r.headers.add(name, value) }
        r.headers.add(.server, "Skype Connect emulator (trunkbox)")
        transactions.respond(r, to: key)
    }

    func tag() -> String { String(UInt64.random(in: 1...UInt64.max), radix: 36) }

    // MARK: - Digest

    enum AuthResult { case ok, challenged, wrong }

    /// Checks Authorization (REGISTER) or Proxy-Authorization (INVITE); on failure answers 401/407 with
    /// Challenges for a fresh nonce, one per configured algorithm (MD5 only by default, as the service of
    /// 2011 did: older devices, such as Debian 12's baresip, give up on a set that holds any other).
    func authenticate(_ request: SIPMessage, key: SIPTransactionKey, profile: EmulatorProfile, proxy: Bool) -> AuthResult {
        let offered = ((try? (proxy ? request.headers.proxyAuthorization : request.headers.authorization)) ?? [])
            .filter { $0.realm == config.realm }
        var stale = false
        var wrong = false
        let method = request.method?.rawValue ?? ""
        for credentials in offered {
            guard let last = nonces.lastCount(credentials.nonce, now: now) else { stale = true; continue }
            let verifier = DigestVerifier(realm: config.realm, nonce: credentials.nonce, algorithms: [.sha256, .md5], qopOptions: [.auth])
            switch verifier.verify(credentials, username: profile.sipUser, secret: .password(profile.password), method: method,
                                   lastNonceCount: last) {
            case .accepted(let count):
                nonces.accept(credentials.nonce, count: count ?? last)
                return .ok
            default:
                wrong = true
            }
        }
        let nonce = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        nonces.issue(nonce, now: now)
        var challenge = request.response(proxy ? 407 : 401, toTag: tag())
        for algorithm in config.digestAlgorithms {
            challenge.headers.add(proxy ? .proxyAuthenticate : .wwwAuthenticate,
                                  "Digest realm=\"\(config.realm)\", nonce=\"\(nonce)\", algorithm=\(algorithm), qop=\"auth\"\(stale && !wrong ? ", stale=true" : "")")
        }
        respond(challenge, key: key)
        if proxy { challenges.invite += 1 } else { challenges.registration += 1 }
        return wrong ? .wrong : .challenged
    }

    // MARK: - Registrar

    func register(_ inbound: SIPInbound, key: SIPTransactionKey) {
        let request = inbound.message
        let user = ((try? request.headers.to) ?? nil)?.uri.userOrNumber ?? ""
        guard let profile = accounts.profile(sipUser: user) else {
            respond(request.response(404, "No such SIP Profile", toTag: tag()), key: key)
            log("REGISTER from \(inbound.sourceIP):\(inbound.sourcePort) for unknown user \(user): 404")
            return
        }
        guard profile.auth == .registration else {
            respond(request.response(403, "Profile uses IP authentication", toTag: tag()), key: key)
            return
        }
        switch authenticate(request, key: key, profile: profile, proxy: false) {
        case .challenged: return
        case .wrong:
            log("REGISTER \(profile.name) (\(user)): wrong credentials, challenged again (401)")
            return
        case .ok: break
        }
        let contacts = (try? request.headers.contacts) ?? []
        let contact = contacts.first?.address
        let expires: Int64? = contacts.first?.expires.map(Int64.init) ?? ((try? request.headers.expires) ?? nil).map(Int64.init)
        let isWildcard = request.headers[.contact]?.trimmingCharacters(in: .whitespaces) == "*"
        let update = registrar.register(user: user, contact: isWildcard ? nil : contact?.uri.description,
                                        expires: isWildcard ? 0 : expires, sourceIP: inbound.sourceIP, sourcePort: inbound.sourcePort,
                                        transport: inbound.transport.rawValue, now: now)
        var ok = request.response(200, toTag: tag())
        switch update {
        case .tooBrief:
            respond(request.response(423, toTag: tag()), key: key, extra: [(.minExpires, "\(TrunkRegistrar.minExpires)")])
            return
        case .bound(let granted):
            if let contact { ok.headers.add(.contact, "<\(contact.uri)>;expires=\(granted)") }
            log("REGISTER \(profile.name) (\(user)) from \(inbound.sourceIP):\(inbound.sourcePort): bound \(contact.map { "\($0.uri)" } ?? "") for \(granted) s")
        case .removed:
            log("REGISTER \(profile.name) (\(user)): binding removed")
        }
        respond(ok, key: key, extra: [(.date, Self.httpDate())])
    }

    static func httpDate() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: Date())
    }

    // MARK: - Outgoing calls (from the box)

    func newOutgoing(_ inbound: SIPInbound, key: SIPTransactionKey) {
        let request = inbound.message
        let from = (try? request.headers.from) ?? nil
        let fromUser = from?.uri.userOrNumber ?? ""
        let dialled = request.requestURI?.userOrNumber ?? ""
        // Who is calling: an IP-authenticated profile by source address, else the From user with digest.
        let byIP = accounts.order.compactMap { accounts.profile(named: $0) }.first { p in
            if case .ip(let address, let port) = p.auth { return address == inbound.sourceIP && (port == nil || port == inbound.sourcePort) }
            return false
        }
        let profile: EmulatorProfile
        if let byIP {
            profile = byIP
        } else {
            guard let p = accounts.profile(sipUser: fromUser), p.auth == .registration else {
                respond(request.response(403, "Unknown SIP user", toTag: tag()), key: key,
                        extra: [(.reason, "SIP;cause=403;text=\"From must carry a SIP Profile's user name\"")])
                log("INVITE from \(inbound.sourceIP):\(inbound.sourcePort) with From user '\(fromUser)': no such SIP Profile (403)")
                return
            }
            switch authenticate(request, key: key, profile: p, proxy: true) {
            case .challenged: return
            case .wrong:
                log("INVITE \(p.name) to \(dialled): wrong credentials, challenged again (407)")
                return
            case .ok: profile = p
            }
        }
        let offered = ((try? request.headers.pAssertedIdentity) ?? []).first?.uri.userOrNumber ?? from?.decodedDisplayName
        let toTag = tag()
        func refuse(_ status: Int, _ text: String, outcome: CallOutcome) {
            respond(request.response(status, toTag: toTag), key: key,
                    extra: [(.reason, "SIP;cause=\(status);text=\"\(text)\"")])
            accounts.refused(profile: profile.name, direction: .outgoing, from: profile.sipUser, to: dialled, at: now,
                             refusal: CallRefusal(status: status, reason: text, outcome: outcome))
            log("call to \(dialled) on \(profile.name) refused: \(status) \(text)")
        }
        // The offer must suit the profile before any books are touched.
        guard let sdp = try? SDPSession(parsing: request.body) else {
            refuse(488, "an SDP offer is required", outcome: .failed); return
        }
        let agreement: FarEndSDP.Agreement
        switch FarEndSDP.agree(sdp, srtp: profile.srtp) {
        case .failure(let e): refuse(488, e.description, outcome: .failed); return
        case .success(let a): agreement = a
        }
        let grant: CallGrant
        switch accounts.authorizeOutgoing(profile: profile.name, requestUser: dialled, offeredCallerID: offered, at: now) {
        case .failure(let refusal):
            respond(request.response(refusal.status, toTag: toTag), key: key,
                    extra: [(.reason, "SIP;cause=\(refusal.status);text=\"\(refusal.reason)\"")]
                        + (refusal.status == 503 ? [(.retryAfter, "30")] : []))
            accounts.refused(profile: profile.name, direction: .outgoing, from: profile.sipUser, to: dialled, at: now, refusal: refusal)
            log("call to \(dialled) on \(profile.name) refused: \(refusal)")
            return
        case .success(let g): grant = g
        }
        let call = EmulatorCall(id: nextCall, profile: profile, direction: .outgoing, from: profile.sipUser, to: grant.number, start: now)
        nextCall += 1
        call.grant = grant
        call.serverKey = key
        call.inviteRequest = request
        // In-dialog requests go back the way the INVITE came (the box's TLS connection, say).
        call.destination = SIPDestination(ip: inbound.sourceIP, port: inbound.sourcePort, transport: inbound.transport, side: .wan)
        call.shownCallerID = grant.callerID.shown
        calls[call.id] = call
        byServerKey[key] = call.id
        let media: FarEndMedia
        do {
            media = try FarEndMedia(localIP: mediaIP, ports: config.rtpPorts, startAt: nextPort)
            nextPort += 1
        } catch {
            respond(request.response(500, toTag: toTag), key: key)
            end(call, outcome: .failed, status: 500)
            return
        }
        call.media = media
        guard var dialog = try? SIPDialog(uas: request, localTag: toTag) else {
            respond(request.response(400, toTag: toTag), key: key)
            end(call, outcome: .failed, status: 400)
            return
        }
        dialog.localSequence = 0
        call.dialog = dialog
        dialogs[dialog.key] = call.id
        let ourKey = profile.srtp ? try? SRTPKeyMaterial.random(suite: .aesCM128HmacSHA1_80) : nil
        call.localSDP = FarEndSDP.answer(ip: mediaIP, port: media.localPort, agreement: agreement, ourKey: ourKey)
        let seen = grant.callerID.replaced ? "\(grant.callerID.shown) (the PBX asked for \(grant.callerID.offered ?? "?"), not allowed on \(profile.name))"
                                           : grant.callerID.shown
        log("call #\(call.id) \(profile.name) -> \(grant.number) [\(grant.billing.rawValue)\(grant.maxMinutes.map { ", at most \($0) min" } ?? "")]: the far end sees caller ID \(seen)")
        var ringing = request.response(180, toTag: toTag)
        ringing.headers.add(.contact, "<\(contactURI(call.destination?.transport))>")
        respond(ringing, key: key)
        let ring = eventLoop.scheduleTask(in: .milliseconds(Int64(config.ringMilliseconds))) { [weak self] () -> Void in
            self?.answerOutgoing(call, agreement: agreement, ourKey: ourKey)
        }
        call.timers.append(ring)
    }

    /// The trunk's Contact for a dialog over `transport` (its TLS listener for TLS dialogs).
    func contactURI(_ transport: SIPTransportKind?) -> String {
        if transport == .tls, let l = config.listens.first(where: { $0.transport == "tls" }) {
            return "sip:trunk@\(l.host):\(transactions.transport.localAddress(side: .wan, transport: .tls)?.port ?? l.port);transport=tls"
        }
        let l = config.listens.first(where: { $0.transport == "udp" }) ?? config.listens[0]
        return "sip:trunk@\(l.host):\(transactions.transport.localAddress(side: .wan, transport: .udp)?.port ?? l.port)"
    }

    func answerOutgoing(_ call: EmulatorCall, agreement: FarEndSDP.Agreement, ourKey: SRTPKeyMaterial?) {
        guard !call.ended, let request = call.inviteRequest, let key = call.serverKey, let dialog = call.dialog, let media = call.media else { return }
        var ok = request.response(200, toTag: dialog.localTag)
        ok.headers.add(.contact, "<\(contactURI(call.destination?.transport))>")
        ok.headers.add(.contentType, "application/sdp")
        ok.headers.add(.server, "Skype Connect emulator (trunkbox)")
        ok.body = Array((call.localSDP ?? "").utf8)
        call.finalResponse = ok
        call.answer = now
        transactions.respond(ok, to: key)
        call.serverKey = nil
        byServerKey[key] = nil
        media.start(FarEndMediaPlan(codec: agreement.codec, payloadType: agreement.payloadType, telephoneEventPT: agreement.telephoneEventPT,
                                    remoteIP: agreement.remoteIP, remotePort: agreement.remotePort, sendKey: ourKey,
                                    receiveKey: agreement.peerKey, toneSeconds: config.toneSeconds))
        log("call #\(call.id) answered: \(agreement.codec.rawValue)\(ourKey != nil ? " SRTP" : ""), media \(mediaIP):\(media.localPort) <-> \(agreement.remoteIP):\(agreement.remotePort); 1 kHz tone for \(config.toneSeconds) s, then echo")
        retransmit(call, ok, interval: 500)
        if let minutes = call.grant?.maxMinutes {
            call.timers.append(eventLoop.scheduleTask(in: .seconds(Int64(minutes) * 60)) { [weak self] in
                guard let self, !call.ended else { return }
                self.log("call #\(call.id): the profile's credit is used up after \(minutes) min: the trunk hangs up")
                self.hangup(call)
            })
        }
    }

    /// §13.3.1.4: the 2xx is retransmitted (T1 doubling to T2) until the ACK, for at most 64·T1.
    func retransmit(_ call: EmulatorCall, _ ok: SIPMessage, interval: Int64, elapsed: Int64 = 0) {
        guard elapsed < 32_000 else {
            log("call #\(call.id): no ACK for the 200 in 32 s: the trunk hangs up")
            hangup(call)
            return
        }
        call.timers.append(eventLoop.scheduleTask(in: .milliseconds(interval)) { [weak self] in
            guard let self, !call.confirmed, !call.ended, let request = call.inviteRequest else { return }
            // Resend the way the INVITE came (its connection for TCP/TLS); the server transaction is gone after a 2xx.
            if let d = call.destination {
                _ = self.transactions.transport.send(ok.serialized(), to: d.ip, port: d.port, transport: d.transport, side: .wan, serverName: nil)
            } else if let via = (try? request.headers.topVia) ?? nil {
                let ip = via.parameters.value("received") ?? via.host
                let port = via.parameters.value("rport").flatMap { Int($0) } ?? via.port ?? 5060
                _ = self.transactions.transport.send(ok.serialized(), to: ip, port: port, transport: .udp, side: .wan, serverName: nil)
            }
            self.retransmit(call, ok, interval: min(interval * 2, 4000), elapsed: elapsed + interval)
        })
    }

    func ack(_ inbound: SIPInbound) {
        guard let dk = SIPDialogKey(receivedRequest: inbound.message), let n = dialogs[dk], let call = calls[n] else { return }
        call.confirmed = true
    }

    func reinvite(_ call: EmulatorCall, _ inbound: SIPInbound, key: SIPTransactionKey) {
        guard var dialog = call.dialog, dialog.accept(inbound.message) else {
            respond(inbound.message.response(500), key: key); return
        }
        call.dialog = dialog
        var ok = inbound.message.response(200)
        ok.headers.add(.contact, "<\(contactURI(call.destination?.transport))>")
        if let sdp = call.localSDP {
            ok.headers.add(.contentType, "application/sdp")
            ok.body = Array(sdp.utf8)
        }
        respond(ok, key: key)
    }

    func cancel(_ inbound: SIPInbound, key: SIPTransactionKey) {
        respond(inbound.message.response(200), key: key)
        guard let inviteKey = transactions.invite(cancelledBy: key), let n = byServerKey[inviteKey], let call = calls[n],
              let request = call.inviteRequest, let dialog = call.dialog else { return }
        respond(request.response(487, toTag: dialog.localTag), key: inviteKey)
        log("call #\(call.id): the box cancelled before the answer")
        end(call, outcome: .unanswered, status: 487)
    }

    // MARK: - Incoming calls (to the box)

    /// `call NUMBER from NUMBER`: an incoming call to an Online Number or Skype Name.
    func incoming(to target: String, from caller: String) -> String {
        guard let profile = accounts.profile(forIncoming: target) else {
            return "no profile has the Online Number or Skype Name \(target)"
        }
        let destination: SIPDestination
        let requestURI: String
        switch profile.auth {
        case .registration:
            guard let b = registrar.binding(profile.sipUser, now: now) else {
                accounts.refused(profile: profile.name, direction: .incoming, from: caller, to: target, at: now,
                                 refusal: CallRefusal(status: 480, reason: "not registered", outcome: .failed))
                return "profile \(profile.name) is not registered: the caller hears 480"
            }
            destination = SIPDestination(ip: b.sourceIP, port: b.sourcePort, transport: SIPTransportKind(rawValue: b.transport) ?? .udp, side: .wan)
            // The registered Contact is the Request-URI (RFC 3261 §16.5); the request goes where the
            // REGISTER came from, on its connection.
            requestURI = (try? URI.parse(b.contact)) != nil ? b.contact : "sip:\(profile.sipUser)@\(b.sourceIP):\(b.sourcePort)"
        case .ip(let address, let port):
            destination = SIPDestination(ip: address, port: port ?? 5060, transport: .udp, side: .wan)
            requestURI = "sip:\(profile.sipUser)@\(address):\(port ?? 5060)"
        }
        guard accounts.takeChannel(profile.name) else {
            accounts.refused(profile: profile.name, direction: .incoming, from: caller, to: target, at: now,
                             refusal: CallRefusal(status: 486, reason: "all channels busy", outcome: .refusedChannels))
            return "all \(profile.channels) channels of \(profile.name) are in use: the caller hears busy"
        }
        let call = EmulatorCall(id: nextCall, profile: profile, direction: .incoming, from: caller, to: target, start: now)
        nextCall += 1
        calls[call.id] = call
        let media: FarEndMedia
        do {
            media = try FarEndMedia(localIP: mediaIP, ports: config.rtpPorts, startAt: nextPort)
            nextPort += 1
        } catch {
            end(call, outcome: .failed, status: 500)
            return "no RTP port: \(error)"
        }
        call.media = media
        let ourKey = profile.srtp ? try? SRTPKeyMaterial.random(suite: .aesCM128HmacSHA1_80) : nil
        call.localSDP = FarEndSDP.offer(ip: mediaIP, port: media.localPort, srtp: ourKey)
        let fromTag = tag()
        let callID = "\(tag())\(tag())@skype-emulator"
        let toUser = E164.parse(target) ?? target
        var h = SIPHeaders()
        h.add(.maxForwards, "70")
        h.add(.from, "<sip:\(E164.parse(caller) ?? caller)@\(config.realm)>;tag=\(fromTag)")
        h.add(.to, "<sip:\(toUser)@\(config.realm)>")
        h.add(.callID, callID)
        h.add(.cseq, "1 INVITE")
        h.add(.contact, "<\(contactURI(destination.transport))>")
        h.add(.allow, "INVITE, ACK, CANCEL, BYE, OPTIONS")
        h.add(.userAgent, "Skype Connect emulator (trunkbox)")
        h.add(.contentType, "application/sdp")
        guard let uri = try? URI.parse(requestURI) else { end(call, outcome: .failed, status: 500); return "bad Request-URI \(requestURI)" }
        let invite = SIPMessage.request(.invite, uri, headers: h, body: Array((call.localSDP ?? "").utf8))
        call.inviteRequest = invite
        call.destination = destination
        let branch = transactions.makeBranch()
        call.clientBranch = branch
        transactions.request(invite, to: destination, branch: branch, onResponse: { [weak self] response in
            self?.incomingResponse(call, response, ourKey: ourKey)
        }, onFailure: { [weak self] failure in
            guard let self, !call.ended else { return }
            self.log("call #\(call.id): the box did not answer the INVITE (\(failure))")
            self.end(call, outcome: .failed, status: 408)
        })
        log("call #\(call.id) incoming \(caller) -> \(target) on \(profile.name): INVITE \(requestURI) to \(destination)")
        return "call \(call.id): \(caller) -> \(target) on profile \(profile.name), INVITE sent to \(destination)"
    }

    func incomingResponse(_ call: EmulatorCall, _ response: SIPMessage, ourKey: SRTPKeyMaterial?) {
        guard let code = response.statusCode, let invite = call.inviteRequest else { return }
        if code < 200 { if code > 100 { log("call #\(call.id): \(code) \(response.reasonPhrase ?? "")") }; return }
        if code >= 300 {
            guard !call.ended else { return }
            log("call #\(call.id): the box answered \(code) \(response.reasonPhrase ?? "")")
            end(call, outcome: code == 487 ? .unanswered : .failed, status: code)
            return
        }
        // 2xx: ACK every copy; the first one sets the dialog up and starts the media.
        if call.dialog == nil, let dialog = try? SIPDialog(uac: invite, response: response) {
            call.dialog = dialog
            dialogs[dialog.key] = call.id
        }
        guard var dialog = call.dialog else { return }
        let ack = dialog.request(.ack, sequence: 1)
        var ackWithVia = ack
        ackWithVia.headers.prepend(.via, transactions.via(for: call.destination!, branch: transactions.makeBranch()).description)
        transactions.sendStateless(ackWithVia, to: call.destination!)
        guard call.answer == nil, !call.ended else {
            if call.ended { _ = sendBye(call) }
            return
        }
        call.answer = now
        call.confirmed = true
        guard let sdp = try? SDPSession(parsing: response.body) else {
            log("call #\(call.id): the 200 has no SDP answer: the trunk hangs up"); hangup(call); return
        }
        switch FarEndSDP.agree(sdp, srtp: call.profile.srtp) {
        case .failure(let e):
            log("call #\(call.id): unusable SDP answer (\(e)): the trunk hangs up"); hangup(call)
        case .success(let a):
            call.media?.start(FarEndMediaPlan(codec: a.codec, payloadType: a.payloadType, telephoneEventPT: a.telephoneEventPT,
                                              remoteIP: a.remoteIP, remotePort: a.remotePort, sendKey: ourKey, receiveKey: a.peerKey,
                                              toneSeconds: config.toneSeconds))
            log("call #\(call.id) answered by the box: \(a.codec.rawValue)\(ourKey != nil ? " SRTP" : ""); the caller plays a 1 kHz tone, then echoes")
        }
    }

    // MARK: - Ending calls

    /// The trunk ends the call: BYE when answered, CANCEL while an incoming call rings, 480 while an outgoing one rings.
    func hangup(_ call: EmulatorCall) {
        guard !call.ended else { return }
        if call.answer != nil {
            _ = sendBye(call)
            end(call, outcome: .answered, status: 200)
        } else if call.direction == .outgoing, let key = call.serverKey, let request = call.inviteRequest, let dialog = call.dialog {
            respond(request.response(480, toTag: dialog.localTag), key: key)
            end(call, outcome: .unanswered, status: 480)
        } else if call.direction == .incoming, let invite = call.inviteRequest, let destination = call.destination, let branch = call.clientBranch {
            var h = SIPHeaders()
            for name in [SIPHeaderName.from, .to, .callID] { if let v = invite.headers[name] { h.add(name, v) } }
            h.add(.cseq, "1 CANCEL")
            h.add(.maxForwards, "70")
            var cancel = SIPMessage.request(.cancel, invite.requestURI!, headers: h)
            cancel.headers.prepend(.via, transactions.via(for: destination, branch: branch).description)
            transactions.request(cancel, to: destination, branch: branch, onResponse: { _ in }, onFailure: { _ in })
            end(call, outcome: .unanswered, status: 487)
        } else {
            end(call, outcome: .failed, status: 500)
        }
    }

    func sendBye(_ call: EmulatorCall) -> Bool {
        guard var dialog = call.dialog else { return false }
        let destination: SIPDestination
        if let d = call.destination {
            destination = d
        } else if let via = (try? call.inviteRequest?.headers.topVia) ?? nil {
            destination = SIPDestination(ip: via.parameters.value("received") ?? via.host,
                                         port: via.parameters.value("rport").flatMap { Int($0) } ?? via.port ?? 5060, transport: .udp, side: .wan)
        } else { return false }
        let bye = dialog.request(.bye)
        call.dialog = dialog
        transactions.request(bye, to: destination, onResponse: { _ in }, onFailure: { _ in })
        return true
    }

    func end(_ call: EmulatorCall, outcome: CallOutcome, status: Int) {
        guard !call.ended else { return }
        call.ended = true
        call.timers.forEach { $0.cancel() }
        call.timers = []
        call.media?.stop()
        let stats = call.media?.stats
        if let dialog = call.dialog {
            let key = dialog.key
            // Keep the dialog a little for retransmitted BYEs, then forget it.
            eventLoop.scheduleTask(in: .seconds(32)) { [weak self] in self?.dialogs[key] = nil }
        }
        if let key = call.serverKey { byServerKey[key] = nil }
        let heldChannel = call.direction == .incoming || call.grant != nil
        let record = accounts.finish(profile: call.profile.name, direction: call.direction, from: call.from, to: call.to,
                                     shownCallerID: call.shownCallerID, billing: call.grant?.billing, start: call.start, answer: call.answer,
                                     end: now, outcome: outcome, status: status, heldChannel: heldChannel)
        calls[call.id] = nil
        var line = "call #\(call.id) ended: \(outcome.rawValue), \(record.minutes) min"
        if record.bundleMinutes > 0 { line += ", \(record.bundleMinutes) from US bundle" }
        if record.creditMinutes > 0 { line += ", \(record.creditMinutes) from credit \(record.cost.format(decimals: 3))" }
        if let s = stats, s.sent + s.received > 0 {
            line += "; RTP sent \(s.sent), received \(s.received), echoed \(s.echoed)"
            if s.srtpFailures > 0 { line += ", SRTP failures \(s.srtpFailures)" }
            if !s.dtmfReceived.isEmpty { line += ", DTMF received \(s.dtmfReceived)" }
            if !s.dtmfSent.isEmpty { line += ", DTMF sent \(s.dtmfSent)" }
            for (f, frames) in s.tonesHeard.sorted(by: { $0.key < $1.key }) where frames >= 10 {
                line += ", heard \(f) Hz for \(String(format: "%.1f", Double(frames) / 50)) s"
            }
        }
        log(line)
        finished.append(EmulatorCallSummary(id: call.id, profile: call.profile.name, direction: call.direction, from: call.from,
                                            to: call.to, shownCallerID: call.shownCallerID, outcome: outcome, status: status,
                                            srtp: call.profile.srtp, transport: call.destination?.transport.rawValue ?? "udp",
                                            media: stats))
        if finished.count > 200 { finished.removeFirst(finished.count - 200) }
    }

    // MARK: - Control

    /// Runs one control line on the event loop and returns the answer (callable from any thread).
    public func control(_ line: String) -> String {
        (try? eventLoop.submit { self.controlOnLoop(line) }.wait()) ?? "the emulator is stopping"
    }

    func controlOnLoop(_ line: String) -> String {
        switch ControlCommand.parse(line) {
        case .failure(let e): return "error: \(e)"
        case .success(let command):
            switch command {
            case .call(let to, let from): return incoming(to: to, from: from)
            case .dtmf(let n, let digits):
                guard let call = calls[n], call.answer != nil, let media = call.media else { return "no answered call \(n)" }
                media.sendDTMF(digits)
                return "call \(n): sending DTMF \(digits)"
            case .hangupAll:
                let live = calls.values.sorted { $0.id < $1.id }
                live.forEach(hangup)
                return "hung up \(live.count) call(s)"
            case .hangup(let n):
                guard let call = calls[n] else { return "no call \(n)" }
                hangup(call)
                return "call \(n) hung up"
            case .status: return statusText()
            case .report(let month): return TrunkReport.text(accounts, month: month)
            case .history(let month):
                let lines = TrunkReport.historyLines(accounts, month: month)
                return lines.isEmpty ? "no calls in \(month)" : lines.joined(separator: "\n")
            }
        }
    }

    public func statusText() -> String {
        var lines: [String] = []
        let month = BillingMonth(epochSeconds: now)
        for name in accounts.order {
            guard let b = accounts.books[name] else { continue }
            let p = b.profile
            let reg: String
            switch p.auth {
            case .ip(let a, let port): reg = "IP authentication from \(a)\(port.map { ":\($0)" } ?? "")"
            case .registration:
                reg = registrar.binding(p.sipUser, now: now).map { "registered \($0.contact) from \($0.sourceIP):\($0.sourcePort), \($0.expiresAt - now) s left" }
                    ?? "not registered"
            }
            lines.append("\(name) (\(p.sipUser)): \(reg); channels \(b.channelsInUse)/\(p.channels); "
                + "US bundle \(b.bundleMinutesLeft(in: month)) of \(p.bundleMinutesPerMonth) min left; credit \(b.credit)\(p.srtp ? "; SRTP" : "")")
        }
        for call in calls.values.sorted(by: { $0.id < $1.id }) {
            let s = call.media?.stats
            lines.append("call \(call.id) \(call.direction.rawValue) \(call.profile.name) \(call.from) -> \(call.to): "
                + (call.answer == nil ? "ringing" : "answered") + (s.map { ", RTP sent \($0.sent) received \($0.received), DTMF received '\($0.dtmfReceived)'" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    /// For tests: a snapshot of the books, read on the event loop.
    public func snapshot() -> (accounts: TrunkAccounts, registrar: TrunkRegistrar, liveCalls: Int) {
        (try? eventLoop.submit { (self.accounts, self.registrar, self.calls.count) }.wait()) ?? (accounts, registrar, 0)
    }

    /// The 401 and 407 challenges sent so far (read on the event loop).
    public var challengeCounts: (registration: Int, invite: Int) {
        (try? eventLoop.submit { self.challenges }.wait()) ?? (0, 0)
    }

    /// Hangs up everything (the command's exit).
    public func shutdown() {
        _ = try? eventLoop.submit { self.calls.values.sorted { $0.id < $1.id }.forEach(self.hangup) }.wait()
    }
}
