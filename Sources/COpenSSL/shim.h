// Includes OpenSSL's libcrypto headers for Swift (PBKDF2, HMAC, CSPRNG). TLS itself is swift-nio-ssl's (docs/architecture.md).
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
