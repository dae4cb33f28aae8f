// srtp_crypto.c: allocation-free AES-ICM, HMAC-SHA1 and AES-GCM for libsrtp2 (RFC 3711 §4.1.1, §4.2; RFC 7714), registered over its NSS ones.
//
// Debian's libsrtp2 uses NSS, which creates a PK11 context (heap) for every packet's cipher and
// MAC. The media thread must not allocate, so these cipher and auth types replace libsrtp2's
// SRTP_AES_ICM_128/256 and SRTP_HMAC_SHA1 through its public srtp_replace_cipher_type /
// srtp_replace_auth_type (and SRTP_AES_GCM_128/256 likewise). They allocate only in alloc/init
// (session set-up, control side); the per-packet calls use preallocated state: AES in ECB over
// counter blocks with an OpenSSL EVP context kept from init, OpenSSL's SHA-1 (SHA_CTX) with the HMAC pads
// absorbed once at init, and GCM on an EVP context whose IV is reset per packet.
// libsrtp2 runs its self-test (its own RFC 3711 test vectors) on each type when it is registered.
// SHA1_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, but EVP_MD_CTX copies allocate;
// the low-level SHA_CTX is a plain struct (copyable for the HMAC pads) and uses the CPU's SHA extensions.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "cshim.h"
#include <string.h>
#include <stdlib.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <srtp2/srtp.h>
#include <srtp2/cipher.h>
#include <srtp2/auth.h>

// libsrtp2's own test vectors (exported by the library, not declared in its installed headers).
extern const srtp_cipher_test_case_t srtp_aes_icm_128_test_case_0;
extern const srtp_cipher_test_case_t srtp_aes_icm_256_test_case_0;
extern const srtp_auth_test_case_t srtp_hmac_test_case_0;
extern const srtp_cipher_test_case_t srtp_aes_gcm_128_test_case_0;
extern const srtp_cipher_test_case_t srtp_aes_gcm_256_test_case_0;

// ---- AES-ICM ----

#define TB_ICM_CHUNK 16  // counter blocks encrypted per EVP call

typedef struct {
    EVP_CIPHER_CTX *ecb;
    uint8_t offset[16];       // salt || 0x0000
    uint8_t counter[16];
    uint8_t keystream[16 * TB_ICM_CHUNK];
    unsigned keystream_used;  // octets of `keystream` already consumed
    unsigned keystream_len;   // octets of `keystream` generated
    int key_len;              // AES key octets (16 or 32)
} tb_icm_state;

static const srtp_cipher_type_t tb_aes_icm_128;
static const srtp_cipher_type_t tb_aes_icm_256;

static srtp_err_status_t tb_icm_alloc(srtp_cipher_pointer_t *cp, int key_len, int tag_len, const srtp_cipher_type_t *type,
                                      int aes_len, int algorithm) {
    (void)tag_len;
    if (key_len != aes_len + 14) return srtp_err_status_bad_param;
    srtp_cipher_t *c = calloc(1, sizeof(srtp_cipher_t));
    tb_icm_state *s = calloc(1, sizeof(tb_icm_state));
    EVP_CIPHER_CTX *ecb = EVP_CIPHER_CTX_new();
    if (!c || !s || !ecb) {
        free(c);
        free(s);
        EVP_CIPHER_CTX_free(ecb);
        return srtp_err_status_alloc_fail;
    }
    s->ecb = ecb;
    s->key_len = aes_len;
    c->type = type;
    c->state = s;
    c->key_len = key_len;
    c->algorithm = algorithm;
    *cp = c;
    return srtp_err_status_ok;
}

static srtp_err_status_t tb_icm_128_alloc(srtp_cipher_pointer_t *cp, int key_len, int tag_len) {
    return tb_icm_alloc(cp, key_len, tag_len, &tb_aes_icm_128, 16, SRTP_AES_ICM_128);
}

static srtp_err_status_t tb_icm_256_alloc(srtp_cipher_pointer_t *cp, int key_len, int tag_len) {
    return tb_icm_alloc(cp, key_len, tag_len, &tb_aes_icm_256, 32, SRTP_AES_ICM_256);
}

static srtp_err_status_t tb_icm_dealloc(srtp_cipher_pointer_t c) {
    if (!c) return srtp_err_status_bad_param;
    tb_icm_state *s = c->state;
    if (s) {
        EVP_CIPHER_CTX_free(s->ecb);
        memset(s, 0, sizeof *s);
        free(s);
    }
    memset(c, 0, sizeof *c);
    free(c);
    return srtp_err_status_ok;
}

static srtp_err_status_t tb_icm_init(void *state, const uint8_t *key) {
    tb_icm_state *s = state;
    const EVP_CIPHER *cipher = s->key_len == 16 ? EVP_aes_128_ecb() : EVP_aes_256_ecb();
    if (EVP_EncryptInit_ex(s->ecb, cipher, NULL, key, NULL) != 1) return srtp_err_status_init_fail;
    EVP_CIPHER_CTX_set_padding(s->ecb, 0);
    memcpy(s->offset, key + s->key_len, 14);
    s->offset[14] = s->offset[15] = 0;
    memcpy(s->counter, s->offset, 16);
    s->keystream_used = s->keystream_len = 0;
    return srtp_err_status_ok;
}

static srtp_err_status_t tb_icm_set_iv(void *state, uint8_t *iv, srtp_cipher_direction_t direction) {
    (void)direction;
    tb_icm_state *s = state;
    for (int i = 0; i < 16; i++) s->counter[i] = s->offset[i] ^ iv[i];
    s->keystream_used = s->keystream_len = 0;
    return srtp_err_status_ok;
}

// Refills the keystream with TB_ICM_CHUNK blocks; the counter's low 16 bits step per block (RFC 3711 §4.1.1).
static int tb_icm_refill(tb_icm_state *s) {
    uint8_t blocks[16 * TB_ICM_CHUNK];
    for (int b = 0; b < TB_ICM_CHUNK; b++) {
        memcpy(blocks + 16 * b, s->counter, 16);
        uint16_t low = (uint16_t)((s->counter[14] << 8) | s->counter[15]);
        low++;
        s->counter[14] = (uint8_t)(low >> 8);
        s->counter[15] = (uint8_t)low;
    }
    int out = 0;
    if (EVP_EncryptUpdate(s->ecb, s->keystream, &out, blocks, sizeof blocks) != 1 || out != (int)sizeof blocks) return -1;
    s->keystream_used = 0;
    s->keystream_len = sizeof blocks;
    return 0;
}

static srtp_err_status_t tb_icm_encrypt(void *state, uint8_t *buffer, unsigned int *octets) {
    tb_icm_state *s = state;
    unsigned n = *octets;
    if (n > 0xffff * 16) return srtp_err_status_terminus;
    for (unsigned i = 0; i < n; i++) {
        if (s->keystream_used == s->keystream_len && tb_icm_refill(s) != 0) return srtp_err_status_cipher_fail;
        buffer[i] ^= s->keystream[s->keystream_used++];
    }
    return srtp_err_status_ok;
}

static const srtp_cipher_type_t tb_aes_icm_128 = {
    tb_icm_128_alloc, tb_icm_dealloc, tb_icm_init, NULL, tb_icm_encrypt, tb_icm_encrypt, tb_icm_set_iv, NULL,
    "AES-128 integer counter mode (trunkbox, allocation-free)", &srtp_aes_icm_128_test_case_0, SRTP_AES_ICM_128,
};

static const srtp_cipher_type_t tb_aes_icm_256 = {
    tb_icm_256_alloc, tb_icm_dealloc, tb_icm_init, NULL, tb_icm_encrypt, tb_icm_encrypt, tb_icm_set_iv, NULL,
    "AES-256 integer counter mode (trunkbox, allocation-free)", &srtp_aes_icm_256_test_case_0, SRTP_AES_ICM_256,
};

// ---- SHA-1 (OpenSSL's, FIPS 180-4) and HMAC (RFC 2104) ----

typedef SHA_CTX tb_sha1;

static void tb_sha1_init(tb_sha1 *s) { SHA1_Init(s); }

static void tb_sha1_update(tb_sha1 *s, const uint8_t *p, size_t n) { SHA1_Update(s, p, n); }

static void tb_sha1_final(tb_sha1 *s, uint8_t out[20]) { SHA1_Final(out, s); }

typedef struct {
    tb_sha1 inner_start;   // state after absorbing key XOR ipad
    tb_sha1 outer_start;   // state after absorbing key XOR opad
    tb_sha1 running;
} tb_hmac_state;

static const srtp_auth_type_t tb_hmac_sha1;

static srtp_err_status_t tb_hmac_alloc(srtp_auth_pointer_t *ap, int key_len, int out_len) {
    if (key_len < 0 || key_len > 20 || out_len < 0 || out_len > 20) return srtp_err_status_bad_param;
    srtp_auth_t *a = calloc(1, sizeof(srtp_auth_t));
    tb_hmac_state *s = calloc(1, sizeof(tb_hmac_state));
    if (!a || !s) {
        free(a);
        free(s);
        return srtp_err_status_alloc_fail;
    }
    a->type = &tb_hmac_sha1;
    a->state = s;
    a->out_len = out_len;
    a->key_len = key_len;
    a->prefix_len = 0;
    *ap = a;
    return srtp_err_status_ok;
}

static srtp_err_status_t tb_hmac_dealloc(srtp_auth_pointer_t a) {
    if (!a) return srtp_err_status_bad_param;
    if (a->state) {
        memset(a->state, 0, sizeof(tb_hmac_state));
        free(a->state);
    }
    memset(a, 0, sizeof *a);
    free(a);
    return srtp_err_status_ok;
}

static srtp_err_status_t tb_hmac_init(void *state, const uint8_t *key, int key_len) {
    tb_hmac_state *s = state;
    if (key_len < 0 || key_len > 64) return srtp_err_status_bad_param;
    uint8_t ipad[64], opad[64];
    for (int i = 0; i < 64; i++) {
        uint8_t k = i < key_len ? key[i] : 0;
        ipad[i] = k ^ 0x36;
        opad[i] = k ^ 0x5C;
    }
    tb_sha1_init(&s->inner_start);
    tb_sha1_update(&s->inner_start, ipad, 64);
    tb_sha1_init(&s->outer_start);
    tb_sha1_update(&s->outer_start, opad, 64);
    s->running = s->inner_start;
    memset(ipad, 0, sizeof ipad);
    memset(opad, 0, sizeof opad);
    return srtp_err_status_ok;
}

static srtp_err_status_t tb_hmac_start(void *state) {
    tb_hmac_state *s = state;
    s->running = s->inner_start;
    return srtp_err_status_ok;
}

static srtp_err_status_t tb_hmac_update(void *state, const uint8_t *buffer, int octets) {
    tb_hmac_state *s = state;
    if (octets < 0) return srtp_err_status_bad_param;
    tb_sha1_update(&s->running, buffer, (size_t)octets);
    return srtp_err_status_ok;
}

static srtp_err_status_t tb_hmac_compute(void *state, const uint8_t *buffer, int octets, int tag_len, uint8_t *tag) {
    tb_hmac_state *s = state;
    if (octets < 0 || tag_len < 0 || tag_len > 20) return srtp_err_status_bad_param;
    uint8_t inner[20], outer[20];
    tb_sha1_update(&s->running, buffer, (size_t)octets);
    tb_sha1_final(&s->running, inner);
    tb_sha1 o = s->outer_start;
    tb_sha1_update(&o, inner, 20);
    tb_sha1_final(&o, outer);
    memcpy(tag, outer, (size_t)tag_len);
    return srtp_err_status_ok;
}

static const srtp_auth_type_t tb_hmac_sha1 = {
    tb_hmac_alloc, tb_hmac_dealloc, tb_hmac_init, tb_hmac_compute, tb_hmac_update, tb_hmac_start,
    "HMAC-SHA1 (trunkbox, allocation-free)", &srtp_hmac_test_case_0, SRTP_HMAC_SHA1,
};

// ---- AES-GCM (RFC 7714) over a preallocated OpenSSL EVP context ----

typedef struct {
    EVP_CIPHER_CTX *ctx;
    int key_len;                    // AES key octets (16 or 32)
    int tag_len;                    // 8 or 16
    srtp_cipher_direction_t dir;
} tb_gcm_state;

static const srtp_cipher_type_t tb_aes_gcm_128;
static const srtp_cipher_type_t tb_aes_gcm_256;

static srtp_err_status_t tb_gcm_alloc(srtp_cipher_pointer_t *cp, int key_len, int tag_len, const srtp_cipher_type_t *type,
                                      int aes_len, int algorithm) {
    if (key_len != aes_len + 12 && key_len != aes_len) return srtp_err_status_bad_param;
    if (tag_len != 8 && tag_len != 16) return srtp_err_status_bad_param;
    srtp_cipher_t *c = calloc(1, sizeof(srtp_cipher_t));
    tb_gcm_state *s = calloc(1, sizeof(tb_gcm_state));
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!c || !s || !ctx) {
        free(c);
        free(s);
        EVP_CIPHER_CTX_free(ctx);
        return srtp_err_status_alloc_fail;
    }
    s->ctx = ctx;
    s->key_len = aes_len;
    s->tag_len = tag_len;
    s->dir = srtp_direction_any;
    c->type = type;
    c->state = s;
    c->key_len = key_len;
    c->algorithm = algorithm;
    *cp = c;
    return srtp_err_status_ok;
}

static srtp_err_status_t tb_gcm_128_alloc(srtp_cipher_pointer_t *cp, int key_len, int tag_len) {
    return tb_gcm_alloc(cp, key_len, tag_len, &tb_aes_gcm_128, 16, SRTP_AES_GCM_128);
}

static srtp_err_status_t tb_gcm_256_alloc(srtp_cipher_pointer_t *cp, int key_len, int tag_len) {
    return tb_gcm_alloc(cp, key_len, tag_len, &tb_aes_gcm_256, 32, SRTP_AES_GCM_256);
}

static srtp_err_status_t tb_gcm_dealloc(srtp_cipher_pointer_t c) {
    if (!c) return srtp_err_status_bad_param;
    tb_gcm_state *s = c->state;
    if (s) {
        EVP_CIPHER_CTX_free(s->ctx);
        memset(s, 0, sizeof *s);
        free(s);
    }
    memset(c, 0, sizeof *c);
    free(c);
    return srtp_err_status_ok;
}

// The key is the AES key only; libsrtp2 mixes the salt into the IV itself.
static srtp_err_status_t tb_gcm_init(void *state, const uint8_t *key) {
    tb_gcm_state *s = state;
    const EVP_CIPHER *cipher = s->key_len == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
    s->dir = srtp_direction_any;
    if (EVP_CIPHER_CTX_reset(s->ctx) != 1) return srtp_err_status_init_fail;
    if (EVP_CipherInit_ex(s->ctx, cipher, NULL, key, NULL, 0) != 1) return srtp_err_status_init_fail;
    return srtp_err_status_ok;
}

static srtp_err_status_t tb_gcm_set_iv(void *state, uint8_t *iv, srtp_cipher_direction_t direction) {
    tb_gcm_state *s = state;
    if (direction != srtp_direction_encrypt && direction != srtp_direction_decrypt) return srtp_err_status_bad_param;
    s->dir = direction;
    if (EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1) return srtp_err_status_init_fail;
    if (EVP_CipherInit_ex(s->ctx, NULL, NULL, NULL, iv, direction == srtp_direction_encrypt ? 1 : 0) != 1) {
        return srtp_err_status_init_fail;
    }
    return srtp_err_status_ok;
}

static srtp_err_status_t tb_gcm_set_aad(void *state, const uint8_t *aad, uint32_t aad_len) {
    tb_gcm_state *s = state;
    int out = 0;
    if (s->dir != srtp_direction_encrypt && s->dir != srtp_direction_decrypt) return srtp_err_status_bad_param;
    if (EVP_CipherUpdate(s->ctx, NULL, &out, aad, (int)aad_len) != 1) return srtp_err_status_algo_fail;
    return srtp_err_status_ok;
}

static srtp_err_status_t tb_gcm_encrypt(void *state, uint8_t *buffer, unsigned int *octets) {
    tb_gcm_state *s = state;
    int out = 0;
    if (s->dir != srtp_direction_encrypt) return srtp_err_status_bad_param;
    if (*octets > 0 && EVP_CipherUpdate(s->ctx, buffer, &out, buffer, (int)*octets) != 1) return srtp_err_status_algo_fail;
    return srtp_err_status_ok;
}

// After encrypt: finishes the message and writes the tag (libsrtp2 appends it).
static srtp_err_status_t tb_gcm_get_tag(void *state, uint8_t *tag, uint32_t *len) {
    tb_gcm_state *s = state;
    int out = 0;
    uint8_t none[16];
    if (EVP_CipherFinal_ex(s->ctx, none, &out) != 1) return srtp_err_status_algo_fail;
    if (EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_GCM_GET_TAG, s->tag_len, tag) != 1) return srtp_err_status_algo_fail;
    *len = (uint32_t)s->tag_len;
    return srtp_err_status_ok;
}

// The buffer ends with the tag: checks it and decrypts the rest; *octets loses the tag.
static srtp_err_status_t tb_gcm_decrypt(void *state, uint8_t *buffer, unsigned int *octets) {
    tb_gcm_state *s = state;
    int out = 0;
    uint8_t none[16];
    if (s->dir != srtp_direction_decrypt) return srtp_err_status_bad_param;
    if (*octets < (unsigned)s->tag_len) return srtp_err_status_bad_param;
    unsigned body = *octets - (unsigned)s->tag_len;
    if (EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_GCM_SET_TAG, s->tag_len, buffer + body) != 1) return srtp_err_status_algo_fail;
    if (body > 0 && EVP_CipherUpdate(s->ctx, buffer, &out, buffer, (int)body) != 1) return srtp_err_status_algo_fail;
    if (EVP_CipherFinal_ex(s->ctx, none, &out) != 1) return srtp_err_status_auth_fail;
    *octets = body;
    return srtp_err_status_ok;
}

static const srtp_cipher_type_t tb_aes_gcm_128 = {
    tb_gcm_128_alloc, tb_gcm_dealloc, tb_gcm_init, tb_gcm_set_aad, tb_gcm_encrypt, tb_gcm_decrypt, tb_gcm_set_iv,
    tb_gcm_get_tag, "AES-128 GCM (trunkbox, OpenSSL, allocation-free)", &srtp_aes_gcm_128_test_case_0, SRTP_AES_GCM_128,
};

static const srtp_cipher_type_t tb_aes_gcm_256 = {
    tb_gcm_256_alloc, tb_gcm_dealloc, tb_gcm_init, tb_gcm_set_aad, tb_gcm_encrypt, tb_gcm_decrypt, tb_gcm_set_iv,
    tb_gcm_get_tag, "AES-256 GCM (trunkbox, OpenSSL, allocation-free)", &srtp_aes_gcm_256_test_case_0, SRTP_AES_GCM_256,
};

int tb_srtp_install_allocation_free_crypto(void) {
    srtp_err_status_t s;
    if ((s = srtp_replace_cipher_type(&tb_aes_icm_128, SRTP_AES_ICM_128)) != srtp_err_status_ok) return (int)s;
    if ((s = srtp_replace_cipher_type(&tb_aes_icm_256, SRTP_AES_ICM_256)) != srtp_err_status_ok) return (int)s;
    if ((s = srtp_replace_auth_type(&tb_hmac_sha1, SRTP_HMAC_SHA1)) != srtp_err_status_ok) return (int)s;
    if ((s = srtp_replace_cipher_type(&tb_aes_gcm_128, SRTP_AES_GCM_128)) != srtp_err_status_ok) return (int)s;
    if ((s = srtp_replace_cipher_type(&tb_aes_gcm_256, SRTP_AES_GCM_256)) != srtp_err_status_ok) return (int)s;
    return 0;
}
