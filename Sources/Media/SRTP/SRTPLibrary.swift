// SRTPLibrary: initialises libsrtp2 once per process, on first use, from any thread.
import CShim
import CSRTP

/// libsrtp2's process-wide set-up. `srtp_init` must run once before any context is made; Swift runs a
/// global's initialiser exactly once even when several threads race to it (swift_once). After init,
/// the AES-ICM, HMAC-SHA1 and AES-GCM of libsrtp2 (NSS on Debian: a heap context per packet) are
/// replaced by allocation-free ones from CShim, which libsrtp2 self-tests with its own test vectors
/// on registration.
enum SRTPLibrary {
    private static let initStatus: Int32 = {
        let status = Int32(bitPattern: srtp_init().rawValue)
        guard status == 0 else { return status }
        return tb_srtp_install_allocation_free_crypto()
    }()

    /// Initialises libsrtp2 if needed; throws when its crypto kernel failed to start.
    static func ensureInitialized() throws(SRTPError) {
        let status = initStatus
        guard status == 0 else { throw SRTPError("libsrtp2 failed to initialise", libsrtpStatus: status) }
    }
}
