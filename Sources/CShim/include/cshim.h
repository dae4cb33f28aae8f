// cshim.h: C wrappers for what Swift cannot import from the box's C libraries (macros, inline functions).
#ifndef TRUNKBOX_CSHIM_H
#define TRUNKBOX_CSHIM_H

#include <stddef.h>
#include <stdint.h>

// Version strings of the linked C libraries, as the libraries report them at run time.
const char *tb_openssl_version(void);
const char *tb_srtp_version(void);
const char *tb_alsa_version(void);
const char *tb_gpiod_version(void);
const char *tb_sqlite_version(void);

// libsrtp2 policy helpers that are macros in <srtp2/srtp.h>.
struct srtp_crypto_policy_t;
void tb_srtp_policy_aes_cm_128_hmac_sha1_80(void *policy);
void tb_srtp_policy_aes_cm_128_hmac_sha1_32(void *policy);

// SQLITE_TRANSIENT is a cast of -1 to a function pointer.
typedef void (*tb_sqlite_destructor)(void *);
tb_sqlite_destructor tb_sqlite_transient(void);

#endif
