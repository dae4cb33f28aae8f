// SRTPReference: an independent model of SRTP's AES-CM and HMAC-SHA1 (RFC 3711 §4.1.1, §4.2, §4.3) over OpenSSL, for checking libsrtp2's output.
import COpenSSL

enum SRTPReference {
    static func hex(_ s: String) -> [UInt8] {
        let chars = Array(s.utf8).filter { $0 != 0x20 }
        var out: [UInt8] = []
        var i = 0
        while i + 1 < chars.count {
            out.append(UInt8(String(decoding: chars[i...i + 1], as: UTF8.self), radix: 16)!)
            i += 2
        }
        return out
    }

    /// AES-128 of one block.
    static func aes128(key: [UInt8], block: [UInt8]) -> [UInt8] {
        let ctx = EVP_CIPHER_CTX_new()!
        defer { EVP_CIPHER_CTX_free(ctx) }
        EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nil, key, nil)
        EVP_CIPHER_CTX_set_padding(ctx, 0)
        var out = [UInt8](repeating: 0, count: 32)
        var len: Int32 = 0
        EVP_EncryptUpdate(ctx, &out, &len, block, Int32(block.count))
        return Array(out[0..<16])
    }

    /// AES counter-mode keystream (RFC 3711 §4.1.1): blocks E(k, IV + i) for a 128-bit IV.
    static func keystream(key: [UInt8], iv: [UInt8], count: Int) -> [UInt8] {
        var out: [UInt8] = []
        var counter = iv
        while out.count < count {
            out += aes128(key: key, block: counter)
            var j = 15
            while j >= 0 {
                counter[j] &+= 1
                if counter[j] != 0 { break }
                j -= 1
            }
        }
        return Array(out[0..<count])
    }

    /// Key derivation (RFC 3711 §4.3.1, key_derivation_rate 0): x = (label << 48) XOR salt, keystream from IV x·2^16.
    static func derive(masterKey: [UInt8], masterSalt: [UInt8], label: UInt8, count: Int) -> [UInt8] {
        var x = masterSalt                       // 14 octets
        x[7] ^= label
        return keystream(key: masterKey, iv: x + [0, 0], count: count)
    }

    static func sha1(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        var len: UInt32 = 0
        EVP_Digest(data, data.count, &out, &len, EVP_sha1(), nil)
        return out
    }

    static func hmacSHA1(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var k = key.count > 64 ? sha1(key) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        let inner = sha1(k.map { $0 ^ 0x36 } + data)
        return sha1(k.map { $0 ^ 0x5C } + inner)
    }

    /// SRTP of an RTP packet with a 12-octet header under AES_CM_128_HMAC_SHA1 (ROC 0), computed
    /// from the *session* keys: IV = (salt·2^16) XOR (SSRC·2^64) XOR (index·2^16) (§4.1.1).
    static func protect(packet: [UInt8], sessionKey: [UInt8], sessionSalt: [UInt8], authKey: [UInt8], tagLength: Int) -> [UInt8] {
        let ssrc = Array(packet[8..<12])
        let seq = Array(packet[2..<4])
        var iv = sessionSalt + [0, 0]
        for i in 0..<4 { iv[4 + i] ^= ssrc[i] }
        // index = ROC(0) || SEQ, placed at octets 8...13 of the IV before the final 16-bit shift.
        iv[12] ^= seq[0]
        iv[13] ^= seq[1]
        let payload = Array(packet[12...])
        let stream = keystream(key: sessionKey, iv: iv, count: payload.count)
        let encrypted = Array(packet[0..<12]) + zip(payload, stream).map { $0 ^ $1 }
        let tag = hmacSHA1(key: authKey, encrypted + [0, 0, 0, 0])
        return encrypted + tag[0..<tagLength]
    }
}

extension SRTPReference {
    /// Opens an SRTP AEAD_AES_128_GCM packet (12-octet header, ROC 0) independently of libsrtp2
    /// (RFC 7714 §8.1 IV, §9.2 AAD = header, §11 key derivation with the 96-bit master salt padded
    /// to 112 bits): returns the RTP packet, or nil when the tag does not verify.
    static func openGCM128(packet: [UInt8], masterKey: [UInt8], masterSalt: [UInt8]) -> [UInt8]? {
        let salt14 = masterSalt + [0, 0]
        let key = derive(masterKey: masterKey, masterSalt: salt14, label: 0, count: 16)
        let salt = derive(masterKey: masterKey, masterSalt: salt14, label: 2, count: 12)
        var iv = [UInt8](repeating: 0, count: 12)
        for i in 0..<4 { iv[2 + i] = packet[8 + i] }         // SSRC
        iv[10] = packet[2]                                     // SEQ (ROC 0 in octets 6...9)
        iv[11] = packet[3]
        for i in 0..<12 { iv[i] ^= salt[i] }
        let header = Array(packet[0..<12])
        let body = Array(packet[12..<(packet.count - 16)])
        var tag = Array(packet[(packet.count - 16)...])
        let ctx = EVP_CIPHER_CTX_new()!
        defer { EVP_CIPHER_CTX_free(ctx) }
        var len: Int32 = 0
        EVP_DecryptInit_ex(ctx, EVP_aes_128_gcm(), nil, nil, nil)
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, nil)
        EVP_DecryptInit_ex(ctx, nil, nil, key, iv)
        EVP_DecryptUpdate(ctx, nil, &len, header, Int32(header.count))
        var plain = [UInt8](repeating: 0, count: body.count + 16)
        EVP_DecryptUpdate(ctx, &plain, &len, body, Int32(body.count))
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, &tag)
        var final: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: 16)
        guard EVP_DecryptFinal_ex(ctx, &scratch, &final) == 1 else { return nil }
        return header + Array(plain[0..<body.count])
    }
}
