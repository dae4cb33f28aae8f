// UDPListener: a bound UDP socket for the run command's SIP listeners (IPv4 and IPv6 literals).
import Foundation

struct UDPListener {
    enum Failure: Error, CustomStringConvertible {
        case badAddress(String)
        case system(String, Int32)
        var description: String {
            switch self {
            case .badAddress(let a): return "not a host:port address: \(a)"
            case .system(let call, let errno): return "\(call): \(String(cString: strerror(errno)))"
            }
        }
    }

    struct Peer: CustomStringConvertible {
        var storage: sockaddr_storage
        var length: socklen_t
        var description: String {
            var s = storage
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST)), port = [CChar](repeating: 0, count: Int(NI_MAXSERV))
            let rc = withUnsafePointer(to: &s) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    getnameinfo($0, length, &host, socklen_t(host.count), &port, socklen_t(port.count), NI_NUMERICHOST | NI_NUMERICSERV)
                }
            }
            return rc == 0 ? "\(UDPListener.text(host)):\(UDPListener.text(port))" : "?"
        }
    }

    static func text(_ chars: [CChar]) -> String {
        String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    let side: String
    let address: String
    let fd: Int32

    init(side: String, address: String) throws {
        self.side = side
        self.address = address
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw Failure.badAddress(address)
        }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &info) == 0, let ai = info else { throw Failure.badAddress(address) }
        defer { freeaddrinfo(info) }
        let fd = socket(ai.pointee.ai_family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.system("socket", errno) }
        guard bind(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 else {
            let e = errno
            close(fd)
            throw Failure.system("bind", e)
        }
        self.fd = fd
    }

    func receive(into buffer: inout [UInt8]) -> (Int, Peer)? {
        var peer = Peer(storage: sockaddr_storage(), length: socklen_t(MemoryLayout<sockaddr_storage>.size))
        let n = buffer.withUnsafeMutableBytes { buf in
            withUnsafeMutablePointer(to: &peer.storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, buf.baseAddress, buf.count, 0, $0, &peer.length) }
            }
        }
        return n > 0 ? (n, peer) : nil
    }

    func send(_ bytes: [UInt8], to peer: Peer) {
        var p = peer
        _ = bytes.withUnsafeBytes { buf in
            withUnsafePointer(to: &p.storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, buf.baseAddress, buf.count, 0, $0, p.length) }
            }
        }
    }
}
