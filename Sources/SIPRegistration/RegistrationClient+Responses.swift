// RegistrationClient+Responses: what each REGISTER outcome does: 2xx, 401/407, 423, 403/404, 5xx with Retry-After, time-outs (RFC 3261 §10.2.4-§10.2.8, §21, §22.2).

import SIPCore

extension RegistrationClient {
    mutating func receive(_ response: SIPMessage, _ now: RegistrationInstant) {
        guard let code = response.statusCode, code >= 200,
              let cseq = try? response.headers.cseq, let id = try? response.headers.callID else { return }
        if cseq.method == .options {
            if id == keepAliveCallID, keepAliveOutstanding == cseq.sequence { keepAliveAnswered(code, now) }
            return
        }
        guard cseq.method == .register, id == callID, let out = outstanding, out.cseq.sequence == cseq.sequence else { return }
        let reason = response.reasonPhrase ?? SIPStatus.reasonPhrase(code)
        status.lastResponseCode = code
        status.lastResponseReason = reason
        switch code {
        case 200..<300:
            if out.unregister { finishStop(error: nil, now) } else { registered(response, out, now) }
        case 401, 407:
            challenged(response, code, out, now)
        case 423 where !out.unregister:
            intervalTooBrief(response, out, now)
        case 403:
            backOff(.credentialsRejected(code: code), failure: .forbidden("wrong password or SIP user name"), now)
        case 404:
            backOff(.userUnknown(code: code), failure: .forbidden("SIP user name not known to the registrar"), now)
        case 500, 503, 480:
            let retryAfter = (try? response.headers.retryAfter)?.seconds
            if let retryAfter {
                backOff(.busy(code: code, retryAfter: retryAfter), retryAfter: retryAfter, now)
            } else if code == 503 {
                failOver(.busy(code: code, retryAfter: nil), now)
            } else {
                backOff(.busy(code: code, retryAfter: nil), now)
            }
        case 600..<700:
            backOff(.refused(code: code, reason: reason), failure: .refused("registrar refused the registration (\(code) \(reason))"), now)
        default:
            backOff(.refused(code: code, reason: reason), now)
        }
    }

    // A 2xx: the binding holds for the granted expiry; the refresh follows `RefreshPolicy`.
    mutating func registered(_ response: SIPMessage, _ out: Outstanding, _ now: RegistrationInstant) {
        let granted = grantedExpiry(in: response, requested: out.expires)
        guard granted > 0 else {
            backOff(.noTimeGranted, now)
            return
        }
        outstanding = nil
        failures = 0
        status.attempts = 0
        status.lastError = nil
        grantedExpiry = granted
        expiresAt = now + .seconds(Int64(granted))
        lastSuccessAt = now
        retiredContacts = []
        nextRegisterAt = now + config.refresh.refreshDelay(granted: granted)
        setState(.registered, now)
        if let interval = config.effectiveKeepAliveInterval, nextKeepAliveAt == nil {
            nextKeepAliveAt = now + interval
        }
    }

    // The expires parameter of the Contact that is ours (same URI by RFC 3261 §19.1.4, or the same
    // `+sip.instance`), else the Expires header, else what was asked for (RFC 3261 §10.2.4).
    func grantedExpiry(in response: SIPMessage, requested: UInt32) -> UInt32 {
        let contacts = (try? response.headers.contacts) ?? []
        for contact in contacts {
            guard let address = contact.address, case .sip(let uri) = address.uri else { continue }
            let sameInstance = config.instanceID != nil && contact.instanceID == config.instanceID
            if uri.isEquivalent(to: config.contact) || sameInstance, let expires = contact.expires {
                return expires
            }
        }
        if let expires = try? response.headers.expires { return expires }
        return requested
    }

    // A 401 or 407 (RFC 3261 §22.2): answered, or judged a refusal of the credentials.
    mutating func challenged(_ response: SIPMessage, _ code: Int, _ out: Outstanding, _ now: RegistrationInstant) {
        let kind: AuthKind = code == 407 ? .proxy : .www
        let offered = ((try? (kind == .proxy ? response.headers.proxyAuthenticate : response.headers.wwwAuthenticate)) ?? [])
        guard let challenge = usableChallenge(offered.compactMap(\.digest), kind) else {
            let schemes = offered.map { $0.digest.map { "Digest \($0.effectiveAlgorithm)" } ?? $0.scheme }
            let detail = schemes.isEmpty ? "no readable challenge" : schemes.joined(separator: ", ")
            backOff(.unsupportedChallenge(code: code, detail: detail),
                    failure: .unsupported("registrar asks for authentication trunkbox cannot answer"), now)
            return
        }
        guard mayAnswer(challenge, previous: kind == .www ? out.www : out.proxy) else {
            www.challenge = nil
            proxy.challenge = nil
            backOff(.credentialsRejected(code: code), failure: .forbidden("wrong password or SIP user name"), now)
            return
        }
        self[kind].challenge = challenge
        self[kind].round = round.number
        sendRegister(unregister: out.unregister, now)
    }

    // Whether to answer `challenge`, given the credentials the challenged request carried:
    // - none, another realm, or pre-emptive ones (our remembered nonce may have expired): a fresh
    //   answer, at most `maximumFreshAnswers` a round;
    // - an answer re-challenged with the same nonce: the credentials are wrong;
    // - an answer re-challenged with stale=true and a new nonce: retry, at most `maximumStaleRetries`;
    // - an answer re-challenged with a new nonce, not stale: a fresh answer again (registrars that hand
    //   out a new nonce on every challenge), so a wrong password costs at most three REGISTERs a round.
    mutating func mayAnswer(_ challenge: DigestChallenge, previous: Carried?) -> Bool {
        if let previous, previous.credentials.realm == challenge.realm, !previous.preemptive {
            if challenge.nonce == previous.credentials.nonce { return false }
            if challenge.stale {
                round.staleRetries += 1
                return round.staleRetries <= Self.maximumStaleRetries
            }
        }
        round.freshAnswers += 1
        return round.freshAnswers <= Self.maximumFreshAnswers
    }

    // The strongest offered challenge the credentials can answer (`DigestChallenge.preferred`), else
    // the next usable one (a stored HA1 answers only its own hash).
    func usableChallenge(_ offered: [DigestChallenge], _ kind: AuthKind) -> DigestChallenge? {
        var probe = self[kind].digest
        let uri = config.registrar.description
        func works(_ c: DigestChallenge) -> Bool {
            (try? probe.authorize(c, method: SIPMethod.register.rawValue, uri: uri, cnonce: "probe")) != nil
        }
        if let best = DigestChallenge.preferred(among: offered), works(best) { return best }
        for strength in [2, 1] {
            for c in offered where c.isSupported && c.effectiveAlgorithm.strength == strength && works(c) { return c }
        }
        return nil
    }

    // A 423 (RFC 3261 §10.2.8): ask again at once for Min-Expires, at most `maximumIntervalRetries` a round.
    mutating func intervalTooBrief(_ response: SIPMessage, _ out: Outstanding, _ now: RegistrationInstant) {
        let minimum = try? response.headers.minExpires
        round.intervalRetries += 1
        guard let minimum, minimum > out.expires, round.intervalRetries <= Self.maximumIntervalRetries else {
            backOff(.intervalTooBrief(minimum: minimum), now)
            return
        }
        expiresToRequest = minimum
        status.lastError = .intervalTooBrief(minimum: minimum)
        sendRegister(unregister: false, now)
    }

    mutating func timedOut(_ cseq: SIPCSeq, _ now: RegistrationInstant) {
        if cseq.method == .options {
            if keepAliveOutstanding == cseq.sequence { keepAliveFailed(.keepAliveTimeout, now) }
            return
        }
        guard cseq.method == .register, outstanding?.cseq.sequence == cseq.sequence else { return }
        failOver(.timeout, now)
    }

    // A transport failure ends the outstanding REGISTER (fail-over) or keep-alive; with nothing
    // outstanding a registered client re-registers at once, which makes the driver reconnect.
    mutating func transportFailed(_ now: RegistrationInstant) {
        let keepAlivePending = keepAliveOutstanding != nil
        keepAliveOutstanding = nil
        if outstanding != nil {
            failOver(.transportFailure, now)
        } else if keepAlivePending {
            keepAliveFailed(.transportFailure, now)
        } else if phase == .active, config.mode == .register, status.state == .registered {
            status.lastError = .transportFailure
            beginRound(now)
        }
    }

    // The current target did not answer: try the next one at once; when every target of this round
    // has failed, back off. An un-registration is not retried.
    mutating func failOver(_ error: RegistrationError, _ now: RegistrationInstant) {
        guard let out = outstanding else { return }
        if out.unregister {
            finishStop(error: error == .timeout ? .unregisterUnconfirmed : error, now)
            return
        }
        status.lastError = error
        round.targetsFailed += 1
        let count = config.effectiveTargets.count
        guard round.targetsFailed < count else {
            backOff(error, now)
            return
        }
        targetIndex = (targetIndex + 1) % count
        www.challenge = nil
        proxy.challenge = nil
        round.freshAnswers = 0
        round.staleRetries = 0
        round.intervalRetries = 0
        sendRegister(unregister: false, now)
    }

    // Ends the round in failure and schedules the next by `RetryPolicy`. `failure` marks failures that
    // need a person (state `failed`, long interval); others give `backingOff`.
    mutating func backOff(_ error: RegistrationError, failure: RegistrationFailure? = nil, retryAfter: UInt32? = nil,
                          _ now: RegistrationInstant) {
        if outstanding?.unregister == true {
            finishStop(error: error, now)
            return
        }
        outstanding = nil
        failures += 1
        let r = random.fraction()
        let delay = retryAfter.map { config.retry.delay(retryAfter: $0, random: r) }
            ?? config.retry.delay(afterFailures: failures, forbidden: failure != nil, random: r)
        nextRegisterAt = now + delay
        nextKeepAliveAt = nil
        keepAliveOutstanding = nil
        restartFromFirstTarget = true
        status.lastError = error
        if failure != nil {
            www.challenge = nil
            proxy.challenge = nil
        }
        setState(failure.map { .failed($0) } ?? .backingOff, now)
    }
}
