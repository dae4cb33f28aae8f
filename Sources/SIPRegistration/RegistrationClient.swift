// RegistrationClient: one profile's trunk registration as a pure state machine: REGISTER, refresh, back-off, fail-over, un-register (RFC 3261 §10.2; RFC 5626 §4.1).

import SIPCore

/// The registration client of one Skype Connect SIP Profile. It reads no clock, draws no random numbers
/// of its own and does no I/O: the driver feeds it `RegistrationEvent`s and carries out the returned
/// `RegistrationAction`s (send a request, arm or cancel its single timer, publish the status).
///
/// The driver must end every request it was asked to send with exactly one of `.responseReceived`
/// (final response), `.transactionTimedOut` or `.transportError`; late reports about requests the
/// client has since abandoned are ignored.
///
/// Rules, in brief (details on `RefreshPolicy` and `RetryPolicy`):
/// - One Call-ID and From tag per address-of-record for the client's life (RFC 3261 §10.2.4); CSeq
///   goes up by one per REGISTER. Requests carry no Via (see `RegistrationRequest`).
/// - 401/407 are answered with the strongest usable challenge; a re-challenge of an answer with the same
///   nonce means the credentials are wrong, as does a third fresh challenge in one round; stale=true
///   with a new nonce is retried at once (at most 3 times a round). The last challenge is reused for
///   refreshes with the next nonce count when it offered qop; if the registrar refuses that, the client
///   answers its new challenge as if it were the first.
/// - 423 is retried at once with Min-Expires (at most twice a round); 503/500/480 with Retry-After wait
///   as asked; 403, 404, refused credentials and 6xx give `failed` and the long retry interval.
/// - Time-outs, transport errors and 503 without Retry-After move to the next target at once; when every
///   target of the round failed the client backs off and the next round starts at the first target.
/// - A reconnect, new credentials or a lost binding register at once, but a reconnect or restart report
///   never brings forward the retry of refused credentials, nor a transient back-off younger than
///   `failureInterval`.
/// - `stop` un-registers (Expires: 0, Contact expires=0) when a binding may exist, then stops; an
///   un-registration that fails or times out is not retried.
/// - In IP-authentication mode nothing is registered; OPTIONS keep-alives go out every
///   `effectiveKeepAliveInterval`. In registration mode optional keep-alives run while registered, and a
///   404/481 or a time-out to one makes the client register again.
public struct RegistrationClient: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    enum Phase: Sendable { case idle, active, unregistering, stopped }

    enum AuthKind: Sendable { case www, proxy }

    // Credentials that went with the outstanding request, and whether they came from a challenge
    // received before this round (pre-emptive) rather than in answer to one.
    struct Carried: Sendable {
        var credentials: DigestCredentials
        var preemptive: Bool
    }

    // The REGISTER awaiting its final response.
    struct Outstanding: Sendable {
        var cseq: SIPCSeq
        var unregister: Bool
        var expires: UInt32
        var www: Carried?
        var proxy: Carried?
    }

    // The last challenge of one kind (WWW- or Proxy-Authenticate) and the nonce counter for it.
    struct AuthSlot: Sendable {
        var challenge: DigestChallenge?
        var round: Int = 0
        var digest: DigestClient
    }

    // Counters of one registration round: from the first REGISTER of a refresh, retry or restart to
    // its outcome. They bound how many requests one round may send.
    struct Round: Sendable {
        var number = 0
        var freshAnswers = 0
        var staleRetries = 0
        var intervalRetries = 0
        var targetsFailed = 0
    }

    static let maximumFreshAnswers = 2
    static let maximumStaleRetries = 3
    static let maximumIntervalRetries = 2
    static let maximumRetiredContacts = 4
    // A restart reported this soon after a 2xx is taken to be about the binding just made.
    static let restartGuard: Duration = .seconds(10)

    /// The settings in force (the contact and credentials follow the events that change them).
    public internal(set) var config: RegistrationConfig
    /// What the console shows; the same value the last `.stateChanged` carried.
    public internal(set) var status: RegistrationStatus

    var random: any RegistrationRandomSource
    var phase = Phase.idle
    var callID: String
    var fromTag: String
    var sequence: UInt32 = 0
    var outstanding: Outstanding?
    var round = Round()
    var www: AuthSlot
    var proxy: AuthSlot
    var targetIndex = 0
    var restartFromFirstTarget = false
    var expiresToRequest: UInt32
    var grantedExpiry: UInt32?
    var expiresAt: RegistrationInstant?
    var lastSuccessAt: RegistrationInstant?
    var lastAttemptAt: RegistrationInstant?
    var retiredContacts: [SIPURI] = []
    var failures = 0
    var keepAliveCallID: String?
    var keepAliveTag: String?
    var keepAliveSequence: UInt32 = 0
    var keepAliveOutstanding: UInt32?
    var nextRegisterAt: RegistrationInstant?
    var nextKeepAliveAt: RegistrationInstant?
    var armedTimer: RegistrationInstant?
    var lastEmitted: RegistrationStatus?
    var pending: [RegistrationAction] = []

    /// A client in state `idle`. Draws the Call-ID and From tag from `random` at once.
    public init(config: RegistrationConfig, random: any RegistrationRandomSource) {
        var random = random
        self.callID = random.token()
        self.fromTag = random.token()
        self.random = random
        self.config = config
        self.expiresToRequest = config.requestedExpires > 0 ? config.requestedExpires : 3600
        self.www = AuthSlot(digest: DigestClient(username: config.username, secret: config.secret))
        self.proxy = AuthSlot(digest: DigestClient(username: config.username, secret: config.secret))
        let targets = config.effectiveTargets
        self.status = RegistrationStatus(
            profileName: config.profileName, username: config.username, mode: config.mode, state: .idle,
            since: .zero, registrar: config.registrar, target: targets.first, targetIndex: 0,
            targetCount: targets.count, contact: config.contact)
    }

    /// Feeds one event; returns what the driver must do, in order.
    public mutating func handle(_ event: RegistrationEvent) -> [RegistrationAction] {
        let now = event.now
        switch event {
        case .start: start(now)
        case .responseReceived(let response, _): receive(response, now)
        case .transactionTimedOut(let cseq, _): timedOut(cseq, now)
        case .transportError: transportFailed(now)
        case .transportReconnected(let contact, _): reconnected(contact, now)
        case .timerFired: timerFired(now)
        case .registrarRestartDetected: restartDetected(now)
        case .credentialsChanged(let username, let secret, _): credentialsChanged(username, secret, now)
        case .targetsChanged(let targets, _): targetsChanged(targets, now)
        case .stop: stop(now)
        }
        return flush(now)
    }

    // MARK: Events

    mutating func start(_ now: RegistrationInstant) {
        guard phase == .idle || phase == .stopped else { return }
        phase = .active
        failures = 0
        status.lastError = nil
        if config.mode == .ipAuthentication {
            setState(.ipAuthenticated, now)
            sendKeepAlive(now)
            return
        }
        restartFromFirstTarget = true
        beginRound(now)
    }

    mutating func timerFired(_ now: RegistrationInstant) {
        armedTimer = nil
        guard phase == .active else { return }
        if let due = nextRegisterAt, due <= now, config.mode == .register {
            nextRegisterAt = nil
            if outstanding == nil { beginRound(now) }
        }
        if let due = nextKeepAliveAt, due <= now { sendKeepAlive(now) }
    }

    // The flow came back, maybe from a new local address. The old Contact is removed (expires=0) in the
    // next REGISTER when a binding may hold it. A profile whose credentials were refused keeps waiting
    // for its long retry, and one backing off waits unless its last REGISTER is at least the failure
    // interval old, so a flapping link cannot make it hammer the registrar.
    mutating func reconnected(_ contact: SIPURI, _ now: RegistrationInstant) {
        let changed = !contact.isEquivalent(to: config.contact)
        if changed, isBound(now) || outstanding != nil,
           !retiredContacts.contains(where: { $0.isEquivalent(to: config.contact) }) {
            retiredContacts.append(config.contact)
            if retiredContacts.count > Self.maximumRetiredContacts { retiredContacts.removeFirst() }
        }
        config.contact = contact
        guard phase == .active, config.mode == .register, !isHoldingOff(now) else { return }
        if outstanding != nil && !changed { return }
        beginRound(now)
    }

    // The registrar lost our binding: register again at once on the current target, unless a
    // REGISTER is already on its way, the credentials were refused, or a 2xx arrived moments ago.
    mutating func restartDetected(_ now: RegistrationInstant) {
        guard phase == .active, config.mode == .register, outstanding == nil, !isHoldingOff(now) else { return }
        if status.state == .registered, let last = lastSuccessAt, now - last < Self.restartGuard { return }
        www.challenge = nil
        proxy.challenge = nil
        expiresAt = nil
        status.lastError = .bindingLost
        beginRound(now)
    }

    // New credentials: forget challenges and register at once. A new user name is a
    // new address-of-record, so it gets a new Call-ID and From tag; its old binding is left to lapse.
    mutating func credentialsChanged(_ username: String, _ secret: DigestSecret, _ now: RegistrationInstant) {
        let userChanged = username != config.username
        config.username = username
        config.secret = secret
        // Nonce counts carry on: a registrar that re-offers a nonce must never see an nc again.
        for kind in [AuthKind.www, .proxy] {
            self[kind].challenge = nil
            self[kind].digest.username = username
            self[kind].digest.secret = secret
        }
        if userChanged {
            callID = random.token()
            fromTag = random.token()
            expiresAt = nil
            grantedExpiry = nil
            retiredContacts = []
        }
        failures = 0
        guard phase == .active, config.mode == .register else { return }
        beginRound(now)
    }

    mutating func targetsChanged(_ targets: [RegistrationTarget], _ now: RegistrationInstant) {
        let old = config.effectiveTargets
        let current = old.indices.contains(targetIndex) ? old[targetIndex] : nil
        config.targets = targets
        targetIndex = config.effectiveTargets.firstIndex { $0 == current } ?? 0
    }

    // Un-register when a binding may exist (a 2xx that has not lapsed, or a REGISTER on its way),
    // otherwise stop at once.
    mutating func stop(_ now: RegistrationInstant) {
        switch phase {
        case .unregistering: return
        case .idle, .stopped:
            finishStop(error: nil, now)
            return
        case .active:
            break
        }
        nextRegisterAt = nil
        nextKeepAliveAt = nil
        keepAliveOutstanding = nil
        guard config.mode == .register, isBound(now) || outstanding != nil else {
            finishStop(error: nil, now)
            return
        }
        phase = .unregistering
        newRound()
        setState(.unregistering, now)
        sendRegister(unregister: true, now)
    }

    // MARK: Rounds and state

    // Starts a round: fresh counters; cached challenges kept only for pre-emptive use with qop.
    mutating func newRound() {
        round = Round(number: round.number + 1)
        for kind in [AuthKind.www, .proxy] {
            if !config.preemptiveAuthentication || self[kind].challenge?.qopOptions.isEmpty == true {
                self[kind].challenge = nil
            }
        }
    }

    // Sends the first REGISTER of a round. A refresh of a live binding stays `registered`.
    mutating func beginRound(_ now: RegistrationInstant) {
        newRound()
        outstanding = nil
        nextRegisterAt = nil
        if restartFromFirstTarget {
            targetIndex = 0
            restartFromFirstTarget = false
        }
        if !config.effectiveTargets.indices.contains(targetIndex) { targetIndex = 0 }
        if !(status.state == .registered && isBound(now)) { setState(.registering, now) }
        sendRegister(unregister: false, now)
    }

    mutating func finishStop(error: RegistrationError?, _ now: RegistrationInstant) {
        phase = .stopped
        outstanding = nil
        nextRegisterAt = nil
        nextKeepAliveAt = nil
        keepAliveOutstanding = nil
        expiresAt = nil
        status.lastError = error
        setState(.stopped, now)
    }

    mutating func setState(_ state: RegistrationState, _ now: RegistrationInstant) {
        guard status.state != state else { return }
        status.state = state
        status.since = now
    }

    // True while a failure's retry must not be brought forward by a reconnect or a restart report:
    // always after refused credentials, and after a transient failure until the last REGISTER is
    // `failureInterval` old.
    func isHoldingOff(_ now: RegistrationInstant) -> Bool {
        switch status.state {
        case .failed: return true
        case .backingOff: return lastAttemptAt.map { now - $0 < config.retry.failureInterval } ?? false
        default: return false
        }
    }

    func isBound(_ now: RegistrationInstant) -> Bool {
        guard let expiresAt else { return false }
        return now < expiresAt
    }

    subscript(kind: AuthKind) -> AuthSlot {
        get { kind == .www ? www : proxy }
        set { if kind == .www { www = newValue } else { proxy = newValue } }
    }

    // Arms or cancels the timer for the earliest deadline, brings the status up to date and returns
    // the actions gathered while handling the event.
    mutating func flush(_ now: RegistrationInstant) -> [RegistrationAction] {
        let deadline = [nextRegisterAt, nextKeepAliveAt].compactMap { $0 }.min()
        if deadline != armedTimer {
            pending.append(deadline.map { .setTimer(at: $0) } ?? .cancelTimer)
            armedTimer = deadline
        }
        let targets = config.effectiveTargets
        status.username = config.username
        status.mode = config.mode
        status.contact = config.contact
        status.targetCount = targets.count
        status.targetIndex = targetIndex
        status.target = targets.indices.contains(targetIndex) ? targets[targetIndex] : nil
        status.grantedExpires = grantedExpiry
        status.expiresAt = expiresAt
        status.nextAttemptAt = nextRegisterAt
        status.failures = failures
        if status != lastEmitted {
            pending.append(.stateChanged(status))
            lastEmitted = status
        }
        defer { pending = [] }
        return pending
    }

    // MARK: Printing

    /// The status line; never the password.
    public var description: String { "RegistrationClient(\(status))" }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// Settings (password masked), status and request identifiers.
    public var customMirror: Mirror {
        Mirror(self, children: ["config": config, "status": status, "callID": callID, "cseq": sequence],
               displayStyle: .struct)
    }
}
