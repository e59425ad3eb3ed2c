#include "net/tls_context.hpp"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "net/tls_fingerprint.hpp"

namespace spampot::net {
namespace {

std::string openssl_error() {
  const unsigned long e = ERR_get_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// Opens `path` for writing with `mode`, replacing it; nullptr with errno on failure.
std::FILE* create(const std::string& path, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return nullptr;
  ::fchmod(fd, mode);
  std::FILE* f = ::fdopen(fd, "w");
  if (!f) ::close(fd);
  return f;
}

// The fingerprints live on the SSL object until it is freed.
void free_fingerprints(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<tls_fingerprints*>(ptr);
}

int fingerprint_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, free_fingerprints);
  return index;
}

std::string_view ext_body(SSL* ssl, unsigned type) {
  const unsigned char* p = nullptr;
  std::size_t n = 0;
  if (SSL_client_hello_get0_ext(ssl, type, &p, &n) != 1) return {};
  return {reinterpret_cast<const char*>(p), n};
}

// Reads the ClientHello's fields as OpenSSL parsed them (extension order included) and keeps
// the fingerprints; never refuses a client.
int on_client_hello(SSL* ssl, int*, void*) {
  client_hello ch;
  ch.legacy_version = static_cast<std::uint16_t>(SSL_client_hello_get0_legacy_version(ssl));
  const unsigned char* ciphers = nullptr;
  const std::size_t n_ciphers = SSL_client_hello_get0_ciphers(ssl, &ciphers);
  for (std::size_t i = 0; i + 1 < n_ciphers; i += 2)
    ch.ciphers.push_back(static_cast<std::uint16_t>(ciphers[i] << 8 | ciphers[i + 1]));
  int* exts = nullptr;
  std::size_t n_exts = 0;
  if (SSL_client_hello_get1_extensions_present(ssl, &exts, &n_exts) == 1) {
    for (std::size_t i = 0; i < n_exts; ++i)
      ch.extensions.push_back(static_cast<std::uint16_t>(exts[i]));
    OPENSSL_free(exts);
  }
  ch.sni = std::find(ch.extensions.begin(), ch.extensions.end(), 0) != ch.extensions.end();
  ch.groups = parse_u16_list(ext_body(ssl, 10)).value_or(std::vector<std::uint16_t>{});
  ch.point_formats = parse_u8_list(ext_body(ssl, 11)).value_or(std::vector<std::uint8_t>{});
  ch.signature_algorithms =
      parse_u16_list(ext_body(ssl, 13)).value_or(std::vector<std::uint16_t>{});
  ch.alpn = parse_alpn(ext_body(ssl, 16)).value_or(std::vector<std::string>{});
  ch.supported_versions = parse_versions(ext_body(ssl, 43)).value_or(std::vector<std::uint16_t>{});
  auto* fp = new tls_fingerprints{ja3(ch), ja4(ch)};
  delete static_cast<tls_fingerprints*>(SSL_get_ex_data(ssl, fingerprint_index()));
  SSL_set_ex_data(ssl, fingerprint_index(), fp);
  return SSL_CLIENT_HELLO_SUCCESS;
}

}  // namespace

tls_fingerprints fingerprints_of(SSL* ssl) {
  const auto* fp = static_cast<const tls_fingerprints*>(SSL_get_ex_data(ssl, fingerprint_index()));
  return fp ? *fp : tls_fingerprints{};
}

Status ensure_self_signed(const std::string& cert_path, const std::string& key_path,
                          const std::string& hostname) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(cert_path, ec) && fs::exists(key_path, ec)) return {};
  for (const auto& p : {cert_path, key_path}) {
    const auto dir = fs::path(p).parent_path();
    if (!dir.empty() && !fs::create_directories(dir, ec) && ec)
      return Error{"cannot create " + dir.string() + ": " + ec.message()};
  }
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("prime256v1"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), X509_free);
  if (!key || !x) return Error{"cannot make a TLS key: " + openssl_error()};
  unsigned char serial[8];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_bin2bn(serial, sizeof serial, nullptr),
                                                 BN_free);
  BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(x.get()));
  X509_set_version(x.get(), 2);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(x.get(), key.get());
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(hostname.c_str()), -1, -1, 0);
  X509_set_issuer_name(x.get(), name);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, x.get(), x.get(), nullptr, nullptr, 0);
  const std::string san = "DNS:" + hostname;
  if (X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, san.c_str())) {
    X509_add_ext(x.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(x.get(), key.get(), EVP_sha256()) == 0)
    return Error{"cannot sign the certificate: " + openssl_error()};

  std::FILE* kf = create(key_path, 0600);
  if (!kf) return Error{"cannot write " + key_path + ": " + std::strerror(errno)};
  const bool key_ok =
      PEM_write_PrivateKey(kf, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  if (std::fclose(kf) != 0 || !key_ok) return Error{"cannot write " + key_path};
  std::FILE* cf = create(cert_path, 0644);
  if (!cf) return Error{"cannot write " + cert_path + ": " + std::strerror(errno)};
  const bool cert_ok = PEM_write_X509(cf, x.get()) == 1;
  if (std::fclose(cf) != 0 || !cert_ok) return Error{"cannot write " + cert_path};
  return {};
}

namespace {

Status load_pair(SSL_CTX* raw, const std::string& cert_path, const std::string& key_path) {
  if (SSL_CTX_use_certificate_chain_file(raw, cert_path.c_str()) != 1)
    return Error{"cannot load TLS certificate " + cert_path + ": " + openssl_error()};
  if (SSL_CTX_use_PrivateKey_file(raw, key_path.c_str(), SSL_FILETYPE_PEM) != 1)
    return Error{"cannot load TLS key " + key_path + ": " + openssl_error()};
  if (SSL_CTX_check_private_key(raw) != 1)
    return Error{"TLS key " + key_path + " does not match " + cert_path};
  return {};
}

}  // namespace

Result<std::shared_ptr<asio::ssl::context>> make_tls_context(const std::string& cert_path,
                                                             const std::string& key_path) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX* raw = ctx->native_handle();
  SSL_CTX_set_security_level(raw, 0);
  SSL_CTX_set_min_proto_version(raw, 0);  // the lowest this OpenSSL still speaks
  SSL_CTX_set_cipher_list(raw, "ALL:@SECLEVEL=0");
  SSL_CTX_set_options(raw, SSL_OP_ALL | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // An idle connection holds no record buffers (34 KiB of them): a trap holds many idle ones.
  // No session cache and no tickets either: nobody resumes a session with a trap, and the cache
  // kept each handshake's session (up to 20,480 of them) in memory.
  SSL_CTX_set_mode(raw, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_session_cache_mode(raw, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(raw, 0);
  SSL_CTX_set_client_hello_cb(raw, on_client_hello, nullptr);
  if (auto s = load_pair(raw, cert_path, key_path); !s) return s.failure();
  return ctx;
}

Result<std::shared_ptr<asio::ssl::context>> make_console_tls_context(const std::string& cert_path,
                                                                     const std::string& key_path) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX* raw = ctx->native_handle();
  SSL_CTX_set_min_proto_version(raw, TLS1_2_VERSION);
  SSL_CTX_set_options(raw, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(raw, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1)
    return Error{"the console's TLS ciphers: " + openssl_error()};
  if (auto s = load_pair(raw, cert_path, key_path); !s) return s.failure();
  return ctx;
}

}  // namespace spampot::net
