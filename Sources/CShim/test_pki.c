// test_pki.c: makes a small PKI for test and demo TLS: a CA (P-256, self-signed) and a server certificate it signs.
//
// The trunk emulator serves TLS with these files and the box trusts the CA through `wan tls-ca-file`.
// Keys and certificates are written as PEM, keys mode 0600. Nothing here is meant for a real trunk.
#include "cshim.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static EVP_PKEY *make_key(void) {
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL);
    if (ctx == NULL) return NULL;
    if (EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) <= 0 ||
        EVP_PKEY_keygen(ctx, &key) <= 0) {
        key = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return key;
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (ext == NULL) return 0;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

static X509 *make_cert(EVP_PKEY *key, const char *cn, long serial, int days, X509 *issuer, EVP_PKEY *issuer_key,
                       const char *san) {
    X509 *cert = X509_new();
    if (cert == NULL) return NULL;
    int ok = X509_set_version(cert, 2) && ASN1_INTEGER_set(X509_get_serialNumber(cert), serial) &&
             X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != NULL &&
             X509_gmtime_adj(X509_getm_notAfter(cert), (long)days * 86400) != NULL && X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    ok = ok && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    ok = ok && X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name);
    if (issuer == NULL) {
        ok = ok && add_ext(cert, cert, NID_basic_constraints, "critical,CA:TRUE") &&
             add_ext(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign") &&
             add_ext(cert, cert, NID_subject_key_identifier, "hash");
    } else {
        ok = ok && add_ext(cert, issuer, NID_basic_constraints, "critical,CA:FALSE") &&
             add_ext(cert, issuer, NID_key_usage, "critical,digitalSignature") &&
             add_ext(cert, issuer, NID_ext_key_usage, "serverAuth") &&
             add_ext(cert, issuer, NID_subject_alt_name, san) &&
             add_ext(cert, issuer, NID_authority_key_identifier, "keyid:always");
    }
    ok = ok && X509_sign(cert, issuer_key ? issuer_key : key, EVP_sha256()) > 0;
    if (!ok) { X509_free(cert); return NULL; }
    return cert;
}

static int write_pem(const char *dir, const char *file, X509 *cert, EVP_PKEY *key) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path) return 0;
    char tmp[4100];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    mode_t old = umask(key ? 077 : 022);
    FILE *f = fopen(tmp, "w");
    umask(old);
    if (f == NULL) return 0;
    int ok = cert ? PEM_write_X509(f, cert) : PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
    ok = (fflush(f) == 0) && ok;
    ok = (fclose(f) == 0) && ok;
    if (ok) ok = rename(tmp, path) == 0;
    if (!ok) remove(tmp);
    return ok;
}

int tb_make_test_pki(const char *dir, const char *ca_name, const char *server_san, int days) {
    EVP_PKEY *ca_key = make_key(), *server_key = make_key();
    X509 *ca = NULL, *server = NULL;
    int ok = ca_key != NULL && server_key != NULL;
    if (ok) ca = make_cert(ca_key, ca_name, 1, days, NULL, NULL, NULL);
    if (ca) server = make_cert(server_key, "trunk", 2, days, ca, ca_key, server_san);
    ok = ca && server && write_pem(dir, "ca.pem", ca, NULL) && write_pem(dir, "server.key", NULL, server_key) &&
         write_pem(dir, "server.pem", server, NULL);
    X509_free(server);
    X509_free(ca);
    EVP_PKEY_free(server_key);
    EVP_PKEY_free(ca_key);
    return ok ? 0 : -1;
}
