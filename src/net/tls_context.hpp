// The TLS side of the trap: the server context every STARTTLS and implicit-TLS connection
// shares, and the self-signed certificate made on first start when none is configured (a trap
// needs no trusted certificate: bots rarely verify, and what they offer is what we record).
#pragma once

#include <asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "base/result.hpp"

namespace spampot::net {

// Writes a self-signed certificate (EC P-256, SHA-256, ten years, CN and subjectAltName
// `hostname`) and its key (mode 0600) unless both files exist already.
Status ensure_self_signed(const std::string& cert_path, const std::string& key_path,
                          const std::string& hostname);

// A server context for the certificate chain and key. It accepts every protocol version and
// cipher OpenSSL still knows (security level 0): the old stacks of spamware must complete their
// handshakes for the trap to see them.
Result<std::shared_ptr<asio::ssl::context>> make_tls_context(const std::string& cert_path,
                                                             const std::string& key_path);

// The console's context for the same certificate: TLS 1.2 and 1.3 only, forward-secret AEAD
// ciphers, the system's security level. An analyst's browser is not a bot to be recorded.
Result<std::shared_ptr<asio::ssl::context>> make_console_tls_context(const std::string& cert_path,
                                                                     const std::string& key_path);

// The client's JA3 (MD5) and JA4 fingerprints, taken from its ClientHello during the handshake by
// a callback of the context; empty when no ClientHello was read (the handshake failed before).
struct tls_fingerprints {
  std::string ja3;
  std::string ja4;
};
tls_fingerprints fingerprints_of(SSL* ssl);

}  // namespace spampot::net
