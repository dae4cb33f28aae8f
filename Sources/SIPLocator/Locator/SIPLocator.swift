// SIPLocator: RFC 3263 §4 server location as a state machine: which DNS lookups to send, what the answers mean, the ordered targets.

/// Locates the server for a SIP or SIPS URI: transport (RFC 3263 §4.1), then address and port
/// (§4.2), ordered for fail-over (§4.3). It does no I/O and reads no clock: `start()` and each
/// answer return an `Action` naming the lookups to send, or the outcome. The driver owns sockets,
/// query IDs, timeouts and the TCP retry of truncated answers:
///
///     var locator = SIPLocator(uri: uri, configuration: config, randomSeed: .random(in: .min ... .max))
///     var action = locator.start()
///     // .sendQueries(qs): send DNSQuery(id: <random>, question: q) for each q
///     // a response r to q, after DNSQuery.validate(r): action = locator.receive(r, for: q)
///     // no answer for q in time: action = locator.lookupFailed(q)
///     // repeat until .resolved(targets) or .failed(reason)
///
/// Decisions: a numeric host needs no DNS; a host with a port gets A/AAAA lookups only; otherwise
/// SRV for the `transport` parameter's transport, or for every allowed transport in preference
/// order (`_sips._tcp` only for SIPS), optionally after NAPTR. No SRV record at all falls back to
/// A/AAAA of the host on the default port; an SRV answer whose only target is `.` means no service.
public struct SIPLocator: Sendable {
    /// What the driver does next.
    public enum Action: Hashable, Sendable {
        /// Send these lookups, in addition to any still outstanding; report each through
        /// `receive(_:for:)` or `lookupFailed(_:)`.
        case sendQueries([DNSQuestion])
        /// Lookups are outstanding and nothing new is to be sent.
        case waitForAnswers
        /// Done: the targets, in the order to try them.
        case resolved(SIPTargetList)
        /// Done: no target could be found.
        case failed(SIPLocatorError)
    }

    public let uri: SIPLocatorURI
    public let configuration: SIPLocatorConfiguration
    /// Lookups asked for and not yet answered.
    public private(set) var pendingQuestions: [DNSQuestion] = []
    /// Lookups asked for so far, at most `configuration.maxLookups`.
    public private(set) var lookupCount = 0

    private enum Phase: Hashable, Sendable {
        case idle, naptr, services, addresses
        case finished(Action)
    }

    private struct Service: Hashable, Sendable {
        var transport: SIPTransport
        var name: DNSName
        var records: [DNSSRVRecord] = []
        var additionals: [DNSResourceRecord] = []
    }

    private struct Host: Hashable, Sendable {
        var name: DNSName
        var port: UInt16
        var transport: SIPTransport
    }

    private struct AddressKey: Hashable, Sendable {
        var name: DNSName
        var family: IPAddressFamily
    }

    private var phase = Phase.idle
    private var rng: SplitMix64
    private var domain = DNSName.root
    private var requested: SIPTransport?
    private var candidates: [SIPTransport] = []
    private var naptrRecords: [DNSNAPTRRecord] = []
    private var services: [Service] = []
    private var hosts: [Host] = []
    private var addresses: [AddressKey: [IPAddress]] = [:]
    private var failures: [DNSQuestion] = []
    private var minimumTTL: UInt32?

    /// `randomSeed` drives the RFC 2782 weighted choice among SRV targets; pass a random value in
    /// service, a fixed one for reproducible tests.
    public init(uri: SIPLocatorURI, configuration: SIPLocatorConfiguration = SIPLocatorConfiguration(), randomSeed: UInt64 = 0) {
        self.uri = uri
        self.configuration = configuration
        rng = SplitMix64(seed: randomSeed)
    }

    /// True once `.resolved` or `.failed` has been returned.
    public var isFinished: Bool {
        if case .finished = phase { return true }
        return false
    }

    /// Decides what to do for the URI: an immediate outcome for a numeric host or a bad URI, else
    /// the first lookups. Calling it again returns the current state without side effects.
    public mutating func start() -> Action {
        guard case .idle = phase else { return currentAction }
        do {
            return try begin()
        } catch {
            return finish(.failed(error))
        }
    }

    /// Consumes the response to `question` (which should have passed `DNSQuery.validate`).
    /// NXDOMAIN and an empty answer both mean "no records"; other response codes count as a failed
    /// lookup. A response to a question that is not pending is ignored. After the outcome, every
    /// call returns that outcome again.
    public mutating func receive(_ response: DNSMessage, for question: DNSQuestion) -> Action {
        guard let index = pendingQuestions.firstIndex(of: question) else { return currentAction }
        pendingQuestions.remove(at: index)
        var records: [DNSResourceRecord] = []
        switch response.header.responseCode {
        case .noError: records = response.records(answering: question)
        case .nameError: break
        default: failures.append(question)
        }
        absorb(records, additionals: response.additionals, for: question)
        return pendingQuestions.isEmpty ? advance() : .waitForAnswers
    }

    /// Reports that `question` got no usable response (every retry timed out, the socket failed).
    public mutating func lookupFailed(_ question: DNSQuestion) -> Action {
        guard let index = pendingQuestions.firstIndex(of: question) else { return currentAction }
        pendingQuestions.remove(at: index)
        failures.append(question)
        return pendingQuestions.isEmpty ? advance() : .waitForAnswers
    }

    private var currentAction: Action {
        if case .finished(let action) = phase { return action }
        return .waitForAnswers
    }

    private mutating func begin() throws(SIPLocatorError) -> Action {
        let hostText = uri.maddr ?? uri.host
        var port: UInt16?
        if let p = uri.port {
            guard (1...65_535).contains(p) else { throw .invalidPort(p) }
            port = UInt16(p)
        }
        guard !configuration.transports.isEmpty else { throw .noTransports }
        requested = try uri.requestedTransport()
        if let requested, !configuration.transports.contains(requested) { throw .transportNotAllowed(requested) }

        // §4.1/§4.2: a numeric host is used as it is.
        if let ip = IPAddress(hostText) {
            let transport = try directTransport()
            let target = SIPTarget(address: ip, port: port ?? transport.defaultPort, transport: transport)
            return finish(.resolved(targetList([target])))
        }
        domain = try Self.hostName(hostText)

        // §4.2: an explicit port means A/AAAA only, no SRV.
        if let port {
            hosts = [Host(name: domain, port: port, transport: try directTransport())]
            return lookUpAddresses()
        }
        if let requested {
            candidates = [requested]
        } else if uri.isSecure {
            guard configuration.transports.contains(.tls) else { throw .transportNotAllowed(.tls) }
            candidates = [.tls]
        } else {
            candidates = []
            for t in configuration.transports where !candidates.contains(t) { candidates.append(t) }
        }
        if requested == nil, configuration.usesNAPTR {
            phase = .naptr
            return send([DNSQuestion(name: domain, type: .naptr)])
        }
        return lookUpServices(defaultServices())
    }

    // §4.1: the `transport` parameter's transport when given, else the default one.
    private func directTransport() throws(SIPLocatorError) -> SIPTransport {
        if let requested { return requested }
        return try defaultTransport()
    }

    // §4.1: UDP for a SIP URI (or the first allowed transport if UDP is not), TLS for SIPS.
    private func defaultTransport() throws(SIPLocatorError) -> SIPTransport {
        if uri.isSecure {
            guard configuration.transports.contains(.tls) else { throw .transportNotAllowed(.tls) }
            return .tls
        }
        if configuration.transports.contains(.udp) { return .udp }
        guard let first = configuration.transports.first else { throw .noTransports }
        return first
    }

    private func defaultServices() -> [Service] {
        candidates.compactMap { t in (try? t.serviceName(at: domain)).map { Service(transport: t, name: $0) } }
    }

    // §4.1 NAPTR: flag "s", a service the box may use (only SIPS+D2T for SIPS), by order then preference.
    private func servicesFromNAPTR() -> [Service] {
        let sorted = naptrRecords.enumerated().sorted {
            ($0.element.order, $0.element.preference, $0.offset) < ($1.element.order, $1.element.preference, $1.offset)
        }
        var result: [Service] = []
        for (_, record) in sorted where record.flags.lowercased() == "s" && !record.replacement.isRoot {
            guard let transport = candidates.first(where: { $0.naptrService.lowercased() == record.services.lowercased() }),
                  !result.contains(where: { $0.transport == transport && $0.name == record.replacement }) else { continue }
            result.append(Service(transport: transport, name: record.replacement))
        }
        return result
    }

    private mutating func lookUpServices(_ list: [Service]) -> Action {
        services = list
        phase = .services
        var questions: [DNSQuestion] = []
        for s in list where !questions.contains(where: { $0.name == s.name }) {
            questions.append(DNSQuestion(name: s.name, type: .srv))
        }
        return send(questions)
    }

    // §4.2: SRV targets in RFC 2782 order, service by service; no SRV record at all falls back
    // to the host on the default port; only `.` targets mean the service is not available.
    private mutating func chooseHosts() -> Action {
        var sawRecords = false
        hosts = []
        for service in services {
            if !service.records.isEmpty { sawRecords = true }
            let ordered = DNSSRVRecord.ordered(service.records, using: &rng).filter { $0.port != 0 }
            for record in ordered.prefix(max(0, configuration.maxTargetsPerService)) {
                hosts.append(Host(name: record.target, port: record.port, transport: service.transport))
                for family in configuration.addressFamilies where addresses[AddressKey(name: record.target, family: family)] == nil {
                    let extra = service.additionals.filter {
                        $0.name == record.target && $0.class == .internet && $0.type == family.recordType
                    }
                    guard !extra.isEmpty else { continue }
                    noteTTL(extra)
                    addresses[AddressKey(name: record.target, family: family)] = extra.compactMap(\.data.address)
                }
            }
        }
        if hosts.isEmpty {
            if sawRecords { return finish(.failed(.serviceUnavailable(domain))) }
            let transport: SIPTransport
            do {
                transport = try directTransport()
            } catch {
                return finish(.failed(error))
            }
            hosts = [Host(name: domain, port: transport.defaultPort, transport: transport)]
        }
        return lookUpAddresses()
    }

    private mutating func lookUpAddresses() -> Action {
        phase = .addresses
        var questions: [DNSQuestion] = []
        for host in hosts {
            for family in configuration.addressFamilies where addresses[AddressKey(name: host.name, family: family)] == nil {
                let q = DNSQuestion(name: host.name, type: family.recordType)
                if !questions.contains(q) { questions.append(q) }
            }
        }
        return send(questions)
    }

    private mutating func finishWithTargets() -> Action {
        var seen = Set<SIPTarget>()
        var list: [SIPTarget] = []
        for host in hosts {
            for family in configuration.addressFamilies {
                for address in addresses[AddressKey(name: host.name, family: family)] ?? [] {
                    let target = SIPTarget(address: address, port: host.port, transport: host.transport)
                    if seen.insert(target).inserted { list.append(target) }
                }
            }
        }
        guard !list.isEmpty else {
            return finish(.failed(failures.first.map { .lookupFailed($0) } ?? .noAddresses(domain)))
        }
        return finish(.resolved(targetList(list)))
    }

    // Asks for `questions` within the lookup budget; with nothing left to wait for, moves on.
    private mutating func send(_ questions: [DNSQuestion]) -> Action {
        var sent: [DNSQuestion] = []
        for q in questions where lookupCount < configuration.maxLookups && !pendingQuestions.contains(q) {
            lookupCount += 1
            pendingQuestions.append(q)
            sent.append(q)
        }
        if !sent.isEmpty { return .sendQueries(sent) }
        return pendingQuestions.isEmpty ? advance() : .waitForAnswers
    }

    private mutating func advance() -> Action {
        switch phase {
        case .naptr:
            let fromNAPTR = servicesFromNAPTR()
            return lookUpServices(fromNAPTR.isEmpty ? defaultServices() : fromNAPTR)
        case .services: return chooseHosts()
        case .addresses: return finishWithTargets()
        case .idle, .finished: return currentAction
        }
    }

    private mutating func absorb(_ records: [DNSResourceRecord], additionals: [DNSResourceRecord], for question: DNSQuestion) {
        noteTTL(records)
        switch question.type {
        case .naptr:
            naptrRecords += records.compactMap { if case .naptr(let n) = $0.data { n } else { nil } }
        case .srv:
            let srv = records.compactMap { if case .srv(let s) = $0.data { s } else { nil } }
            for i in services.indices where services[i].name == question.name {
                services[i].records = srv
                services[i].additionals = additionals
            }
        case .a, .aaaa:
            let family: IPAddressFamily = question.type == .a ? .ipv4 : .ipv6
            addresses[AddressKey(name: question.name, family: family)] = records.compactMap(\.data.address)
        default:
            break
        }
    }

    private mutating func noteTTL(_ records: [DNSResourceRecord]) {
        for r in records { minimumTTL = min(minimumTTL ?? r.ttl, r.ttl) }
    }

    private mutating func finish(_ action: Action) -> Action {
        phase = .finished(action)
        pendingQuestions = []
        return action
    }

    private func targetList(_ targets: [SIPTarget]) -> SIPTargetList {
        SIPTargetList(targets, timeToLive: minimumTTL, blacklistDuration: configuration.blacklistDuration)
    }

    // A host name as DNS can look it up: letters, digits, `-` and `_` in each label, and a last
    // label that is not all digits (so a malformed IPv4 address is not sent to DNS).
    private static func hostName(_ text: String) throws(SIPLocatorError) -> DNSName {
        let name: DNSName
        do {
            name = try DNSName(text)
        } catch {
            throw .invalidHost(text)
        }
        let allowed: (UInt8) -> Bool = { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x2D || b == 0x5F
        }
        guard let last = name.labels.last, !last.allSatisfy({ (0x30...0x39).contains($0) }),
              name.labels.allSatisfy({ $0.allSatisfy(allowed) }) else { throw .invalidHost(text) }
        return name
    }
}
