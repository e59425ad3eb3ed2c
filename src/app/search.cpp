// `spampot search`: filters to the store, rows to the screen, or messages to a Maildir or mbox.
#include <cstdio>
#include <iostream>

#include "app/common.hpp"
#include "capture/mailbox.hpp"
#include "intel/message_list.hpp"
#include "intel/search_query.hpp"
#include "pipeline/raw_source.hpp"
#include "store/store.hpp"

namespace spampot::app {
namespace {

struct search_options {
  common_options common;
  std::string since, until, ip, from, to, ja3, ja4, fingerprint, format = "table", maildir, mbox;
  std::string subject, url_host, attachment_hash, message_id, campaign, sensor, asn, country, spf, dkim, dmarc;
  std::size_t limit = 100;
};

int fail(const std::string& msg, int code = kExitError) {
  std::fprintf(stderr, "spampot search: %s\n", msg.c_str());
  return code;
}

int search(const search_options& o) {
  const intel::search_params params{
      {"since", o.since},     {"until", o.until},       {"ip", o.ip},
      {"from", o.from},       {"to", o.to},             {"ja3", o.ja3},
      {"ja4", o.ja4},         {"subject", o.subject},   {"url_host", o.url_host},
      {"attachment_hash", o.attachment_hash},           {"message_id", o.message_id},
      {"campaign", o.campaign}, {"sensor", o.sensor},   {"asn", o.asn},
      {"country", o.country}, {"spf", o.spf},           {"dkim", o.dkim},
      {"dmarc", o.dmarc},     {"fingerprint", o.fingerprint},
      {"limit", std::to_string(o.limit)}};
  auto f = intel::parse_search(params, now_micros(), intel::cli_spelling);
  if (!f) return fail(f.error(), kExitUsage);
  auto fmt = intel::parse_list_format(o.format);
  if (!fmt) return fail(fmt.error(), kExitUsage);

  auto cfg = resolve_config(o.common);
  if (!cfg) return fail(cfg.error());
  auto st = store::open(cfg->store.db);
  if (!st) return fail(st.error());
  auto rows = (*st)->search(*f);
  if (!rows) return fail(rows.error());

  if (o.maildir.empty() && o.mbox.empty()) {
    std::vector<intel::message_extras> extras;
    const auto scope = *fmt == intel::list_format::json ? intel::extras_scope::details_and_dns
                                                        : intel::extras_scope::details;
    for (const auto& m : *rows) {
      auto x = intel::message_extras_of(**st, m, scope);
      if (!x) return fail(x.error());
      extras.push_back(std::move(*x));
    }
    std::fputs(intel::render_messages(*rows, *fmt, &extras).c_str(), stdout);
    return kExitOk;
  }
  pipeline::raw_source raw(**st, o.common.spool, cfg->store.spool);
  std::optional<capture::maildir_writer> md;
  std::optional<capture::mbox_writer> mb;
  if (!o.maildir.empty()) {
    auto w = capture::maildir_writer::open(o.maildir);
    if (!w) return fail(w.error());
    md.emplace(std::move(w).value());
  }
  if (!o.mbox.empty()) {
    auto w = capture::mbox_writer::open(o.mbox);
    if (!w) return fail(w.error());
    mb.emplace(std::move(w).value());
  }
  std::size_t written = 0, imported = 0;
  // Oldest first, as a mailbox is read.
  for (auto it = rows->rbegin(); it != rows->rend(); ++it) {
    if (it->imported) {  // from a maillog: there is no message to write
      ++imported;
      continue;
    }
    auto got = raw.delivered(*it);
    if (!got) return fail(got.error());
    const std::string& delivered = *got;
    if (md) {
      if (auto s = md->write(it->id, it->received_at, delivered); !s) return fail(s.error());
    }
    if (mb) {
      if (auto s = mb->write(it->mail_from, it->received_at, delivered); !s) return fail(s.error());
    }
    ++written;
  }
  if (mb) {
    if (auto s = mb->close(); !s) return fail(s.error());
  }
  std::fprintf(stderr, "wrote %zu messages", written);
  if (imported > 0)
    std::fprintf(stderr, " (%zu imported from maillogs have no body and were skipped)", imported);
  std::fputc('\n', stderr);
  return kExitOk;
}

}  // namespace

void setup_search(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<search_options>();
  add_common_options(sub, o->common);
  sub.add_option("--since", o->since,
                 "Received at or after: 2026-11-27, 2026-11-27T10:00:00Z, or 24h (ago)");
  sub.add_option("--until", o->until, "Received before (same forms as --since)");
  sub.add_option("--ip", o->ip, "Client address or CIDR range (192.0.2.0/24, 2001:db8::/32)");
  sub.add_option("--from", o->from, "Envelope sender: user@domain, or @domain for a whole domain");
  sub.add_option("--to", o->to, "Envelope recipient: user@domain, or @domain");
  sub.add_option("--ja3", o->ja3, "TLS client fingerprint (JA3 MD5) of the message's session");
  sub.add_option("--ja4", o->ja4, "TLS client fingerprint (JA4) of the message's session");
  sub.add_option("--fingerprint", o->fingerprint,
                 "Behavioural fingerprint of the message's session (fp1-..., see report fingerprints)");
  sub.add_option("--subject", o->subject, "Decoded Subject containing TEXT (ASCII case ignored)");
  sub.add_option("--url-host", o->url_host,
                 "A URL in the message has this host, or this registrable domain");
  sub.add_option("--attachment-hash", o->attachment_hash,
                 "An attachment with this MD5, SHA-1 or SHA-256 (hex)");
  sub.add_option("--message-id", o->message_id, "Message-ID header, with or without <>");
  sub.add_option("--campaign", o->campaign, "Campaign id (see report campaigns)");
  sub.add_option("--sensor", o->sensor, "Only the messages one sensor captured (a fleet's shared store)");
  sub.add_option("--asn", o->asn, "The client's autonomous system ([geoip]): 64501 or AS64501");
  sub.add_option("--country", o->country, "The client's country ([geoip]), two letters such as DE");
  sub.add_option("--spf", o->spf,
                 "SPF result of the message (pass, fail, softfail, neutral, none, temperror, permerror); "
                 "evaluated while serve runs with [dns]");
  sub.add_option("--dkim", o->dkim, "DKIM result (pass, fail, neutral, none, temperror, permerror)");
  sub.add_option("--dmarc", o->dmarc, "DMARC result of the From domain (pass, fail, none, temperror, permerror)");
  sub.add_option("--limit", o->limit, "At most N messages, newest first (0: all)")
      ->default_val(100);
  sub.add_option("--format", o->format, "table, csv or json")->default_val("table");
  sub.add_option("--maildir", o->maildir, "Write the matching messages into this Maildir");
  sub.add_option("--mbox", o->mbox, "Append the matching messages to this mbox file");
  sub.callback([o, &exit_code] { exit_code = search(*o); });
}

}  // namespace spampot::app
