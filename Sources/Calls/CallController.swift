// CallController: the B2BUA. Takes INVITEs from the PBX and the trunk, routes them by the running config, relays the dialog between its two legs, anchors the media and writes one record per call.
import CallMedia
import CallPolicy
import Config
import Foundation
import Media
import MediaCore
import NIOCore
import SIPCore
import SIPStack
import SIPTransaction
import Store

/// What the controller needs from the rest of the box.
public struct CallEnvironment: Sendable {
    /// The running config (read at each new call).
    public var config: @Sendable () -> GatewayConfig
    /// Where a profile's calls go (its registrar's current address), nil when the trunk is not reachable.
    public var trunkDestination: @Sendable (ProfileConfig) -> SIPDestination?
    /// The profiles whose trunk is at this address (several profiles may share one trunk); empty for strangers.
    public var trunkProfiles: @Sendable (_ ip: String, _ port: Int, _ transport: SIPTransportKind) -> [ProfileConfig]
    /// Writes a finished call's record durably, then calls back (on any thread).
    public var writeRecord: @Sendable (CallRecord, @escaping @Sendable () -> Void) -> Void
    /// An event line for the box's log.
    public var log: @Sendable (String) -> Void
    /// Whether a profile (by name) is registered or trusted by address; a line with `fallback on` carries
    /// the calls of a profile that is not.
    public var trunkUp: @Sendable (String) -> Bool = { _ in true }

    public init(config: @escaping @Sendable () -> GatewayConfig, trunkDestination: @escaping @Sendable (ProfileConfig) -> SIPDestination?,
                trunkProfiles: @escaping @Sendable (String, Int, SIPTransportKind) -> [ProfileConfig],
                writeRecord: @escaping @Sendable (CallRecord, @escaping @Sendable () -> Void) -> Void,
                log: @escaping @Sendable (String) -> Void) {
        self.config = config
        self.trunkDestination = trunkDestination
        self.trunkProfiles = trunkProfiles
        self.writeRecord = writeRecord
        self.log = log
    }
}

/// Live counts the console and the tests read.
public struct CallCounts: Sendable, Equatable, CustomStringConvertible {
    public var calls = 0
    public var dialogs = 0
    public var channels: [String: Int] = [:]
    public var mediaSessions = 0
    public var mediaPorts = 0
    public var transactions = 0
    public var refusedStrangers = 0
    public var refusedOverflow = 0
    public var refusedCredentials = 0
    public var recordsWritten = 0

    public var description: String {
        "calls \(calls), dialogs \(dialogs), channels \(channels.values.reduce(0, +)), media sessions \(mediaSessions), "
            + "media ports \(mediaPorts), transactions \(transactions), refused strangers \(refusedStrangers), "
            + "refused overflow \(refusedOverflow), refused credentials \(refusedCredentials), records \(recordsWritten)"
    }
}

/// The B2BUA. Everything runs on the transaction layer's event loop.
public final class CallController: @unchecked Sendable {
    let transactions: SIPTransactionLayer
    let environment: CallEnvironment
    let media: MediaEngine?
    var eventLoop: any EventLoop { transactions.eventLoop }

    var calls: [Int: Call] = [:]
    /// In-dialog lookup: Call-ID and the box's tag → (call, leg).
    var dialogs: [SIPDialogKey: (call: Int, leg: Int)] = [:]
    /// First INVITE server transactions → call (for CANCEL).
    var byFirstKey: [SIPTransactionKey: Int] = [:]
    /// Dialogs of ended calls the box hung up after a late 2xx (so a retransmitted 2xx is only ACKed).
    var strayHungUp: Set<SIPDialogKey> = []
    /// Calls ended whose record waits for the media session's final statistics.
    var endingSessions: [MediaSessionID: (Call, (@Sendable () -> Void)?)] = [:]
    /// Nonces issued to the PBX: when, and the highest nonce count accepted.
    var pbxNonces: [String: (issued: NIODeadline, lastCount: UInt32)] = [:]
    var channels = ChannelCounter()
    var ports: RTPPortAllocator?
    var portRange: ClosedRange<Int> = 0...0
    var nextCall = 0
    var counts = CallCounts()
    var mediaPoll: RepeatedTask?
    /// The analog line, when the box has one running (set by the box).
    public weak var line: CallLinePort?
    /// Line calls (PBX <-> analog line) and their lookups.
    var lineCalls: [Int: LineCall] = [:]
    var lineDialogs: [SIPDialogKey: Int] = [:]
    var lineByServerKey: [SIPTransactionKey: Int] = [:]
    var lineEnding: [MediaSessionID: LineCall] = [:]
    /// The media engine's line events (audio up/down, DSP), handed to the box's line.
    public var onLineMediaEvent: ((MediaEvent) -> Void)?
    let started = ContinuousClock.now
    let userAgent: String
    /// How long a call may ring before the box gives up (CANCEL on the second leg, 480 on the first).
    public static let noAnswerSeconds = 180
    /// The session interval the box asks for and refreshes (RFC 4028): a re-INVITE on each leg every half.
    public static let sessionExpiresSeconds = 1800
    /// Extensions the box supports when a request requires them (RFC 3261 §8.2.2.3).
    static let supportedExtensions: Set<String> = ["timer", "100rel"]

    public init(transactions: SIPTransactionLayer, environment: CallEnvironment, media: MediaEngine?, userAgent: String) {
        self.transactions = transactions
        self.environment = environment
        self.media = media
        self.userAgent = userAgent
    }

    /// Nothing to start: the media engine's events are polled every 20 ms while a call holds media
    /// (`startMediaPoll`), so an idle box wakes for nothing.
    public func start() {}

    /// Polls the media engine while any call (or an ending call's statistics) needs it; stops by itself.
    func startMediaPoll() {
        guard media != nil, mediaPoll == nil else { return }
        mediaPoll = eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(20), delay: .milliseconds(20)) { [weak self] task in
            guard let self else { task.cancel(); return }
            self.pollMedia()
            if self.endingSessions.isEmpty && self.lineEnding.isEmpty && !self.calls.values.contains(where: { $0.media != nil })
                && !self.lineCalls.values.contains(where: { $0.media != nil }) {
                task.cancel()
                self.mediaPoll = nil
            }
        }
    }

    // MARK: - Entry points (event loop)

    /// A new request from the transaction layer. Returns false when it is not the controller's (OPTIONS, REGISTER, ...).
    public func handle(_ inbound: SIPInbound, key: SIPTransactionKey) -> Bool {
        let request = inbound.message
        switch request.method {
        case .invite:
            if let dialogKey = SIPDialogKey(receivedRequest: request) {
                inDialog(inbound, key: key, dialogKey: dialogKey)
            } else {
                newCall(inbound, key: key)
            }
            return true
        case .cancel:
            cancel(inbound, key: key)
            return true
        case .bye, .info, .update, .refer, .notify, .message, .prack:
            guard let dialogKey = SIPDialogKey(receivedRequest: request) else {
                transactions.respond(request.response(481, "Call/Transaction Does Not Exist", toTag: nil), to: key)
                return true
            }
            inDialog(inbound, key: key, dialogKey: dialogKey)
            return true
        case .options:
            // In-dialog OPTIONS is answered by the responder like any other.
            return false
        default:
            return false
        }
    }

    /// An ACK for a 2xx the box sent.
    public func ack(_ inbound: SIPInbound) {
        if let dialogKey = SIPDialogKey(receivedRequest: inbound.message), lineAck(dialogKey) { return }
        guard let dialogKey = SIPDialogKey(receivedRequest: inbound.message), let (number, leg) = dialogs[dialogKey],
              let call = calls[number] else { return }
        // The ACK for the 2xx the box is retransmitting on this leg (the first INVITE's, or a relayed
        // re-INVITE's on either leg) stops the retransmissions.
        if call.firstFinal != nil && leg == call.finalLeg { stopRetransmit(call) }
        if leg == 0 && call.phase == .answered { call.phase = .confirmed }
        if leg == 0, call.delayedOffer, call.legs[0].remoteSDP == nil, let answer = parseSDP(inbound.message) {
            // Delayed offer: the caller's answer to the box's offer in the 2xx. Its payload types pair with
            // the other leg's; the relay learns where the caller's media goes.
            call.legs[0].remoteSDP = answer
            if let other = call.legs[1].remoteSDP, let pairs = try? PayloadTypePairs(legA: answer, legB: other) {
                call.payloadTypes = (legA: 0, pairs: pairs)
            }
            do { try updateMedia(call) } catch { environment.log("call #\(number): media update failed: \(error)") }
        }
    }

    public var liveCounts: CallCounts {
        var c = counts
        c.calls = calls.count + lineCalls.count
        c.dialogs = dialogs.count + lineCalls.values.filter { $0.dialog != nil }.count
        c.channels = Dictionary(calls.values.map { ($0.profile, 1) }, uniquingKeysWith: +)
        c.mediaSessions = calls.values.filter { $0.media != nil }.count + lineCalls.values.filter { $0.media != nil }.count
        c.mediaPorts = ports?.inUse ?? 0
        c.transactions = transactions.activeTransactions
        return c
    }

    public func callLines() -> [String] {
        let now = UTCTime.now()
        // The line's echo canceller belongs to the one line call that has the line's audio.
        let erle = media?.lineStatus.dsp?.echoERLEAverageDB
        return calls.keys.sorted().compactMap { calls[$0]?.summary(now: now) }
            + lineCalls.keys.sorted().compactMap { n in lineCalls[n].map { $0.summary(now: now, echoERLEDB: $0.answer != nil ? erle : nil) } }
    }

    public func channelLines(_ config: GatewayConfig) -> [String] {
        config.profiles.map { "\($0.name): \(channels.inUse($0.name)) of \($0.channels) channels in use" }
    }

    /// Ends every call (shutdown): BYE on confirmed legs, records written.
    public func endAll(reason: String) {
        for call in calls.values where call.phase != .ended {
            hangUp(call, cause: 503, reason: reason, disposition: call.answer == nil ? .failed : .answered)
        }
        endAllLineCalls(reason: reason)
    }

    // MARK: - New calls

    private func newCall(_ inbound: SIPInbound, key: SIPTransactionKey) {
        let config = environment.config()
        let request = inbound.message
        let tag = makeTag()
        func refuse(_ code: Int, _ why: String, retryAfter: Int? = nil) {
            var response = request.response(code, nil, toTag: tag)
            response.headers.add(.reason, "SIP;cause=\(code);text=\"\(why.replacingOccurrences(of: "\"", with: "'"))\"")
            if let retryAfter { response.headers.add(.retryAfter, "\(retryAfter)") }
            response.headers.add(.server, userAgent)
            transactions.respond(response, to: key)
            environment.log("call refused (\(inbound.side) \(inbound.sourceIP)): \(code) \(why)")
        }
        if inbound.side == .lan {
            guard Self.pbxAllows(inbound.sourceIP, config.pbx) else {
                counts.refusedStrangers += 1
                refuse(403, "calls are accepted only from the configured PBX")
                return
            }
            if let user = config.pbx.username, let password = config.pbx.password?.clearText {
                guard pbxAuthorized(request, key: key, user: user, password: password, tag: tag) else { return }
            }
        } else if environment.trunkProfiles(inbound.sourceIP, inbound.sourcePort, inbound.transport).isEmpty {
            counts.refusedStrangers += 1
            refuse(403, "calls are accepted only from a trunk this box is registered with")
            return
        }
        let unsupported = (((try? request.headers.require) ?? []) ?? []).filter { !Self.supportedExtensions.contains($0.lowercased()) }
        if !unsupported.isEmpty {
            var response = request.response(420, nil, toTag: tag)
            response.headers.add(.unsupported, unsupported.joined(separator: ", "))
            response.headers.add(.server, userAgent)
            transactions.respond(response, to: key)
            environment.log("call refused (\(inbound.side) \(inbound.sourceIP)): 420 requires \(unsupported.joined(separator: ", "))")
            return
        }
        // No SDP (delayed offer, RFC 3261 §13.2.1): the box offers on the other leg itself, sends its own
        // offer in the 2xx and takes the caller's answer from the ACK.
        let delayed = request.body.isEmpty
        guard let offer = delayed ? CallSDPPlan.delayedOffer(config) : parseSDP(request) else {
            refuse(488, "the SDP offer could not be read")
            return
        }
        if inbound.side == .lan {
            let route = CallRouting.outgoing(request: request, config: config, lineAvailable: line?.isAvailable ?? false,
                                             trunkUp: environment.trunkUp)
            switch route {
            case .refuse(let code, let why):
                refuse(code, why)
                // A refused emergency call is recorded: who tried to call which emergency number, and why it failed.
                let dialled = CallRouting.user(request.requestURI) ?? ""
                if EmergencyDetector(routing: config.routing, numbering: config.numbering).isEmergency(dialled: dialled) {
                    recordRefusal(request, direction: .outgoing, profile: "line", caller: ((try? request.headers.from) ?? nil)?.uri.userOrNumber ?? "",
                                  called: dialled, cause: code, billing: .free)
                }
            case .line(let digits):
                startLineCall(inbound, key: key, tag: tag, offer: offer, digits: digits, config: config)
            case .lineFallback(let digits, let profile):
                environment.log("profile \(profile) is down: the call to \(digits) falls back to the analog line")
                startLineCall(inbound, key: key, tag: tag, offer: offer, digits: digits, config: config)
            case .trunk(let plan):
                guard let profile = config.profile(named: plan.profile) else { refuse(404, "no such profile"); return }
                guard channels.take(profile.name, limit: profile.channels) else {
                    counts.refusedOverflow += 1
                    let overflow = ChannelOverflow.outgoing(profile: profile.name, channels: profile.channels, routing: config.routing)
                    refuse(overflow.status, overflow.reason, retryAfter: overflow.retryAfter)
                    recordRefusal(request, direction: .outgoing, profile: profile.name, caller: plan.caller, called: plan.called,
                                  cause: overflow.status, billing: plan.billing)
                    return
                }
                guard let destination = environment.trunkDestination(profile) else {
                    _ = channels.release(profile.name)
                    refuse(503, "the trunk of profile \(profile.name) is not reachable")
                    return
                }
                startCall(inbound, key: key, tag: tag, offer: offer, delayed: delayed, direction: .outgoing, profile: profile,
                          destination: destination, plan: plan, config: config)
            }
        } else {
            let candidates = environment.trunkProfiles(inbound.sourceIP, inbound.sourcePort, inbound.transport)
            guard let profile = CallRouting.profile(among: candidates, request: request, config: config) else {
                refuse(404, "the called number belongs to none of the profiles on this trunk")
                return
            }
            switch CallRouting.incoming(request: request, profile: profile, config: config) {
            case .refuse(let code, let why):
                refuse(code, why)
            case .pbx(let plan):
                guard let address = config.pbx.address else { refuse(503, "no PBX address is configured"); return }
                guard channels.take(profile.name, limit: profile.channels) else {
                    counts.refusedOverflow += 1
                    let overflow = ChannelOverflow.incoming(profile: profile.name, channels: profile.channels)
                    refuse(overflow.status, overflow.reason, retryAfter: overflow.retryAfter)
                    recordRefusal(request, direction: .incoming, profile: profile.name, caller: plan.caller, called: plan.called,
                                  cause: overflow.status, billing: plan.billing, onlineNumber: plan.onlineNumber, pbxExtension: plan.pbxExtension)
                    return
                }
                let destination = SIPDestination(ip: address, port: config.pbx.port,
                                                 transport: SIPTransportKind(rawValue: config.pbx.transport.rawValue) ?? .udp, side: .lan)
                startCall(inbound, key: key, tag: tag, offer: offer, delayed: delayed, direction: .incoming, profile: profile,
                          destination: destination, plan: plan, config: config)
            }
        }
    }

    private func startCall(_ inbound: SIPInbound, key: SIPTransactionKey, tag: String, offer: SDPSession, delayed: Bool, direction: CallDirection,
                           profile: ProfileConfig, destination: SIPDestination, plan: CallPlan, config: GatewayConfig) {
        nextCall += 1
        let firstPeer = SIPDestination(ip: inbound.sourceIP, port: inbound.sourcePort, transport: inbound.transport, side: inbound.side)
        var first = CallLeg(side: inbound.side, peer: firstPeer)
        first.remoteSDP = offer
        let second = CallLeg(side: destination.side, peer: destination)
        let call = Call(number: nextCall, direction: direction, profile: profile.name, first: first, second: second,
                        firstInvite: inbound, firstKey: key, firstTag: tag, caller: plan.caller, called: plan.called,
                        billing: plan.billing, start: UTCTime.now())
        call.onlineNumber = plan.onlineNumber
        call.pbxExtension = plan.pbxExtension
        call.delayedOffer = delayed
        if Self.requires100rel(inbound.message) { call.reliable = ReliableProvisionals() }
        if direction == .outgoing, let user = profile.sipUser, let password = profile.password?.clearText {
            call.digest = DigestClient(username: user, password: password)
        }
        calls[call.number] = call
        byFirstKey[key] = call.number

        // Media: one port pair on each side, one relay session; the offer for the second leg.
        let sdpOut: SDPSession
        do {
            if direction == .outgoing, let why = CallSDPPlan.unusable(profile) { throw CallSetupError(503, why) }
            try openSockets(call, config: config)
            for leg in 0..<2 { call.legs[leg].b2b = CallSDPPlan.b2bLeg(call: call, leg: leg, config: config, profile: profile) }
            sdpOut = try CallSDPPlan.forward(offer, from: 0, call: call)
            if delayed { call.legs[0].remoteSDP = nil }   // the caller's media address comes with its ACK
            // The relay starts only now, when each leg knows whether it is SRTP (nothing passes in clear).
            try createMediaSession(call)
        } catch let error as CallMediaError {
            fail(call, code: error.responseCode, why: error.reason)
            return
        } catch {
            fail(call, code: (error as? CallSetupError)?.status ?? 503, why: "\(error)")
            return
        }

        // The INVITE on the second leg: the box's own Call-ID, tags and Contact (topology hiding).
        let invite = CallRouting.secondInvite(plan: plan, call: call, profile: profile, destination: destination,
                                              contact: contact(side: destination.side, transport: destination.transport),
                                              callID: makeCallID(), tag: makeTag(), sdp: sdpOut, original: inbound.message,
                                              userAgent: userAgent, config: config)
        call.secondInvite = invite
        let number = call.number
        call.ringTimer = eventLoop.scheduleTask(in: .seconds(Int64(Self.noAnswerSeconds))) { [weak self] in
            guard let self, let call = self.calls[number], call.phase == .calling || call.phase == .early else { return }
            self.environment.log("call #\(number): no answer in \(Self.noAnswerSeconds) s")
            self.fail(call, code: 480, why: "no answer within \(Self.noAnswerSeconds) s")
        }
        environment.log("call #\(call.number) \(direction) \(profile.name): \(plan.caller) -> \(plan.called)\(plan.pbxExtension.map { " (ext \($0))" } ?? "")")
        sendSecondInvite(call)
    }

    private func sendSecondInvite(_ call: Call) {
        guard let invite = call.secondInvite else { return }
        let number = call.number
        let peer = call.legs[1].peer
        let branch = transactions.makeBranch()
        call.secondBranch = branch
        call.secondKey = transactions.request(invite, to: peer, branch: branch, onResponse: { [weak self] response in
            guard let self else { return }
            if self.calls[number] == nil {
                self.strayAnswer(response, invite: invite, peer: peer)
            } else {
                self.secondResponse(number, response)
            }
        }, onFailure: { [weak self] failure in
            guard let self, let call = self.calls[number], call.phase == .calling || call.phase == .early else { return }
            self.environment.log("call #\(number): no answer from \(call.legs[1].peer): \(failure)")
            self.fail(call, code: failure == .timeout ? 408 : 503,
                      why: failure == .timeout ? "the far side did not answer" : "the far side could not be reached")
        })
    }

    // MARK: - Responses on the second leg

    private func secondResponse(_ number: Int, _ response: SIPMessage) {
        guard let call = calls[number], let code = response.statusCode else { return }
        let cseqMethod = ((try? response.headers.cseq) ?? nil)?.method
        guard cseqMethod == .invite else { return }
        switch code {
        case 100:
            return
        case 101..<200:
            if call.phase == .calling { call.phase = .early }
            if call.cancelWanted && !call.cancelSent { sendCancel(call); return }
            guard call.phase == .early, !call.cancelWanted else { return }
            rememberDialog(call, response: response)
            guard acknowledgeReliable(call, response) else { return }   // a retransmitted reliable 18x
            var relay = firstResponse(call, code: code == 181 || code == 182 ? 180 : code, reason: response.reasonPhrase)
            if let sdp = parseSDP(response), !call.delayedOffer {
                _ = applyAnswer(call, sdp: sdp, relay: &relay)   // unusable early media: the ringing still goes through
            }
            sendProvisional(call, relay)
        case 200..<300:
            rememberDialog(call, response: response)
            // ACK at once (the box's own 2xx/ACK exchange on this leg), even when the first leg gave up.
            if let ack = secondAck(call) { transactions.sendStateless(ack, to: call.legs[1].peer) }
            guard call.phase == .calling || call.phase == .early else { return }   // retransmitted 2xx
            if call.cancelWanted {
                // The CANCEL crossed the 200: this leg is up, the first leg is not; end it with BYE.
                sendBye(call, leg: 1)
                finish(call)
                return
            }
            var ok = firstResponse(call, code: 200, reason: nil)
            if let sdp = parseSDP(response) {
                if let problem = applyAnswer(call, sdp: sdp, relay: &ok) {
                    // The far side answered with media the box cannot use (or SRTP policy forbids): hang it up.
                    sendBye(call, leg: 1)
                    call.phase = .early
                    fail(call, code: problem.responseCode, why: problem.reason)
                    return
                }
            } else if let local = call.legs[0].localSDP, call.legs[1].remoteSDP != nil {
                ok.body = local.serializedBytes
                ok.headers.set(.contentType, "application/sdp")
            } else {
                sendBye(call, leg: 1)
                fail(call, code: 488, why: "the far side answered without SDP")
                return
            }
            call.answer = UTCTime.now()
            call.disposition = .answered
            call.cause = 200
            call.phase = .answered
            sessionTimer(call, secondAnswer: response, firstAnswer: &ok)
            sendFirstFinal(call, ok)
            environment.log("call #\(call.number) answered")
        case 422:
            // Session interval too small (RFC 4028 §6): try again with the trunk's Min-SE.
            guard !call.cancelWanted, var invite = call.secondInvite, call.authAttempts < 4,
                  let minSE = ((try? response.headers.minSE) ?? nil)?.seconds, Int(minSE) > call.sessionExpires else {
                fail(call, code: 500, why: "the trunk refused the session interval")
                return
            }
            call.authAttempts += 1
            call.sessionExpires = Int(minSE)
            let cseq = ((try? invite.headers.cseq) ?? nil)?.sequence ?? 1
            invite.headers.set(.cseq, "\(cseq + 1) INVITE")
            invite.headers.set(.sessionExpires, "\(call.sessionExpires);refresher=uac")
            invite.headers.set(.minSE, "\(call.sessionExpires)")
            call.secondInvite = invite
            sendSecondInvite(call)
        case 300..<400 where environment.config().routing.redirects == .follow && call.redirects < 3 && !call.cancelWanted:
            // Follow the redirect on the same trunk (RFC 3261 §8.1.3.4): a new INVITE to the first Contact.
            guard let target = (try? response.headers.contacts)?.compactMap({ $0.address?.uri }).first,
                  var invite = call.secondInvite else {
                fail(call, code: 480, why: "the trunk redirected the call without a Contact")
                return
            }
            call.redirects += 1
            let cseq = ((try? invite.headers.cseq) ?? nil)?.sequence ?? 1
            invite.startLine = .request(method: .invite, uri: target)
            invite.headers.set(.cseq, "\(cseq + 1) INVITE")
            invite.headers.remove(.authorization)
            invite.headers.remove(.proxyAuthorization)
            call.secondInvite = invite
            environment.log("call #\(call.number): redirected by the trunk (\(code)) to \(target)")
            sendSecondInvite(call)
        case 300..<400 where !call.cancelWanted && (call.phase == .calling || call.phase == .early):
            // Pass the redirect on to the first leg, with Contacts that point back through the box.
            call.cause = code
            call.disposition = .failed
            var redirect = firstResponse(call, code: code, reason: response.reasonPhrase)
            let box = contact(side: call.legs[0].side, transport: call.legs[0].peer.transport)
            for uri in ((try? response.headers.contacts) ?? []).compactMap({ $0.address?.uri }) {
                guard var through = box.uri.sipURI else { continue }
                through.user = uri.userOrNumber
                redirect.headers.add(.contact, SIPNameAddress(uri: .sip(through)).description)
            }
            transactions.respond(redirect, to: call.firstKey)
            finish(call)
        case 401, 407:
            guard !call.cancelWanted else { finish(call); return }
            guard let challenge = challenge(in: response, proxy: code == 407), call.authAttempts < 2,
                  var digest = call.digest, var invite = call.secondInvite else {
                fail(call, code: 403, why: code == 401 || code == 407 ? "the trunk refused the profile's credentials" : "refused")
                return
            }
            call.authAttempts += 1
            let uri = invite.requestURI?.description ?? ""
            guard let credentials = try? digest.authorize(challenge, method: "INVITE", uri: uri, cnonce: makeTag()),
                  let value = try? credentials.serialized() else {
                fail(call, code: 403, why: "the trunk's challenge cannot be answered")
                return
            }
            call.digest = digest
            let cseq = ((try? invite.headers.cseq) ?? nil)?.sequence ?? 1
            invite.headers.set(.cseq, "\(cseq + 1) INVITE")
            invite.headers.remove(.via)
            invite.headers.remove(code == 407 ? .proxyAuthorization : .authorization)
            invite.headers.add(code == 407 ? .proxyAuthorization : .authorization, value)
            call.secondInvite = invite
            sendSecondInvite(call)
        default:
            // 3xx-6xx: the call failed on the second leg; the first leg hears why.
            guard call.phase == .calling || call.phase == .early else { return }
            if call.cancelWanted {
                finish(call)
                return
            }
            let mapped = Self.mapFailure(code)
            call.cause = code
            call.disposition = Self.disposition(for: code)
            var answer = firstResponse(call, code: mapped, reason: mapped == code ? response.reasonPhrase : nil)
            answer.headers.add(.reason, "SIP;cause=\(code);text=\"\(response.reasonPhrase ?? SIPStatus.reasonPhrase(code))\"")
            if let retry = response.headers[.retryAfter] { answer.headers.add(.retryAfter, retry) }
            transactions.respond(answer, to: call.firstKey)
            finish(call)
        }
    }

    /// A 2xx for a call that has already ended (it crossed a CANCEL, a time-out or a shutdown): the
    /// box ACKs it and hangs up at once, so the far side is not left with a call nobody hears.
    private func strayAnswer(_ response: SIPMessage, invite: SIPMessage, peer: SIPDestination) {
        guard let code = response.statusCode, (200..<300).contains(code), ((try? response.headers.cseq) ?? nil)?.method == .invite,
              var dialog = try? SIPDialog(uac: invite, response: response),
              let cseq = ((try? invite.headers.cseq) ?? nil)?.sequence else { return }
        var ack = dialog.request(.ack, sequence: cseq)
        ack.headers.prepend(.via, transactions.via(for: peer, branch: transactions.makeBranch()).description)
        transactions.sendStateless(ack, to: peer)
        guard strayHungUp.insert(dialog.key).inserted else { return }   // a retransmitted 2xx: ACK again only
        var bye = dialog.request(.bye)
        bye.headers.add(.reason, "SIP;cause=487;text=\"the call had already ended\"")
        transactions.request(bye, to: peer, onResponse: { _ in }, onFailure: { _ in })
        let key = dialog.key
        eventLoop.scheduleTask(in: .seconds(40)) { [weak self] in self?.strayHungUp.remove(key) }
    }

    /// What the first leg hears for a failure on the second leg. Most codes pass; those that only make
    /// sense between the box and the trunk (authentication, proxy errors) become a plain failure.
    static func mapFailure(_ code: Int) -> Int {
        switch code {
        case 401, 407: 403
        case 300..<400: 480
        case 408: 408
        case 482, 483, 423, 421: 500
        default: code
        }
    }

    static func disposition(for code: Int) -> CallDisposition {
        switch code {
        case 486, 600: .busy
        case 408, 480: .noAnswer
        case 487: .cancelled
        case 403, 404, 484, 488, 603: .refused
        default: .failed
        }
    }

    private func challenge(in response: SIPMessage, proxy: Bool) -> DigestChallenge? {
        let offered = (try? (proxy ? response.headers.proxyAuthenticate : response.headers.wwwAuthenticate)) ?? []
        let digests = offered.compactMap(\.digest)
        return DigestChallenge.preferred(among: digests) ?? digests.first
    }

    /// Applies an SDP answer to the pending offer: media toward both legs, and the answer the offering
    /// leg hears (put in `relay`). Returns the problem when the answer is not usable.
    private func applyAnswer(_ call: Call, sdp: SDPSession, relay: inout SIPMessage) -> CallMediaError? {
        do throws(CallMediaError) {
            let answer = try CallSDPPlan.answer(sdp, call: call)
            relay.body = answer.serializedBytes
            relay.headers.set(.contentType, "application/sdp")
        } catch {
            environment.log("call #\(call.number): SDP answer not usable: \(error.reason)")
            return error
        }
        do { try updateMedia(call) } catch { environment.log("call #\(call.number): media update failed: \(error)") }
        return nil
    }

    private func rememberDialog(_ call: Call, response: SIPMessage) {
        guard let invite = call.secondInvite, let tag = ((try? response.headers.to) ?? nil)?.tag else { return }
        if var dialog = call.legs[1].dialog, dialog.remoteTag == tag {
            dialog.refreshTarget(from: response)
            call.legs[1].dialog = dialog
            return
        }
        guard let dialog = try? SIPDialog(uac: invite, response: response) else { return }
        if let old = call.legs[1].dialog { dialogs[old.key] = nil }
        call.legs[1].dialog = dialog
        dialogs[dialog.key] = (call.number, 1)
    }

    private func secondAck(_ call: Call) -> SIPMessage? {
        guard var dialog = call.legs[1].dialog, let invite = call.secondInvite,
              let cseq = ((try? invite.headers.cseq) ?? nil)?.sequence else { return nil }
        var ack = dialog.request(.ack, sequence: cseq)
        ack.headers.prepend(.via, transactions.via(for: call.legs[1].peer, branch: transactions.makeBranch()).description)
        call.secondAck = ack
        return ack
    }

    // MARK: - Answers on the first leg

    /// A response to the first INVITE with the box's tag, Contact and (later) body.
    private func firstResponse(_ call: Call, code: Int, reason: String?) -> SIPMessage {
        var response = call.firstInvite.message.response(code, reason, toTag: call.firstTag)
        if code < 300 {
            response.headers.add(.contact, contact(side: call.legs[0].side, transport: call.legs[0].peer.transport).description)
            response.headers.add(.allow, "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK")
        }
        response.headers.add(.server, userAgent)
        if code > 100 && code < 300 && call.legs[0].dialog == nil {
            if let dialog = try? SIPDialog(uas: call.firstInvite.message, localTag: call.firstTag) {
                call.legs[0].dialog = dialog
                dialogs[dialog.key] = (call.number, 0)
            }
        }
        return response
    }

    /// Sends a 2xx on the first leg and retransmits it over UDP until the ACK (T1 doubling to T2, 64*T1 in all).
    func sendFirstFinal(_ call: Call, _ response: SIPMessage) {
        if holdFinalForPRACK(call, response) { return }
        stopProvisionals(call)
        call.firstFinal = response
        call.finalKey = call.firstKey
        call.finalLeg = 0
        transactions.respond(response, to: call.firstKey)
        guard !call.legs[0].peer.transport.isReliable else { return }
        call.retransmitInterval = .milliseconds(500)
        call.retransmitDeadline = .now() + .seconds(32)
        scheduleRetransmit(call)
    }

    private func scheduleRetransmit(_ call: Call) {
        let number = call.number
        call.retransmit = eventLoop.scheduleTask(in: call.retransmitInterval) { [weak self] in
            guard let self, let call = self.calls[number], let final = call.firstFinal else { return }
            if let deadline = call.retransmitDeadline, NIODeadline.now() >= deadline {
                // No ACK in 64*T1: the first leg is gone (§13.3.1.4); hang up both legs.
                call.firstFinal = nil
                self.environment.log("call #\(number): no ACK for the 2xx; ending the call")
                self.hangUp(call, cause: 408, reason: "no ACK", disposition: call.answer == nil ? .failed : .answered)
                return
            }
            self.transactions.respond(final, to: call.finalKey ?? call.firstKey)
            call.retransmitInterval = min(call.retransmitInterval * 2, .seconds(4))
            self.scheduleRetransmit(call)
        }
    }

    private func stopRetransmit(_ call: Call) {
        call.retransmit?.cancel()
        call.retransmit = nil
        call.firstFinal = nil
    }

    // MARK: - CANCEL

    private func cancel(_ inbound: SIPInbound, key: SIPTransactionKey) {
        if let inviteKey = transactions.invite(cancelledBy: key), lineCancel(inbound, key: key, inviteKey: inviteKey) { return }
        guard let inviteKey = transactions.invite(cancelledBy: key), let number = byFirstKey[inviteKey], let call = calls[number] else {
            transactions.respond(inbound.message.response(481, "Call/Transaction Does Not Exist"), to: key)
            return
        }
        transactions.respond(inbound.message.response(200), to: key)
        guard call.phase == .calling || call.phase == .early else { return }
        call.cancelWanted = true
        call.disposition = .cancelled
        call.cause = 487
        var terminated = firstResponse(call, code: 487, reason: nil)
        terminated.headers.add(.reason, "SIP;cause=487;text=\"cancelled by the caller\"")
        stopProvisionals(call)
        transactions.respond(terminated, to: call.firstKey)
        environment.log("call #\(number) cancelled by the \(call.legs[0].side == .lan ? "PBX" : "trunk")")
        if call.phase == .early { sendCancel(call) }
        // With no provisional answer yet, the CANCEL goes out when one arrives (§9.1); a final answer ends the call.
    }

    private func sendCancel(_ call: Call) {
        guard let invite = call.secondInvite, let branch = call.secondBranch else { return }
        call.cancelSent = true
        var h = SIPHeaders()
        for name in [SIPHeaderName.from, .to, .callID] { if let v = invite.headers[name] { h.add(name, v) } }
        for route in invite.headers.values(.route) { h.add(.route, route) }
        let cseq = ((try? invite.headers.cseq) ?? nil)?.sequence ?? 1
        h.add(.cseq, "\(cseq) CANCEL")
        h.add(.maxForwards, "70")
        h.add(.reason, "SIP;cause=487;text=\"cancelled by the caller\"")
        guard let uri = invite.requestURI else { return }
        let number = call.number
        transactions.request(SIPMessage.request(.cancel, uri, headers: h), to: call.legs[1].peer, branch: branch, onResponse: { _ in },
                             onFailure: { [weak self] _ in
            // No answer to the CANCEL: give the INVITE up and end the call.
            guard let self, let call = self.calls[number] else { return }
            if let key = call.secondKey { self.transactions.abandon(key) }
            self.finish(call)
        })
    }

    // MARK: - In-dialog requests

    private func inDialog(_ inbound: SIPInbound, key: SIPTransactionKey, dialogKey: SIPDialogKey) {
        let request = inbound.message
        if lineInDialog(inbound, key: key, dialogKey: dialogKey) { return }
        guard let (number, leg) = dialogs[dialogKey], let call = calls[number], var dialog = call.legs[leg].dialog else {
            transactions.respond(request.response(481, "Call/Transaction Does Not Exist"), to: key)
            return
        }
        guard dialog.accept(request) else {
            transactions.respond(request.response(500, "Out of order CSeq"), to: key)
            return
        }
        call.legs[leg].dialog = dialog
        switch request.method {
        case .bye:
            environment.log("call #\(number): BYE from the \(call.legs[leg].side == .lan ? "PBX" : "trunk")")
            if call.cause == 0 || call.cause == 200 { call.cause = 200 }
            let other = 1 - leg
            if call.phase == .calling || call.phase == .early {
                // A BYE on an early dialog: the first leg gave up (the second leg is cancelled), or the
                // second leg ended its early dialog (the first leg hears why).
                call.cancelWanted = true
                call.disposition = leg == 0 ? .cancelled : .failed
                call.cause = leg == 0 ? 487 : 480
                transactions.respond(firstResponse(call, code: leg == 0 ? 487 : 480, reason: nil), to: call.firstKey)
                if leg == 0 && call.phase == .early && !call.cancelSent { sendCancel(call) }
            } else if call.legs[other].dialog != nil && call.phase != .ending {
                sendBye(call, leg: other)
            }
            // The record is on disk before the 200 OK goes out: a power cut after the 200 loses nothing.
            finish(call) { [weak self] in self?.transactions.respond(request.response(200), to: key) }
        case .invite:
            reinvite(call, from: leg, inbound: inbound, key: key)
        case .info:
            transactions.respond(request.response(200), to: key)
        case .refer:
            var refused = request.response(603, "Decline")
            refused.headers.add(.reason, "SIP;cause=603;text=\"transfers are made on the PBX, not through the trunk\"")
            transactions.respond(refused, to: key)
        case .update:
            update(call, from: leg, inbound: inbound, key: key)
        case .prack:
            prack(call, leg: leg, request: request, key: key)
        default:
            transactions.respond(request.response(405, "Method Not Allowed"), to: key)
        }
    }

    private func sendBye(_ call: Call, leg: Int) {
        guard var dialog = call.legs[leg].dialog else { return }
        var bye = dialog.request(.bye)
        bye.headers.add(.reason, "SIP;cause=\(call.cause == 0 ? 200 : call.cause);text=\"the other party hung up\"")
        bye.headers.add(.userAgent, userAgent)
        call.legs[leg].dialog = dialog
        transactions.request(bye, to: call.legs[leg].peer, onResponse: { _ in }, onFailure: { _ in })
    }

    // MARK: - re-INVITE (hold, resume, codec change)

    private func reinvite(_ call: Call, from leg: Int, inbound: SIPInbound, key: SIPTransactionKey) {
        let request = inbound.message
        guard call.phase == .confirmed || call.phase == .answered, call.reinvite == nil else {
            var busy = request.response(491, "Request Pending")
            busy.headers.add(.retryAfter, "1")
            transactions.respond(busy, to: key)
            return
        }
        let offer = parseSDP(request)
        let other = 1 - leg
        guard var dialog = call.legs[other].dialog else {
            transactions.respond(request.response(500), to: key)
            return
        }
        guard let offer else {
            // No offer: a session refresh. The box answers it itself with its current description for
            // this leg (as an offer; the ACK's answer changes nothing on the other leg).
            var ok = request.response(200, nil, toTag: call.legs[leg].dialog?.localTag)
            ok.headers.add(.contact, contact(side: call.legs[leg].side, transport: call.legs[leg].peer.transport).description)
            ok.headers.add(.server, userAgent)
            if let local = call.legs[leg].localSDP {
                ok.body = local.serializedBytes
                ok.headers.set(.contentType, "application/sdp")
            }
            transactions.respond(ok, to: key)
            return
        }
        var body: [UInt8] = []
        do throws(CallMediaError) {
            body = try CallSDPPlan.forward(offer, from: leg, call: call).serializedBytes
        } catch {
            var refused = request.response(error.responseCode, nil, toTag: call.legs[leg].dialog?.localTag)
            refused.headers.add(.reason, "SIP;cause=\(error.responseCode);text=\"\(error.reason)\"")
            transactions.respond(refused, to: key)
            return
        }
        var outgoing = dialog.request(.invite, contact: contact(side: call.legs[other].side, transport: call.legs[other].peer.transport),
                                      body: body, contentType: body.isEmpty ? nil : "application/sdp")
        outgoing.headers.add(.allow, "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE")
        call.legs[other].dialog = dialog
        call.reinvite = PendingReinvite(from: leg, serverKey: key, inbound: inbound, offer: offer, sent: outgoing)
        let number = call.number
        transactions.request(outgoing, to: call.legs[other].peer, onResponse: { [weak self] response in
            guard let self, let call = self.calls[number] else { return }
            self.reinviteResponse(call, response)
        }, onFailure: { [weak self] _ in
            guard let self, let call = self.calls[number], let pending = call.reinvite else { return }
            call.reinvite = nil
            self.transactions.respond(pending.inbound.message.response(408), to: pending.serverKey)
        })
    }

    /// UPDATE in a confirmed dialog (RFC 3311): with an offer it is relayed to the other leg like a
    /// re-INVITE (answers mapped back); without one it is a session refresh the box answers itself.
    private func update(_ call: Call, from leg: Int, inbound: SIPInbound, key: SIPTransactionKey) {
        let request = inbound.message
        let other = 1 - leg
        guard call.phase == .confirmed || call.phase == .answered, call.reinvite == nil, var dialog = call.legs[other].dialog else {
            var busy = request.response(491, "Request Pending")
            busy.headers.add(.retryAfter, "1")
            transactions.respond(busy, to: key)
            return
        }
        var ok = request.response(200, nil, toTag: call.legs[leg].dialog?.localTag)
        ok.headers.add(.contact, contact(side: call.legs[leg].side, transport: call.legs[leg].peer.transport).description)
        ok.headers.add(.server, userAgent)
        guard let offer = parseSDP(request) else {
            transactions.respond(ok, to: key)
            return
        }
        let body: [UInt8]
        do throws(CallMediaError) {
            body = try CallSDPPlan.forward(offer, from: leg, call: call).serializedBytes
        } catch {
            var refused = request.response(error.responseCode, nil, toTag: call.legs[leg].dialog?.localTag)
            refused.headers.add(.reason, "SIP;cause=\(error.responseCode);text=\"\(error.reason)\"")
            transactions.respond(refused, to: key)
            return
        }
        let outgoing = dialog.request(.update, contact: contact(side: call.legs[other].side, transport: call.legs[other].peer.transport),
                                      body: body, contentType: "application/sdp")
        call.legs[other].dialog = dialog
        call.reinvite = PendingReinvite(from: leg, serverKey: key, inbound: inbound, offer: offer, sent: outgoing)
        let number = call.number
        transactions.request(outgoing, to: call.legs[other].peer, onResponse: { [weak self] response in
            guard let self, let call = self.calls[number], let pending = call.reinvite, let code = response.statusCode, code >= 200 else { return }
            call.reinvite = nil
            var relay = pending.inbound.message.response(code, response.reasonPhrase, toTag: call.legs[leg].dialog?.localTag)
            relay.headers.add(.server, self.userAgent)
            if code < 300, let answer = self.parseSDP(response) {
                relay.headers.add(.contact, self.contact(side: call.legs[leg].side, transport: call.legs[leg].peer.transport).description)
                if self.applyAnswer(call, sdp: answer, relay: &relay) != nil, let previous = call.legs[leg].localSDP {
                    relay.body = previous.serializedBytes
                    relay.headers.set(.contentType, "application/sdp")
                }
            }
            self.transactions.respond(relay, to: pending.serverKey)
        }, onFailure: { [weak self] _ in
            guard let self, let call = self.calls[number], let pending = call.reinvite else { return }
            call.reinvite = nil
            self.transactions.respond(pending.inbound.message.response(408), to: pending.serverKey)
        })
    }

    private func reinviteResponse(_ call: Call, _ response: SIPMessage) {
        if call.reinvite == nil, let code = response.statusCode, (200..<300).contains(code),
           let (leg, cseq, ack) = call.lastReinviteAck, ((try? response.headers.cseq) ?? nil)?.sequence == cseq {
            // A retransmitted 2xx after the re-INVITE was settled: the ACK went missing; send it again.
            transactions.sendStateless(ack, to: call.legs[leg].peer)
            return
        }
        guard let pending = call.reinvite, let code = response.statusCode, code >= 200 else { return }
        let leg = pending.from, other = 1 - leg
        var relay = pending.inbound.message.response(code, response.reasonPhrase, toTag: call.legs[leg].dialog?.localTag)
        relay.headers.add(.server, userAgent)
        if code < 300 {
            if var dialog = call.legs[other].dialog, let sent = pending.sent, let cseq = ((try? sent.headers.cseq) ?? nil)?.sequence {
                dialog.refreshTarget(from: response)
                call.legs[other].dialog = dialog
                var ack = dialog.request(.ack, sequence: cseq)
                ack.headers.prepend(.via, transactions.via(for: call.legs[other].peer, branch: transactions.makeBranch()).description)
                transactions.sendStateless(ack, to: call.legs[other].peer)
                call.lastReinviteAck = (other, cseq, ack)
            }
            if call.reinvite?.sent == nil { return }   // a retransmitted 2xx: ACKed again above
            call.reinvite?.sent = nil
            relay.headers.add(.contact, contact(side: call.legs[leg].side, transport: call.legs[leg].peer.transport).description)
            if let answer = parseSDP(response) {
                if applyAnswer(call, sdp: answer, relay: &relay) != nil, let previous = call.legs[leg].localSDP {
                    // Not usable: the offering leg keeps the session it had.
                    relay.body = previous.serializedBytes
                    relay.headers.set(.contentType, "application/sdp")
                }
            }
            // Our 2xx on the re-INVITE's leg is retransmitted until its ACK.
            call.retransmit?.cancel()
            call.firstFinal = relay
            call.finalKey = pending.serverKey
            call.finalLeg = leg
            transactions.respond(relay, to: pending.serverKey)
            if !call.legs[leg].peer.transport.isReliable {
                call.retransmitInterval = .milliseconds(500)
                call.retransmitDeadline = .now() + .seconds(32)
                scheduleRetransmit(call)
            }
            call.reinvite = nil
        } else {
            transactions.respond(relay, to: pending.serverKey)
            call.reinvite = nil
        }
    }

    // MARK: - The PBX's digest credentials

    /// Checks the PBX's Proxy-Authorization when the config sets PBX credentials. Without valid
    /// credentials the INVITE is answered 407 with fresh challenges (MD5 and SHA-256, qop=auth; a known
    /// but expired nonce gets stale=true) and false is returned. Nonces live 5 minutes; each nc only once.
    func pbxAuthorized(_ request: SIPMessage, key: SIPTransactionKey, user: String, password: String, tag: String) -> Bool {
        let now = NIODeadline.now()
        pbxNonces = pbxNonces.filter { $0.value.issued + .minutes(5) > now }
        var stale = false
        let offered = ((try? request.headers.proxyAuthorization) ?? []).filter { $0.realm == Self.pbxRealm }
        for credentials in offered {
            guard let entry = pbxNonces[credentials.nonce] else { stale = true; continue }
            let verifier = DigestVerifier(realm: Self.pbxRealm, nonce: credentials.nonce, algorithms: [.sha256, .md5], qopOptions: [.auth])
            let result = verifier.verify(credentials, username: user, secret: .password(password), method: "INVITE",
                                         lastNonceCount: entry.lastCount)
            if case .accepted(let count) = result {
                pbxNonces[credentials.nonce]?.lastCount = count ?? entry.lastCount
                return true
            }
        }
        if !offered.isEmpty && !stale { counts.refusedCredentials += 1 }
        let nonce = (0..<16).map { _ in String(UInt8.random(in: 0...255), radix: 16) }.joined()
        if pbxNonces.count >= 4096 { pbxNonces.removeAll() }
        pbxNonces[nonce] = (now, 0)
        var challenge = request.response(407, nil, toTag: tag)
        // MD5 first: PBXs of the trunk's era (and SIPp) answer the first challenge whatever its algorithm;
        // a client that can do better still finds SHA-256 in the second.
        for algorithm in ["MD5", "SHA-256"] {
            challenge.headers.add(.proxyAuthenticate,
                                  "Digest realm=\"\(Self.pbxRealm)\", nonce=\"\(nonce)\", algorithm=\(algorithm), qop=\"auth\"\(stale ? ", stale=true" : "")")
        }
        challenge.headers.add(.server, userAgent)
        transactions.respond(challenge, to: key)
        if !offered.isEmpty && !stale { environment.log("call refused (LAN): the PBX's credentials are wrong (407)") }
        return false
    }

    static let pbxRealm = "trunkbox"

    // MARK: - Session timers (RFC 4028)

    /// Settles the session interval from the second leg's 2xx, tells the first leg the box refreshes
    /// (refresher=uas in the 2xx; Require: timer when its INVITE said it supports it), and starts the
    /// refreshes: a re-INVITE with the unchanged SDP on each leg every half interval.
    private func sessionTimer(_ call: Call, secondAnswer: SIPMessage, firstAnswer: inout SIPMessage) {
        if let granted = ((try? secondAnswer.headers.sessionExpires) ?? nil)?.seconds, granted >= 90 {
            call.sessionExpires = min(call.sessionExpires, Int(granted))
        }
        let first = call.firstInvite.message.headers
        if let asked = ((try? first.sessionExpires) ?? nil)?.seconds, asked >= 90 {
            call.sessionExpires = min(call.sessionExpires, Int(asked))
        }
        if let minimum = ((try? first.minSE) ?? nil)?.seconds { call.sessionExpires = max(call.sessionExpires, Int(minimum)) }
        firstAnswer.headers.add(.sessionExpires, "\(call.sessionExpires);refresher=uas")
        if (((try? first.supported) ?? []) ?? []).contains(where: { $0.lowercased() == "timer" }) {
            firstAnswer.headers.add(.require, "timer")
        }
        scheduleRefresh(call)
    }

    private func scheduleRefresh(_ call: Call) {
        let number = call.number
        call.refreshTimer?.cancel()
        call.refreshTimer = eventLoop.scheduleTask(in: .seconds(Int64(call.sessionExpires / 2))) { [weak self] in
            guard let self, let call = self.calls[number], call.phase == .confirmed || call.phase == .answered else { return }
            if call.reinvite == nil {
                for leg in 0..<2 { self.refresh(call, leg: leg) }
            }
            self.scheduleRefresh(call)
        }
    }

    /// One session refresh on a leg: a re-INVITE offering the leg's current SDP again (same o= version).
    /// A leg that answers 481 or 408, or not at all, is gone: the call ends.
    private func refresh(_ call: Call, leg: Int) {
        guard var dialog = call.legs[leg].dialog, let sdp = call.legs[leg].localSDP else { return }
        var invite = dialog.request(.invite, contact: contact(side: call.legs[leg].side, transport: call.legs[leg].peer.transport),
                                    body: sdp.serializedBytes, contentType: "application/sdp")
        invite.headers.add(.sessionExpires, "\(call.sessionExpires);refresher=\(leg == 0 ? "uas" : "uac")")
        invite.headers.add(.supported, "timer")
        call.legs[leg].dialog = dialog
        let number = call.number, peer = call.legs[leg].peer
        let cseq = dialog.localSequence
        transactions.request(invite, to: peer, onResponse: { [weak self] response in
            guard let self, let call = self.calls[number], let code = response.statusCode, code >= 200 else { return }
            if code < 300, var dialog = call.legs[leg].dialog {
                var ack = dialog.request(.ack, sequence: cseq)
                ack.headers.prepend(.via, self.transactions.via(for: peer, branch: self.transactions.makeBranch()).description)
                self.transactions.sendStateless(ack, to: peer)
                dialog.refreshTarget(from: response)
                call.legs[leg].dialog = dialog
            } else if code == 481 || code == 408 {
                self.environment.log("call #\(number): the \(call.legs[leg].side == .lan ? "PBX" : "trunk") lost the call (session refresh answered \(code))")
                self.hangUp(call, cause: code, reason: "session refresh failed", disposition: .answered)
            }
        }, onFailure: { [weak self] _ in
            guard let self, let call = self.calls[number] else { return }
            self.environment.log("call #\(number): no answer to a session refresh; ending the call")
            self.hangUp(call, cause: 408, reason: "session refresh not answered", disposition: .answered)
        })
    }

    // MARK: - Ending

    /// Ends a call that never got going: the first leg hears `code`, the record says why.
    func fail(_ call: Call, code: Int, why: String) {
        guard call.phase == .calling || call.phase == .early else { return }
        stopProvisionals(call)
        call.cause = code
        call.disposition = Self.disposition(for: code)
        var answer = firstResponse(call, code: code, reason: nil)
        answer.headers.add(.reason, "SIP;cause=\(code);text=\"\(why.replacingOccurrences(of: "\"", with: "'"))\"")
        transactions.respond(answer, to: call.firstKey)
        if call.phase == .early && !call.cancelSent { sendCancel(call) }
        environment.log("call #\(call.number) failed: \(code) \(why)")
        finish(call)
    }

    /// Hangs up both legs of a call (shutdown, media time-out, no ACK).
    func hangUp(_ call: Call, cause: Int, reason: String, disposition: CallDisposition) {
        if call.cause == 0 { call.cause = cause }
        call.disposition = disposition
        for leg in 0..<2 where call.legs[leg].dialog != nil && (leg == 1 || call.phase != .calling) {
            sendBye(call, leg: leg)
        }
        if call.phase == .calling || call.phase == .early {
            var answer = firstResponse(call, code: cause >= 300 ? cause : 503, reason: nil)
            answer.headers.add(.reason, "SIP;cause=\(cause);text=\"\(reason)\"")
            transactions.respond(answer, to: call.firstKey)
            if call.phase == .early && !call.cancelSent { sendCancel(call) }
        }
        finish(call)
    }

    /// Releases what the call holds (channel, media, dialogs) and writes its record; `then` runs once
    /// the record is on disk.
    func finish(_ call: Call, then: (@Sendable () -> Void)? = nil) {
        guard call.phase != .ended else { then?(); return }
        call.phase = .ended
        call.end = UTCTime.now()
        call.retransmit?.cancel()
        call.ringTimer?.cancel()
        call.refreshTimer?.cancel()
        stopProvisionals(call)
        _ = channels.release(call.profile)
        for leg in call.legs { if let d = leg.dialog { dialogs[d.key] = nil } }
        byFirstKey[call.firstKey] = nil
        let now = portClock()
        for port in call.ports { _ = ports?.release(port, now: now) }
        call.ports = []
        calls[call.number] = nil
        guard let id = call.media, let media, (try? media.destroySession(id)) != nil else {
            for leg in 0..<2 { call.legs[leg].sockets?.close(); call.legs[leg].sockets = nil }
            writeRecord(call, then: then)
            return
        }
        // The record waits for the session's final statistics (the media thread answers within a
        // tick); if they do not come, it is written without them.
        endingSessions[id] = (call, then)
        eventLoop.scheduleTask(in: .milliseconds(2)) { [weak self] in self?.pollMedia() }
        eventLoop.scheduleTask(in: .milliseconds(500)) { [weak self] in
            guard let self, let (call, then) = self.endingSessions.removeValue(forKey: id) else { return }
            self.writeRecord(call, then: then)
        }
    }

    /// Writes the call's record durably, then runs `then` on the event loop.
    func writeRecord(_ call: Call, then: (@Sendable () -> Void)?) {
        let record = makeRecord(call)
        let loop = eventLoop
        environment.writeRecord(record) { [weak self] in
            loop.execute {
                self?.counts.recordsWritten += 1
                then?()
            }
        }
    }

    /// A call refused by the box's rules after it was routed (all channels busy, an emergency number with no
    /// line): recorded like any other call, so the month's figures show what callers met. Strangers and
    /// malformed requests are counted, not recorded (a flood must not fill the store).
    func recordRefusal(_ request: SIPMessage, direction: CallDirection, profile: String, caller: String, called: String, cause: Int,
                       billing: BillingClass, onlineNumber: String? = nil, pbxExtension: String? = nil) {
        let now = UTCTime.now()
        let record = CallRecord(callID: request.headers[.callID] ?? makeCallID(), profile: profile, direction: direction, caller: caller,
                                called: called, onlineNumber: onlineNumber, pbxExtension: pbxExtension, start: now, answer: nil, end: now,
                                disposition: .refused, sipCause: cause, billing: billing, codec: nil, srtp: false, pbxLeg: nil, trunkLeg: nil)
        let loop = eventLoop
        environment.writeRecord(record) { [weak self] in loop.execute { self?.counts.recordsWritten += 1 } }
    }

    /// Packetisation delay in the E-model's mouth-to-ear delay: one 20 ms packet.
    static let packetisationMilliseconds = 20.0
    /// Network delay one way when no round trip was measured (no RTCP from either far end).
    static let nominalNetworkMilliseconds = 20.0

    /// The one-way mouth-to-ear delay the E-model is given for what `s`'s leg received: the network
    /// (half of each round trip the box measured over RTCP, RFC 3550 §6.4.1, to this leg's far end and
    /// to `otherLeg`'s: the audio crosses both), plus a jitter buffer of twice the leg's jitter, plus one
    /// packet. Without any round trip, a nominal 20 ms network delay (40 ms + 2·jitter in all).
    static func oneWayDelayMilliseconds(_ s: MediaLegStats, otherLeg: MediaLegStats? = nil) -> Double {
        let trips = [s, otherLeg].compactMap { $0.flatMap { $0.roundTripMeanMilliseconds ?? $0.roundTripMilliseconds } }
        let network = trips.isEmpty ? nominalNetworkMilliseconds : trips.reduce(0, +) / 2
        return network + 2 * s.jitterMilliseconds + packetisationMilliseconds
    }

    /// MOS from the ITU-T G.107 E-model for what a leg received: its loss, and the one-way delay of
    /// `oneWayDelayMilliseconds` (measured round trips where there are), G.729 or G.711 with loss
    /// concealment.
    static func mos(_ s: MediaLegStats, codec: String?, otherLeg: MediaLegStats? = nil) -> Double? {
        guard s.packetsReceived > 0 else { return nil }
        let expected = Double(s.packetsReceived) + Double(max(0, s.packetsLost))
        let lossPercent = 100 * Double(max(0, s.packetsLost)) / expected
        let model: EModel.Codec = codec?.uppercased().hasPrefix("G729") == true ? .g729a : .g711PLC
        return EModel.mos(oneWayDelayMs: oneWayDelayMilliseconds(s, otherLeg: otherLeg), codec: model, packetLossPercent: lossPercent)
    }

    /// A leg's record figures from its media statistics (nil when no RTP flowed).
    static func callLegStats(_ s: MediaLegStats?, codec: String?, otherLeg: MediaLegStats? = nil) -> CallLegStats? {
        guard let s, s.packetsReceived + s.packetsSent > 0 else { return nil }
        let mos = Self.mos(s, codec: codec, otherLeg: otherLeg)
        let rtt = s.roundTripMeanMilliseconds ?? s.roundTripMilliseconds
        return CallLegStats(packetsSent: Int(s.packetsSent), packetsReceived: Int(s.packetsReceived),
                            packetsLost: Int(max(0, s.packetsLost)), jitterMilliseconds: s.jitterMilliseconds,
                            mos: mos.map { ($0 * 100).rounded() / 100 },
                            roundTripMilliseconds: rtt.map { ($0 * 10).rounded() / 10 })
    }

    private func makeRecord(_ call: Call) -> CallRecord {
        func legStats(_ s: MediaLegStats?, _ other: MediaLegStats?) -> CallLegStats? {
            Self.callLegStats(s, codec: call.codec, otherLeg: other)
        }
        let stats = call.mediaStats
        // The media session's leg a is the first leg.
        let pbx = call.pbxLeg == 0 ? stats?.a : stats?.b
        let trunk = call.pbxLeg == 0 ? stats?.b : stats?.a
        return CallRecord(callID: call.firstInvite.message.headers[.callID] ?? "call-\(call.number)", profile: call.profile,
                          direction: call.direction, caller: call.caller, called: call.called, onlineNumber: call.onlineNumber,
                          pbxExtension: call.pbxExtension, start: call.start, answer: call.answer, end: call.end ?? UTCTime.now(),
                          disposition: call.answer != nil ? .answered : call.disposition, sipCause: call.cause,
                          billing: call.billing, codec: call.codec, srtp: call.srtp, pbxLeg: legStats(pbx, trunk), trunkLeg: legStats(trunk, pbx))
    }

    // MARK: - Helpers

    func parseSDP(_ message: SIPMessage) -> SDPSession? {
        guard !message.body.isEmpty else { return nil }
        if let type = (try? message.headers.contentType) ?? nil, !type.description.lowercased().hasPrefix("application/sdp") { return nil }
        return try? SDPSession(parsing: message.body)
    }

    func contact(side: SIPSide, transport: SIPTransportKind) -> SIPNameAddress {
        let local = transactions.transport.localAddress(side: side, transport: transport)
            ?? transactions.transport.localAddress(side: side, transport: .udp)
        var uri = SIPURI(user: "trunkbox", host: local?.ipAddress ?? "127.0.0.1", port: local?.port)
        if transport == .tcp { uri.parameters.append(SIPParameter("transport", "tcp")) }
        if transport == .tls { uri.parameters.append(SIPParameter("transport", "tls")) }
        return SIPNameAddress(uri: .sip(uri))
    }

    func makeTag() -> String { String(UInt64.random(in: 1...UInt64.max), radix: 36) }
    func makeCallID() -> String { "\(String(UInt64.random(in: 1...UInt64.max), radix: 36))\(String(UInt64.random(in: 1...UInt64.max), radix: 36))@trunkbox" }

    /// `host`, `host:port`, `[v6]` or `[v6]:port` split into host and port.
    public static func hostPort(_ text: String) -> (String, Int?) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[...close])
            let rest = text[text.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        let parts = text.split(separator: ":")
        if parts.count == 2, let port = Int(parts[1]) { return (String(parts[0]), port) }
        return (text, nil)
    }

    static func pbxAllows(_ ip: String, _ pbx: PBXConfig) -> Bool {
        if pbx.acl.isEmpty { return pbx.address.map { $0 == ip } ?? false }
        return pbx.acl.contains { CIDR($0)?.contains(ip) ?? false }
    }
}

/// Why a call could not be set up, with the status the caller hears.
struct CallSetupError: Error, CustomStringConvertible {
    var status: Int
    var description: String
    init(_ status: Int, _ text: String) {
        self.status = status
        description = text
    }
}
