// SIPTLSSettings: TLS for SIP over swift-nio-ssl: TLS 1.2+, certificate and host name verification (RFC 5922).
import NIOCore
import NIOSSL

/// How the box checks a trunk's certificate and which certificate it shows when it listens on TLS.
public struct SIPTLSSettings: Sendable {
    /// CA file (PEM) to trust instead of the system store.
    public var caFile: String?
    /// Certificate chain and key (PEM) presented by TLS listeners.
    public var certificateFile: String?
    public var privateKeyFile: String?
    /// Verify the peer's certificate and host name (never turn off toward a real trunk).
    public var verifyPeer: Bool

    public init(caFile: String? = nil, certificateFile: String? = nil, privateKeyFile: String? = nil, verifyPeer: Bool = true) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.verifyPeer = verifyPeer
    }

    func makeClientContext() throws -> NIOSSLContext {
        var config = TLSConfiguration.makeClientConfiguration()
        config.minimumTLSVersion = .tlsv12
        config.certificateVerification = verifyPeer ? .fullVerification : .none
        if let caFile { config.trustRoots = .file(caFile) }
        if let certificateFile, let privateKeyFile {
            config.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            config.privateKey = .privateKey(try NIOSSLPrivateKey(file: privateKeyFile, format: .pem))
        }
        return try NIOSSLContext(configuration: config)
    }

    func makeServerContext() throws -> NIOSSLContext {
        guard let certificateFile, let privateKeyFile else {
            throw SIPTransportError.tlsNotConfigured("a TLS listener needs a certificate and a private key")
        }
        var config = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)))
        config.minimumTLSVersion = .tlsv12
        config.certificateVerification = .none
        if let caFile { config.trustRoots = .file(caFile) }
        return try NIOSSLContext(configuration: config)
    }
}

public enum SIPTransportError: Error, Sendable, CustomStringConvertible {
    case tlsNotConfigured(String)
    case notListening(SIPSide, SIPTransportKind)
    case notAnAddress(String)
    case noRoute(String)

    public var description: String {
        switch self {
        case .tlsNotConfigured(let why): return "TLS is not configured: \(why)"
        case .notListening(let side, let t): return "no \(t) listener on the \(side) side"
        case .notAnAddress(let host): return "not an IP address: \(host)"
        case .noRoute(let why): return "cannot route the response: \(why)"
        }
    }
}
