// `spampot show ID`: one message (or session) in full.
#include <cstdio>

#include "app/common.hpp"
#include "intel/message_list.hpp"
#include "pipeline/raw_source.hpp"
#include "store/store.hpp"

namespace spampot::app {
namespace {

struct show_options {
  common_options common;
  std::string id;
  bool raw = false;
  bool transcript = false;
};

int fail(const std::string& msg) {
  std::fprintf(stderr, "spampot show: %s\n", msg.c_str());
  return kExitError;
}

int show(const show_options& o) {
  auto cfg = resolve_config(o.common);
  if (!cfg) return fail(cfg.error());
  auto st = store::open(cfg->store.db);
  if (!st) return fail(st.error());
  auto msg = (*st)->find_message(o.id);
  if (!msg) return fail(msg.error());
  std::string session_id = o.id;
  if (msg->has_value()) {
    const auto& m = **msg;
    session_id = m.session_id;
    if (o.raw) {
      pipeline::raw_source raw(**st, o.common.spool, cfg->store.spool);
      auto out = raw.delivered(m);
      if (!out) return fail(out.error());
      std::fwrite(out->data(), 1, out->size(), stdout);
      return kExitOk;
    }
    if (!o.transcript) {
      auto extras = intel::message_extras_of(**st, m, intel::extras_scope::everything);
      if (!extras) return fail(extras.error());
      std::fputs(intel::message_json(m, &*extras).c_str(), stdout);
      return kExitOk;
    }
  } else if (o.raw) {
    return fail("no message with id " + o.id);
  }
  auto sess = (*st)->find_session(session_id);
  if (!sess) return fail(sess.error());
  if (!sess->has_value()) {
    return fail(msg->has_value() ? "the session of " + o.id + " is not indexed yet"
                                 : "no message or session with id " + o.id);
  }
  const auto& s = **sess;
  if (o.transcript) {
    std::fputs(s.transcript.c_str(), stdout);
    return kExitOk;
  }
  auto listings = (*st)->dnsbl_entry(s.client_ip);
  if (!listings) return fail(listings.error());
  std::fputs(intel::session_json(s, *listings).c_str(), stdout);
  return kExitOk;
}

}  // namespace

void setup_show(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<show_options>();
  add_common_options(sub, o->common);
  sub.add_option("id", o->id, "Message id (as in \"queued as ID\") or session id")->required();
  sub.add_flag("--raw", o->raw,
               "Print the message as delivered: trace headers, then the bytes received");
  sub.add_flag("--transcript", o->transcript, "Print the SMTP transcript of the message's session");
  sub.callback([o, &exit_code] { exit_code = show(*o); });
}

}  // namespace spampot::app
