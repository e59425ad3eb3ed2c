// `spampot seed new|add|html`: planting addresses by hand (the seed page mints its own in
// `serve`). Each seed goes into the store at once, with its label and time.
#include <cstdio>

#include "app/common.hpp"
#include "base/ascii.hpp"
#include "base/domain.hpp"
#include "seed/mint.hpp"
#include "seed/page.hpp"
#include "store/store.hpp"

namespace spampot::app {
namespace {

struct seed_options {
  common_options common;
  std::string domain, label, kind = "planted", address, at;
  std::size_t count = 1;
};

int fail(const std::string& msg, int code = kExitError) {
  std::fprintf(stderr, "spampot seed: %s\n", msg.c_str());
  return code;
}

// A seed must be at a trap domain, or the trap refuses the mail it should draw.
Status check_trap_domain(const config::config& cfg, const std::string& domain) {
  if (cfg.traps_domain(domain)) return {};
  return Error{"'" + domain + "' is not a [[trap]] domain of the config: mail to a seed there would be refused"};
}

Status check_kind(const std::string& kind) {
  if (kind == "planted" || kind == "registration") return {};
  return Error{"--kind " + kind + ": use planted (put where harvesters crawl) or registration "
               "(given only to a domain registrar)"};
}

// Mints `n` seeds and stores each; returns them with the person each pretends to be.
Result<std::vector<seed::minted>> mint_seeds(const seed_options& o, std::size_t n) {
  if (auto k = check_kind(o.kind); !k) return Error{k.error()};
  auto cfg = resolve_config(o.common);
  if (!cfg) return Error{cfg.error()};
  const std::string domain = ascii_lower(o.domain);
  if (auto d = check_trap_domain(*cfg, domain); !d) return Error{d.error()};
  auto st = store::open(cfg->store.db);
  if (!st) return Error{st.error()};
  std::vector<seed::minted> out;
  std::string failure;
  // Never an address that is a seed already or that mail has reached: spam to it would be
  // credited to this planting.
  auto taken = [&](std::string_view a) {
    auto s = (*st)->find_seed(a);
    auto seen = (*st)->address_seen(a);
    if (!s || !seen) {
      failure = !s ? s.error() : seen.error();
      return true;
    }
    return s->has_value() || *seen;
  };
  store::transaction tx(**st);
  if (!tx.begun()) return tx.begun().failure();
  for (std::size_t i = 0; i < n; ++i) {
    auto m = seed::mint(domain, seed::secure_random, taken);
    if (!m) return Error{failure.empty() ? "no fresh address found at " + domain : failure};
    store::seed_row row{m->address, domain, o.label, o.kind, "cli", cfg->sensor, now_micros(),
                        "", "", ""};
    if (auto a = (*st)->add_seed(row); !a) return a.failure();
    out.push_back(std::move(*m));
  }
  if (auto c = tx.commit(); !c) return c.failure();
  return out;
}

int seed_new(const seed_options& o) {
  auto got = mint_seeds(o, o.count);
  if (!got) return fail(got.error());
  for (const auto& m : *got) std::printf("%s\n", m.address.c_str());
  return kExitOk;
}

int seed_html(const seed_options& o) {
  auto got = mint_seeds(o, 1);
  if (!got) return fail(got.error());
  std::fputs(seed::snippet_html(got->front().address, got->front().name).c_str(), stdout);
  return kExitOk;
}

int seed_add(const seed_options& o) {
  if (auto k = check_kind(o.kind); !k) return fail(k.error(), kExitUsage);
  const std::string address = ascii_lower(o.address);
  const std::string domain = domain_of(address);
  if (domain.empty() || address.find('@') == 0 || address.find_first_of(" <>\t") != std::string::npos)
    return fail("'" + o.address + "' is not an address such as jane.doe@trap.example", kExitUsage);
  Micros at = now_micros();
  if (!o.at.empty()) {
    auto t = parse_time_point(o.at, at);
    if (!t) return fail("--at " + o.at + ": not a time (2026-11-27, 2026-11-27T10:00:00Z, or 24h)", kExitUsage);
    at = *t;
  }
  auto cfg = resolve_config(o.common);
  if (!cfg) return fail(cfg.error());
  if (auto d = check_trap_domain(*cfg, domain); !d) return fail(d.error());
  auto st = store::open(cfg->store.db);
  if (!st) return fail(st.error());
  store::transaction tx(**st);
  if (!tx.begun()) return fail(tx.begun().error());
  auto added = (*st)->add_seed({address, domain, o.label, o.kind, "cli", cfg->sensor, at, "", "", ""});
  if (!added) return fail(added.error());
  if (auto c = tx.commit(); !c) return fail(c.error());
  if (!*added) return fail(address + " is a seed already");
  std::printf("%s\n", address.c_str());
  return kExitOk;
}

void common_seed_options(CLI::App& sub, seed_options& o) {
  add_common_options(sub, o.common);
  sub.add_option("--label", o.label,
                 "Where it is planted, for `report seeds`: a URL, a forum, a registrar's form")
      ->default_val("");
  sub.add_option("--kind", o.kind,
                 "planted (put where harvesters crawl) or registration (given only to a registrar)")
      ->default_val("planted");
}

}  // namespace

void setup_seed(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<seed_options>();
  sub.require_subcommand(1);

  auto* mint = sub.add_subcommand("new", "Mint fresh seed addresses (one per line) at a trap domain");
  common_seed_options(*mint, *o);
  mint->add_option("--domain", o->domain, "The trap domain")->required();
  mint->add_option("--count", o->count, "How many")->default_val(1)->check(CLI::Range(1, 100000));
  mint->callback([o, &exit_code] { exit_code = seed_new(*o); });

  auto* html = sub.add_subcommand("html", "Mint one seed and print an HTML snippet that carries it");
  common_seed_options(*html, *o);
  html->add_option("--domain", o->domain, "The trap domain")->required();
  html->callback([o, &exit_code] { exit_code = seed_html(*o); });

  auto* add = sub.add_subcommand("add", "Record an address planted before, or given to a registrar");
  common_seed_options(*add, *o);
  add->add_option("address", o->address, "The address, at a trap domain")->required();
  add->add_option("--at", o->at, "When it was planted (default: now)");
  add->callback([o, &exit_code] { exit_code = seed_add(*o); });

  sub.footer(
      "Seeds look like people's addresses (anna.keller84@, m.j.rossi@): harvesters skip random "
      "tokens.\n"
      "Mail to a seed after its planting is traced to it in `spampot report seeds`. `serve` with "
      "[seed] listen\n"
      "set serves a page that mints one per visit, bound to the visitor.");
}

}  // namespace spampot::app
