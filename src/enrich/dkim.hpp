// DKIM (RFC 6376) signatures of a message, verified with libopendkim. The public keys are asked
// through the trap's own resolver (libopendkim's key-lookup hook), never the system's.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "enrich/spf.hpp"  // dns_ask

namespace spampot::enrich {

// Results as RFC 8601 words them: pass, fail, neutral, temperror, permerror; "none" unsigned.
struct dkim_signature {
  std::string domain;    // d=
  std::string selector;  // s=
  std::string result;
  std::string error;  // libopendkim's words for what went wrong, "" on pass
};

struct dkim_verdict {
  std::string result;  // the best of the signatures: pass, else fail, temperror, permerror; none
  std::vector<dkim_signature> signatures;
};

// One per process is enough: libopendkim's library handle is shared by threads, each message
// has a handle of its own.
class dkim_verifier {
 public:
  static Result<std::unique_ptr<dkim_verifier>> make(dns_ask ask);
  ~dkim_verifier();
  dkim_verifier(const dkim_verifier&) = delete;
  dkim_verifier& operator=(const dkim_verifier&) = delete;

  // `message`: header and body as received (bare LF line ends are read as CRLF).
  dkim_verdict verify(std::string_view message) const;

 private:
  struct impl;
  explicit dkim_verifier(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

}  // namespace spampot::enrich
