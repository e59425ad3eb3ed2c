#include "store/search_sql.hpp"

#include "base/ascii.hpp"
#include "base/domain.hpp"

namespace spampot::store {
namespace {

// "--from user@dom" matches the address; "--from @dom" (or "dom") matches the whole domain.
void address_clause(sql_filter& out, std::string_view column, std::string_view domain_column,
                    const std::string& value, std::string_view nocase) {
  if (value.find('@') == std::string::npos || value.front() == '@') {
    out.where += std::string(domain_column) + " = ?" + std::string(nocase);
    out.args.emplace_back(domain_of(value.front() == '@' ? value : "@" + value));
  } else {
    out.where += std::string(column) + " = ?" + std::string(nocase);
    out.args.emplace_back(value);
  }
}

}  // namespace

void time_bounds(const window& w, std::string& where, std::vector<bind_value>& args,
                 std::string_view column) {
  if (w.since) {
    where += " AND " + std::string(column) + " >= ?";
    args.emplace_back(*w.since);
  }
  if (w.until) {
    where += " AND " + std::string(column) + " < ?";
    args.emplace_back(*w.until);
  }
}

sql_filter search_where(const search_filter& f, std::string_view nocase) {
  sql_filter out{"1=1", {}};
  time_bounds({f.since, f.until, ""}, out.where, out.args, "m.received_at");
  if (f.ip) {
    out.where += " AND m.client_ip_bin BETWEEN ? AND ?";
    out.args.emplace_back(f.ip->first());
    out.args.emplace_back(f.ip->last());
  }
  if (f.from) {
    out.where += " AND ";
    address_clause(out, "m.mail_from", "m.mail_from_domain", *f.from, nocase);
  }
  if (f.to) {
    out.where += " AND EXISTS (SELECT 1 FROM message_recipients r WHERE r.message_id = m.id AND ";
    address_clause(out, "r.address", "r.domain", *f.to, nocase);
    out.where += ")";
  }
  // The TLS fingerprint of the session the message came in: spamware families share stacks.
  for (const auto& [column, value] : {std::pair{"ja3", &f.ja3}, std::pair{"ja4", &f.ja4},
                                      std::pair{"fingerprint", &f.fingerprint}}) {
    if (!*value) continue;
    out.where +=
        std::string(" AND m.session_id IN (SELECT id FROM sessions WHERE ") + column + " = ?)";
    out.args.emplace_back(**value);
  }
  if (f.subject) {
    // LIKE folds ASCII case in both dialects; the pattern's own wildcards are taken literally.
    std::string pattern = "%";
    for (char c : *f.subject) {
      if (c == '%' || c == '_' || c == '!') pattern += '!';
      pattern += c;
    }
    pattern += '%';
    out.where += " AND m.id IN (SELECT id FROM message_details WHERE subject LIKE ? ESCAPE '!')";
    out.args.emplace_back(pattern);
  }
  if (f.url_host) {
    std::string host = ascii_lower(*f.url_host);
    while (!host.empty() && host.back() == '.') host.pop_back();
    out.where +=
        " AND m.id IN (SELECT message_id FROM message_urls WHERE host = ? OR domain = ?)";
    out.args.emplace_back(host);
    out.args.emplace_back(host);
  }
  if (f.attachment_hash) {
    const std::string h = ascii_lower(*f.attachment_hash);
    const char* column = h.size() == 32 ? "md5" : h.size() == 40 ? "sha1" : "sha256";
    out.where += std::string(" AND m.id IN (SELECT message_id FROM message_attachments WHERE ") +
                 column + " = ?)";
    out.args.emplace_back(h);
  }
  if (f.message_id) {
    out.where += " AND m.id IN (SELECT id FROM message_details WHERE message_id = ?)";
    out.args.emplace_back(*f.message_id);
  }
  if (f.campaign) {
    out.where += " AND m.id IN (SELECT id FROM message_details WHERE campaign = ?)";
    out.args.emplace_back(*f.campaign);
  }
  if (f.asn) {
    out.where += " AND m.asn = ?";
    out.args.emplace_back(std::int64_t{*f.asn});
  }
  for (const auto& [column, value] : {std::pair{"spf", &f.spf}, std::pair{"dkim", &f.dkim}, std::pair{"dmarc", &f.dmarc}}) {
    if (!*value) continue;
    out.where += std::string(" AND m.") + column + " = ?";
    out.args.emplace_back(**value);
  }
  if (f.country) {
    out.where += " AND m.country = ?";
    out.args.emplace_back(*f.country);
  }
  if (f.sensor) {
    out.where += " AND m.sensor = ?";
    out.args.emplace_back(*f.sensor);
  }
  if (f.before) {
    // The bound on received_at alone lets the backend walk its index from there; the OR only
    // settles ties within the one microsecond.
    out.where += " AND m.received_at <= ? AND (m.received_at < ? OR m.id < ?)";
    out.args.emplace_back(f.before->received_at);
    out.args.emplace_back(f.before->received_at);
    out.args.emplace_back(f.before->id);
  }
  return out;
}

}  // namespace spampot::store
