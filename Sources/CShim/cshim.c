// cshim.c: wrappers for C macros of OpenSSL's libcrypto, libsrtp2, ALSA, libgpiod and SQLite (see cshim.h).
#include "cshim.h"
#include <openssl/crypto.h>
#include <srtp2/srtp.h>
#include <alsa/asoundlib.h>
#include <gpiod.h>
#include <sqlite3.h>

const char *tb_openssl_version(void) { return OpenSSL_version(OPENSSL_VERSION); }
const char *tb_srtp_version(void) { return srtp_get_version_string(); }
const char *tb_alsa_version(void) { return snd_asoundlib_version(); }
const char *tb_gpiod_version(void) { return gpiod_version_string(); }
const char *tb_sqlite_version(void) { return sqlite3_libversion(); }

void tb_srtp_policy_aes_cm_128_hmac_sha1_80(void *policy) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80((srtp_crypto_policy_t *)policy);
}
void tb_srtp_policy_aes_cm_128_hmac_sha1_32(void *policy) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32((srtp_crypto_policy_t *)policy);
}

tb_sqlite_destructor tb_sqlite_transient(void) { return SQLITE_TRANSIENT; }
