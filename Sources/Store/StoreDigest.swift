// StoreDigest: SHA-256 (FIPS 180-4) of config text as lowercase hex, computed by OpenSSL's libcrypto.
import COpenSSL

enum StoreDigest {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The SHA-256 of the UTF-8 bytes of `text`, as 64 lowercase hex digits.
    static func sha256Hex(_ text: String) -> String {
        sha256Hex(Array(text.utf8))
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { out in
                EVP_Digest(input.baseAddress, input.count, out.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // EVP_Digest with the built-in SHA-256 fails only when libcrypto cannot allocate a context.
        precondition(ok == 1 && length == 32, "libcrypto SHA-256 failed")
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
