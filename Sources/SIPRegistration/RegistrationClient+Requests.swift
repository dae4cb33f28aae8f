// RegistrationClient+Requests: building the REGISTER (RFC 3261 §10.2, §20.10 Contact expires, §22.4 credentials; RFC 5626 §4.1 +sip.instance).

import SIPCore

extension RegistrationClient {
    // Sends a REGISTER for the current Contact (and retired Contacts with expires=0), with credentials
    // for every remembered challenge. `unregister` asks for Expires: 0.
    mutating func sendRegister(unregister: Bool, _ now: RegistrationInstant) {
        sequence += 1
        let cseq = SIPCSeq(sequence, .register)
        let expires = unregister ? 0 : expiresToRequest
        let aor = config.addressOfRecord
        let requestURI = config.registrar.description

        var headers = SIPHeaders()
        headers.add(.maxForwards, "70")
        headers.add(.from, SIPNameAddress(uri: .sip(aor), parameters: [SIPParameter("tag", fromTag)]).description)
        headers.add(.to, SIPNameAddress(uri: .sip(aor)).description)
        headers.add(.callID, callID)
        headers.add(.cseq, cseq.description)
        headers.add(.contact, contactValue(config.contact, expires: expires, instance: true))
        for old in retiredContacts where !old.isEquivalent(to: config.contact) {
            headers.add(.contact, contactValue(old, expires: 0, instance: false))
        }
        headers.add(.expires, String(expires))
        let proxyCredentials = credentials(.proxy, uri: requestURI)
        if let proxyCredentials { headers.add(.proxyAuthorization, proxyCredentials.1) }
        let wwwCredentials = credentials(.www, uri: requestURI)
        if let wwwCredentials { headers.add(.authorization, wwwCredentials.1) }
        addCommonHeaders(&headers)

        outstanding = Outstanding(cseq: cseq, unregister: unregister, expires: expires,
                                  www: wwwCredentials?.0, proxy: proxyCredentials?.0)
        if !unregister { status.attempts += 1 }
        lastAttemptAt = now
        send(SIPMessage.request(.register, .sip(config.registrar), headers: headers), cseq)
    }

    // Credentials for the remembered challenge of `kind` with the next nonce count and a new cnonce,
    // and their header value; nil when there is no challenge or it can no longer be answered.
    mutating func credentials(_ kind: AuthKind, uri: String) -> (Carried, String)? {
        guard let challenge = self[kind].challenge else { return nil }
        let cnonce = random.token()
        var slot = self[kind]
        defer { self[kind] = slot }
        do {
            let c = try slot.digest.authorize(challenge, method: SIPMethod.register.rawValue, uri: uri, cnonce: cnonce)
            return (Carried(credentials: c, preemptive: slot.round != round.number), try c.serialized())
        } catch {
            slot.challenge = nil
            return nil
        }
    }

    // `<uri>;expires=N` plus `+sip.instance="<urn>"` when configured.
    func contactValue(_ uri: SIPURI, expires: UInt32, instance: Bool) -> String {
        var parameters = [SIPParameter("expires", String(expires))]
        if instance, let id = config.instanceID { parameters.append(SIPParameter("+sip.instance", "\"<\(id)>\"")) }
        return SIPNameAddress(uri: .sip(uri), parameters: parameters).description
    }

    func addCommonHeaders(_ headers: inout SIPHeaders) {
        if !config.allow.isEmpty { headers.add(.allow, config.allow.joined(separator: ", ")) }
        if !config.supported.isEmpty { headers.add(.supported, config.supported.joined(separator: ", ")) }
        if !config.userAgent.isEmpty { headers.add(.userAgent, config.userAgent) }
    }

    mutating func send(_ message: SIPMessage, _ cseq: SIPCSeq) {
        let targets = config.effectiveTargets
        if !targets.indices.contains(targetIndex) { targetIndex = 0 }
        pending.append(.sendRequest(RegistrationRequest(message: message, cseq: cseq, target: targets[targetIndex],
                                                        targetIndex: targetIndex)))
    }
}
