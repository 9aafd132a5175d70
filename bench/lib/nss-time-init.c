/*
 * Experiment for the media benchmark (BENCHMARKS.md, `media`), not part of the product.
 *
 * Debian's libsrtp2 does its crypto through NSS and initializes it with NSS_INIT_OPTIMIZESPACE
 * (flags 0x2f at every NSS_InitContext call in libsrtp2.so.1): NSS's softoken then keeps all its
 * PKCS#11 sessions in a 32-bucket hash table behind one lock. libsrtp opens a session for every
 * AES-CTR context it creates, i.e. for every packet it protects, and every stream's HMAC context
 * keeps one open, so the bucket walk on each open grows with the PeerConnections in the process.
 * Loaded first (LD_PRELOAD), this initializes NSS with the same flags minus OPTIMIZESPACE (1,024
 * buckets, 512 locks); libsrtp's later NSS_InitContext calls then share that softoken.
 *
 *   gcc -shared -fPIC -O2 -o nss-time-init.so nss-time-init.c /lib/x86_64-linux-gnu/libnss3.so
 */
#include <stddef.h>

typedef struct NSSInitContextStr NSSInitContext;
extern NSSInitContext *NSS_InitContext(const char *configdir, const char *certPrefix, const char *keyPrefix,
                                       const char *secmodName, void *initParams, unsigned int flags);

/* NSS_INIT_READONLY | NSS_INIT_NOCERTDB | NSS_INIT_NOMODDB | NSS_INIT_FORCEOPEN */
#define ZX_NSS_FLAGS 0x0f

__attribute__((constructor)) static void zx_nss_time_init(void) {
  /* Kept for the life of the process: NSS then stays initialized with these parameters. */
  (void)NSS_InitContext("", "", "", "", NULL, ZX_NSS_FLAGS);
}
