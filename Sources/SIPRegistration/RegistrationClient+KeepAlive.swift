// RegistrationClient+KeepAlive: OPTIONS keep-alives to the trunk (RFC 3261 §11; liveness in the spirit of RFC 5626 §4.4).

import SIPCore

extension RegistrationClient {
    // Sends an OPTIONS (when keep-alives are on, none is pending, and in registration mode only while
    // registered with no REGISTER on its way) and schedules the next one.
    mutating func sendKeepAlive(_ now: RegistrationInstant) {
        guard let interval = config.effectiveKeepAliveInterval else {
            nextKeepAliveAt = nil
            return
        }
        nextKeepAliveAt = now + interval
        guard keepAliveOutstanding == nil else { return }
        if config.mode == .register && (outstanding != nil || status.state != .registered) { return }
        if keepAliveCallID == nil {
            keepAliveCallID = random.token()
            keepAliveTag = random.token()
        }
        keepAliveSequence += 1
        let cseq = SIPCSeq(keepAliveSequence, .options)
        var headers = SIPHeaders()
        headers.add(.maxForwards, "70")
        headers.add(.from, SIPNameAddress(uri: .sip(config.addressOfRecord),
                                          parameters: [SIPParameter("tag", keepAliveTag ?? fromTag)]).description)
        headers.add(.to, SIPNameAddress(uri: .sip(config.registrar)).description)
        headers.add(.callID, keepAliveCallID ?? callID)
        headers.add(.cseq, cseq.description)
        headers.add(.contact, SIPNameAddress(uri: .sip(config.contact)).description)
        headers.add(.accept, "application/sdp")
        addCommonHeaders(&headers)
        keepAliveOutstanding = keepAliveSequence
        send(SIPMessage.request(.options, .sip(config.registrar), headers: headers), cseq)
    }

    // Any final response means the trunk is alive. In registration mode a 404 or 481 says the
    // registrar no longer knows us: register again.
    mutating func keepAliveAnswered(_ code: Int, _ now: RegistrationInstant) {
        keepAliveOutstanding = nil
        if config.mode == .ipAuthentication {
            if status.lastError == .keepAliveTimeout || status.lastError == .transportFailure { status.lastError = nil }
        } else if code == 404 || code == 481 {
            restartDetected(now)
        }
    }

    // No answer: in IP-authentication mode note it and aim the next keep-alive at the next target; in
    // registration mode register again at once, which fails over if the registrar is gone.
    mutating func keepAliveFailed(_ error: RegistrationError, _ now: RegistrationInstant) {
        keepAliveOutstanding = nil
        guard phase == .active else { return }
        status.lastError = error
        if config.mode == .ipAuthentication {
            let count = config.effectiveTargets.count
            if count > 1 { targetIndex = (targetIndex + 1) % count }
        } else if outstanding == nil, status.state == .registered {
            beginRound(now)
        }
    }
}
