// RegistrationConfig: what one Skype Connect SIP Profile needs to register (RFC 3261 §10.2 fields, RFC 5626 §4.1 instance ID).

import SIPCore

/// The settings of one profile's registration client. The password lives in a `DigestSecret` and never
/// appears in `description`, `debugDescription`, `dump` or mirrors.
public struct RegistrationConfig: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The profile's name, for people only.
    public var profileName: String
    /// Request-URI of the REGISTER, e.g. `sip:sip.skype.com` or `sip:203.0.113.5:5060`.
    public var registrar: SIPURI
    /// The SIP user name (14 digits starting 99051 on Skype Connect): From and To user and digest user name.
    public var username: String
    /// The profile's password (or a stored HA1).
    public var secret: DigestSecret
    /// The domain of the address-of-record; nil means the registrar URI's host.
    public var domain: String?
    /// The transport of the implicit target used when `targets` is empty.
    public var transport: RegistrationTransport
    /// The Contact URI the driver's transport will receive on; replaced by `transportReconnected`.
    public var contact: SIPURI
    /// An RFC 5626 instance ID such as `urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF`, sent as
    /// `+sip.instance` in Contact; nil sends none.
    public var instanceID: String?
    /// Registration or IP authentication.
    public var mode: RegistrationMode
    /// The expiry asked for in seconds (raised by a 423 Min-Expires).
    public var requestedExpires: UInt32
    /// When to refresh.
    public var refresh: RefreshPolicy
    /// When to retry after failures.
    public var retry: RetryPolicy
    /// OPTIONS keep-alive period. Nil means none in registration mode and 30 s in IP-authentication mode.
    public var keepAliveInterval: Duration?
    /// Resolved next hops in preference order (RFC 3263); empty means the registrar URI's host and port.
    public var targets: [RegistrationTarget]
    /// Answer refreshes with the last challenge (next nonce count) before being challenged again.
    public var preemptiveAuthentication: Bool
    public var userAgent: String
    /// Methods listed in Allow.
    public var allow: [String]
    /// Option tags listed in Supported.
    public var supported: [String]

    /// The registrar of Skype Connect, `sip:sip.skype.com`.
    public static let skypeConnectRegistrar = SIPURI(host: "sip.skype.com")
    /// OPTIONS period used in IP-authentication mode when `keepAliveInterval` is nil.
    public static let defaultIPAuthenticationKeepAlive: Duration = .seconds(30)

    public init(
        profileName: String,
        registrar: SIPURI = RegistrationConfig.skypeConnectRegistrar,
        username: String,
        secret: DigestSecret,
        contact: SIPURI,
        transport: RegistrationTransport = .udp,
        mode: RegistrationMode = .register,
        domain: String? = nil,
        instanceID: String? = nil,
        requestedExpires: UInt32 = 3600,
        refresh: RefreshPolicy = RefreshPolicy(),
        retry: RetryPolicy = RetryPolicy(),
        keepAliveInterval: Duration? = nil,
        targets: [RegistrationTarget] = [],
        preemptiveAuthentication: Bool = true,
        userAgent: String = "trunkbox",
        allow: [String] = ["INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "INFO"],
        supported: [String] = ["path"]
    ) {
        self.profileName = profileName
        self.registrar = registrar
        self.username = username
        self.secret = secret
        self.domain = domain
        self.transport = transport
        self.contact = contact
        self.instanceID = instanceID
        self.mode = mode
        self.requestedExpires = requestedExpires
        self.refresh = refresh
        self.retry = retry
        self.keepAliveInterval = keepAliveInterval
        self.targets = targets
        self.preemptiveAuthentication = preemptiveAuthentication
        self.userAgent = userAgent
        self.allow = allow
        self.supported = supported
    }

    /// The address-of-record `sip:<username>@<domain or registrar host>` used in From and To.
    public var addressOfRecord: SIPURI {
        SIPURI(isSecure: registrar.isSecure, user: URIEscaping.escapeUser(username), host: domain ?? registrar.host)
    }

    /// The targets to try: `targets`, or the registrar URI's own host and port when none were resolved.
    public var effectiveTargets: [RegistrationTarget] {
        targets.isEmpty ? [RegistrationTarget(uri: registrar, transport: transport)] : targets
    }

    /// The OPTIONS period in force for the mode, nil when no keep-alives are sent.
    public var effectiveKeepAliveInterval: Duration? {
        let interval = keepAliveInterval ?? (mode == .ipAuthentication ? Self.defaultIPAuthenticationKeepAlive : nil)
        guard let interval, interval > .zero else { return nil }
        return interval
    }

    /// What is wrong with these settings, in plain words; empty when they are usable. The client copes
    /// with bad values (it never asks for 0 s), but a console should refuse to commit them.
    public var problems: [String] {
        var out: [String] = []
        if mode == .register {
            if username.isEmpty { out.append("the SIP user name is empty") }
            if requestedExpires < 60 { out.append("the registration expiry must be at least 60 s") }
            if refresh.margin < RefreshPolicy.minimumLead { out.append("the refresh margin must be at least 5 s") }
            if retry.failureInterval < .seconds(1) || retry.forbiddenInterval < .seconds(1) {
                out.append("retry intervals must be at least 1 s")
            }
            if retry.maximumInterval < retry.failureInterval { out.append("the retry cap is below the retry interval") }
        }
        if !(0...1).contains(retry.jitter) { out.append("retry jitter must be between 0 and 1") }
        if let k = keepAliveInterval, k > .zero, k < .seconds(1) { out.append("the keep-alive interval must be 0 (none) or at least 1 s") }
        for t in targets where !(1...65_535).contains(t.port) { out.append("target \(t) has no valid port") }
        return out
    }

    /// One line without the password.
    public var description: String {
        var s = "profile \(String(reflecting: profileName)): \(mode), user \(username), registrar \(registrar)"
        s += ", password ********, contact \(contact), expires \(requestedExpires) s"
        if let instanceID { s += ", instance \(instanceID)" }
        return s
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// Every setting, the password as `********`.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "profileName": profileName, "registrar": registrar, "username": username, "secret": "********",
            "domain": domain as Any, "transport": transport, "contact": contact, "instanceID": instanceID as Any,
            "mode": mode, "requestedExpires": requestedExpires, "refresh": refresh, "retry": retry,
            "keepAliveInterval": keepAliveInterval as Any, "targets": targets,
            "preemptiveAuthentication": preemptiveAuthentication, "userAgent": userAgent,
            "allow": allow, "supported": supported,
        ], displayStyle: .struct)
    }
}
