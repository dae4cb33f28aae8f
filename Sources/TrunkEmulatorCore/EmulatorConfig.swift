// EmulatorConfig: the Skype Connect trunk emulator's accounts and listeners, and the parser of its text file.
//
// The file format (one statement a line, `#` starts a comment, blank lines ignored; a `profile NAME` line
// opens a block whose statements are indented by at least one space):
//
//     listen udp 127.0.0.1:5060          # where the trunk listens for SIP: udp or tls (several lines allowed)
//     tls-dir /var/lib/emulator/tls      # a `listen tls` serves DIR/server.pem; a test CA (DIR/ca.pem) and that
//                                        # certificate are made on first run when DIR has none
//     digest-algorithms md5 sha-256      # one challenge per algorithm, in this order (default: md5 only)
//     realm sip.skype.com                # digest realm (default sip.skype.com)
//     media-address 127.0.0.1            # the far end's RTP address (default: the first listen address)
//     rtp-ports 41000-41999              # the far end's RTP ports (even ports used)
//     tone-seconds 3                     # the far end plays 1 kHz for this long, then echoes
//     ring-ms 500                        # the far end rings this long before it answers
//
//     profile Sales                      # a SIP Profile; its name is for people only
//      sip-user 99051000012345           # 14 digits starting 99051; the digest user name
//      password Sales-Secret-1
//      auth registration                 # or: auth ip 192.0.2.10[:5060] (no challenge from that address)
//      channels 4                        # 1-300
//      us-bundles 2                      # 5,000 US minutes a month each; never more than channels
//      credit 25.00                      # Skype Credit in USD
//      rate us 0.023                     # USD a minute to US/Canada numbers once the bundles are used
//      rate other 0.10                   # USD a minute to every other number
//      verified-number +442071234567     # a landline the business showed it owns (any number of lines)
//      online-number +12026555376        # up to 99 per profile; an Online Number is on one profile only
//      skype-name architects.sales       # business Skype Names whose calls go to this profile
//      caller-id +12026555376            # shown on outgoing calls when the PBX's is not allowed (default: unknown)
//      srtp on                           # offer/require SDES-SRTP on this profile's calls (default off)
//
// Every error names its line.

/// Money in millionths of a US dollar (exact for rates such as 0.023 USD a minute).
public struct USD: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var micros: Int64
    public init(micros: Int64) { self.micros = micros }
    public static let zero = USD(micros: 0)
    public static func < (a: USD, b: USD) -> Bool { a.micros < b.micros }
    public static func + (a: USD, b: USD) -> USD { USD(micros: a.micros + b.micros) }
    public static func - (a: USD, b: USD) -> USD { USD(micros: a.micros - b.micros) }
    public static func * (a: USD, n: Int) -> USD { USD(micros: a.micros * Int64(n)) }

    /// Parses `12`, `12.5`, `0.023`, `$3.10` (at most six decimals).
    public init?(parsing text: String) {
        var t = Substring(text)
        if t.hasPrefix("$") { t = t.dropFirst() }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigitChar),
              let w = Int64(whole), w < 1_000_000_000 else { return nil }
        var micros = w * 1_000_000
        if parts.count == 2 {
            let frac = parts[1]
            guard !frac.isEmpty, frac.count <= 6, frac.allSatisfy(\.isASCIIDigitChar) else { return nil }
            micros += Int64(frac + String(repeating: "0", count: 6 - frac.count))!
        }
        self.micros = micros
    }

    /// `$12.34` (cents, rounded half up); `exact` shows up to six decimals when needed.
    public var description: String { format(decimals: 2) }

    public func format(decimals: Int) -> String {
        let scale = Int64([1, 10, 100, 1000, 10_000, 100_000, 1_000_000][decimals])
        let unit = 1_000_000 / scale
        let negative = micros < 0
        let rounded = (abs(micros) + unit / 2) / unit
        let whole = rounded / scale
        var frac = decimals == 0 ? "" : String(rounded % scale)
        while frac.count < decimals { frac = "0" + frac }
        return (negative ? "-$" : "$") + String(whole) + (decimals == 0 ? "" : "." + frac)
    }
}

extension Character {
    var isASCIIDigitChar: Bool { ("0"..."9").contains(self) }
}

/// How a profile's PBX (the box) proves who it is.
public enum EmulatorAuth: Sendable, Hashable {
    /// REGISTER with digest; every request challenged.
    case registration
    /// A fixed address (and port, when given); requests from it are not challenged.
    case ip(address: String, port: Int?)
}

/// One SIP Profile as Skype Manager held it.
public struct EmulatorProfile: Sendable, Hashable {
    public var name: String
    public var sipUser: String
    public var password: String
    public var auth: EmulatorAuth
    public var channels: Int
    public var usBundles: Int
    public var credit: USD
    public var rateUS: USD
    public var rateOther: USD
    /// E.164 with `+`.
    public var verifiedNumbers: [String]
    public var onlineNumbers: [String]
    public var skypeNames: [String]
    /// Shown when the PBX's caller ID is not allowed; nil means "unknown".
    public var callerID: String?
    public var srtp: Bool
    /// The line of the `profile` statement.
    public var line: Int

    public init(name: String, sipUser: String, password: String, auth: EmulatorAuth = .registration, channels: Int = 1,
                usBundles: Int = 0, credit: USD = .zero, rateUS: USD = USD(micros: 23_000), rateOther: USD = USD(micros: 100_000),
                verifiedNumbers: [String] = [], onlineNumbers: [String] = [], skypeNames: [String] = [], callerID: String? = nil,
                srtp: Bool = false, line: Int = 0) {
        self.name = name; self.sipUser = sipUser; self.password = password; self.auth = auth; self.channels = channels
        self.usBundles = usBundles; self.credit = credit; self.rateUS = rateUS; self.rateOther = rateOther
        self.verifiedNumbers = verifiedNumbers; self.onlineNumbers = onlineNumbers; self.skypeNames = skypeNames
        self.callerID = callerID; self.srtp = srtp; self.line = line
    }

    /// Minutes of US bundle a month.
    public var bundleMinutesPerMonth: Int { usBundles * EmulatorRules.minutesPerBundle }
}

public struct EmulatorListen: Sendable, Hashable {
    public var transport: String
    public var host: String
    public var port: Int
    public init(transport: String, host: String, port: Int) { self.transport = transport; self.host = host; self.port = port }
}

public struct EmulatorConfig: Sendable, Hashable {
    public var listens: [EmulatorListen] = []
    public var realm = "sip.skype.com"
    /// Where a `listen tls` finds (or makes) its test CA and server certificate.
    public var tlsDirectory: String?
    /// The digest algorithms the trunk challenges with, one challenge each, in order (`MD5`, `SHA-256`).
    public var digestAlgorithms = ["MD5"]
    public var mediaAddress: String?
    public var rtpPorts: ClosedRange<Int> = 41000...41999
    public var toneSeconds = 3
    public var ringMilliseconds = 500
    public var profiles: [EmulatorProfile] = []

    public init() {}

    public func profile(sipUser: String) -> EmulatorProfile? { profiles.first { $0.sipUser == sipUser } }
}

/// The rules of the service, as numbers.
public enum EmulatorRules {
    public static let minutesPerBundle = 5000
    public static let maxChannels = 300
    public static let maxOnlineNumbers = 99
}

/// A config error with the line it is on (1-based).
public struct EmulatorConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public init(line: Int, _ message: String) { self.line = line; self.message = message }
    public var description: String { "line \(line): \(message)" }
}

public enum EmulatorConfigParser {
    /// Parses and validates; throws the first error found (errors name their line).
    public static func parse(_ text: String) throws(EmulatorConfigError) -> EmulatorConfig {
        var config = EmulatorConfig()
        var current: EmulatorProfile?
        var seenInProfile: Set<String> = []
        var lineNumber = 0
        var lastStatementLine = 1
        func close() {
            if let p = current { config.profiles.append(p) }
            current = nil
            seenInProfile = []
        }
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            if line.hasSuffix("\r") { line = line.dropLast() }
            let indented = line.first == " " || line.first == "\t"
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = words.first else { continue }
            lastStatementLine = lineNumber
            let args = Array(words.dropFirst())
            func fail(_ message: String) -> EmulatorConfigError { EmulatorConfigError(line: lineNumber, message) }
            func one() throws(EmulatorConfigError) -> String {
                guard args.count == 1 else { throw fail("'\(keyword)' takes one value, found \(args.count)") }
                return args[0]
            }
            func int(_ range: ClosedRange<Int>) throws(EmulatorConfigError) -> Int {
                let v = try one()
                guard let n = Int(v), range.contains(n) else {
                    throw fail("'\(keyword)' must be a whole number \(range.lowerBound)-\(range.upperBound), found '\(v)'")
                }
                return n
            }
            if indented {
                guard var p = current else { throw fail("'\(keyword)' is indented but no profile block is open") }
                let repeatable: Set<String> = ["verified-number", "online-number", "skype-name", "rate"]
                if !repeatable.contains(keyword) {
                    guard !seenInProfile.contains(keyword) else { throw fail("'\(keyword)' is given twice in profile \(p.name)") }
                    seenInProfile.insert(keyword)
                }
                switch keyword {
                case "sip-user":
                    let v = try one()
                    guard v.count == 14, v.hasPrefix("99051"), v.allSatisfy(\.isASCIIDigitChar) else {
                        throw fail("sip-user must be 14 digits starting 99051, found '\(v)'")
                    }
                    guard config.profile(sipUser: v) == nil else { throw fail("sip-user \(v) already belongs to another profile") }
                    p.sipUser = v
                case "password":
                    p.password = try one()
                case "auth":
                    switch args.first {
                    case "registration" where args.count == 1: p.auth = .registration
                    case "ip" where args.count == 2:
                        let (host, port) = splitHostPort(args[1])
                        guard isIPv4(host) else { throw fail("auth ip needs an IPv4 address[:port], found '\(args[1])'") }
                        p.auth = .ip(address: host, port: port)
                    default: throw fail("auth must be 'registration' or 'ip ADDRESS[:PORT]'")
                    }
                case "channels": p.channels = try int(1...EmulatorRules.maxChannels)
                case "us-bundles": p.usBundles = try int(0...EmulatorRules.maxChannels)
                case "credit":
                    let v = try one()
                    guard let c = USD(parsing: v) else { throw fail("credit must be an amount in USD such as 25.00, found '\(v)'") }
                    p.credit = c
                case "rate":
                    guard args.count == 2, args[0] == "us" || args[0] == "other" else {
                        throw fail("rate must be 'rate us USD' or 'rate other USD'")
                    }
                    guard let r = USD(parsing: args[1]) else { throw fail("rate \(args[0]) must be USD a minute such as 0.023, found '\(args[1])'") }
                    if args[0] == "us" { p.rateUS = r } else { p.rateOther = r }
                case "verified-number", "online-number", "caller-id":
                    let v = try one()
                    guard let n = E164.parse(v) else { throw fail("\(keyword) must be an international number such as +12026555376, found '\(v)'") }
                    if keyword == "verified-number" { p.verifiedNumbers.append(n) }
                    else if keyword == "caller-id" { p.callerID = n }
                    else {
                        guard !p.onlineNumbers.contains(n) else { throw fail("online-number \(n) is given twice") }
                        guard p.onlineNumbers.count < EmulatorRules.maxOnlineNumbers else {
                            throw fail("profile \(p.name) has more than \(EmulatorRules.maxOnlineNumbers) Online Numbers")
                        }
                        if let other = config.profiles.first(where: { $0.onlineNumbers.contains(n) }) {
                            throw fail("online-number \(n) already belongs to profile \(other.name)")
                        }
                        p.onlineNumbers.append(n)
                    }
                case "skype-name":
                    let v = try one()
                    guard v.count >= 6, v.count <= 32, v.first?.isLetter == true,
                          v.allSatisfy({ $0.isLetter || $0.isNumber || ".,-_".contains($0) }), v.allSatisfy(\.isASCII) else {
                        throw fail("skype-name must be 6-32 letters, digits or . , - _ starting with a letter, found '\(v)'")
                    }
                    if let other = config.profiles.first(where: { $0.skypeNames.contains(v.lowercased()) }) {
                        throw fail("skype-name \(v) already belongs to profile \(other.name)")
                    }
                    p.skypeNames.append(v.lowercased())
                case "srtp":
                    let v = try one()
                    guard v == "on" || v == "off" else { throw fail("srtp must be 'on' or 'off', found '\(v)'") }
                    p.srtp = v == "on"
                default:
                    throw fail("unknown profile statement '\(keyword)'")
                }
                current = p
                continue
            }
            close()
            switch keyword {
            case "profile":
                guard !args.isEmpty else { throw fail("profile needs a name") }
                let name = args.joined(separator: " ")
                guard !config.profiles.contains(where: { $0.name == name }) else { throw fail("profile \(name) is defined twice") }
                current = EmulatorProfile(name: name, sipUser: "", password: "", line: lineNumber)
            case "listen":
                guard args.count == 2 else { throw fail("listen needs a transport and HOST:PORT, e.g. 'listen udp 127.0.0.1:5060'") }
                guard args[0] == "udp" || args[0] == "tls" else { throw fail("listen transport '\(args[0])' is not supported (udp or tls)") }
                let (host, port) = splitHostPort(args[1])
                guard isIPv4(host), let port, (0...65535).contains(port) else { throw fail("listen needs IPv4:PORT, found '\(args[1])'") }
                config.listens.append(EmulatorListen(transport: args[0], host: host, port: port))
            case "realm": config.realm = try one()
            case "tls-dir": config.tlsDirectory = try one()
            case "digest-algorithms":
                let names = args.map { $0.uppercased() }
                guard !names.isEmpty, names.allSatisfy({ $0 == "MD5" || $0 == "SHA-256" }), Set(names).count == names.count else {
                    throw fail("digest-algorithms takes md5 and/or sha-256, each once, in the order they are offered")
                }
                config.digestAlgorithms = names
            case "media-address":
                let v = try one()
                guard isIPv4(v) else { throw fail("media-address must be an IPv4 address, found '\(v)'") }
                config.mediaAddress = v
            case "rtp-ports":
                let v = try one()
                let parts = v.split(separator: "-")
                guard parts.count == 2, let lo = Int(parts[0]), let hi = Int(parts[1]), 1024 <= lo, lo + 3 <= hi, hi <= 65535 else {
                    throw fail("rtp-ports must be LOW-HIGH within 1024-65535 with room for two calls, found '\(v)'")
                }
                config.rtpPorts = lo...hi
            case "tone-seconds": config.toneSeconds = try int(0...3600)
            case "ring-ms": config.ringMilliseconds = try int(0...120_000)
            default:
                throw fail("unknown statement '\(keyword)'")
            }
        }
        close()
        guard !config.listens.isEmpty else { throw EmulatorConfigError(line: lastStatementLine, "no 'listen' statement: the trunk must listen somewhere") }
        if config.tlsDirectory == nil, config.listens.contains(where: { $0.transport == "tls" }) {
            throw EmulatorConfigError(line: lastStatementLine, "'listen tls' needs 'tls-dir DIR' (where the test CA and the server certificate live)")
        }
        for p in config.profiles {
            func fail(_ m: String) -> EmulatorConfigError { EmulatorConfigError(line: p.line, "profile \(p.name): \(m)") }
            if p.sipUser.isEmpty { throw fail("sip-user is missing") }
            if p.password.isEmpty, p.auth == .registration { throw fail("password is missing (needed for registration)") }
            if p.usBundles > p.channels { throw fail("\(p.usBundles) US bundles but \(p.channels) channels: never more bundles than channels") }
            if let id = p.callerID, !p.verifiedNumbers.contains(id), !p.onlineNumbers.contains(id) {
                throw fail("caller-id \(id) is neither a verified number nor an Online Number of the profile")
            }
        }
        return config
    }

    static func splitHostPort(_ text: String) -> (String, Int?) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2 { return (String(parts[0]), Int(parts[1])) }
        return (text, nil)
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigitChar) && Int($0)! <= 255 }
    }
}

/// International numbers as `+` and digits.
public enum E164 {
    /// `+12026555376`, `0012026555376` → `+12026555376`; anything else nil. 7 to 15 digits.
    public static func parse(_ text: String) -> String? {
        var digits: Substring
        if text.hasPrefix("+") { digits = text.dropFirst() }
        else if text.hasPrefix("00") { digits = text.dropFirst(2) }
        else { return nil }
        guard (7...15).contains(digits.count), digits.allSatisfy(\.isASCIIDigitChar), digits.first != "0" else { return nil }
        return "+" + digits
    }
}
