#include "seed/mint.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "base/ascii.hpp"

namespace spampot::seed {
namespace {

// Common given names and surnames of several languages, ASCII only (an address must pass every
// mailer a spammer uses).
constexpr std::array<std::string_view, 96> kFirst = {
    "anna",   "maria",   "laura",   "sarah",   "julia",   "emma",    "lisa",    "sophie",
    "claire", "nina",    "elena",   "sofia",   "marta",   "paula",   "karen",   "linda",
    "susan",  "helen",   "ruth",    "diane",   "carol",   "megan",   "rachel",  "hannah",
    "ingrid", "astrid",  "greta",   "petra",   "monika",  "sabine",  "katja",   "alice",
    "chloe",  "lucia",   "giulia",  "chiara",  "ines",    "rosa",    "agnes",   "irene",
    "olga",   "tanja",   "vera",    "emily",   "jessica", "amanda",  "nicole",  "heather",
    "john",   "peter",   "michael", "david",   "james",   "robert",  "thomas",  "daniel",
    "mark",   "paul",    "steven",  "andrew",  "brian",   "kevin",   "jason",   "eric",
    "martin", "stefan",  "markus",  "jens",    "lars",    "sven",    "henrik",  "jan",
    "pierre", "julien",  "nicolas", "antoine", "marco",   "luca",    "matteo",  "carlos",
    "javier", "diego",   "pablo",   "miguel",  "pedro",   "tomas",   "pavel",   "ivan",
    "oliver", "simon",   "felix",   "lukas",   "tobias",  "florian", "dennis",  "frank"};

constexpr std::array<std::string_view, 128> kLast = {
    "smith",    "johnson",  "williams", "brown",     "jones",    "miller",   "davis",
    "wilson",   "anderson", "taylor",   "thomas",    "moore",    "martin",   "jackson",
    "thompson", "white",    "harris",   "clark",     "lewis",    "walker",   "hall",
    "young",    "allen",    "wright",   "scott",     "green",    "baker",    "adams",
    "nelson",   "carter",   "mitchell", "roberts",   "turner",   "phillips", "campbell",
    "parker",   "evans",    "edwards",  "collins",   "stewart",  "morris",   "murphy",
    "cook",     "rogers",   "morgan",   "cooper",    "peterson", "reed",     "bailey",
    "kelly",    "howard",   "ward",     "cox",       "richards", "wood",     "watson",
    "brooks",   "bennett",  "gray",     "hughes",    "price",    "sanders",  "myers",
    "long",     "ross",     "foster",   "mueller",   "schmidt",  "schneider", "fischer",
    "weber",    "meyer",    "wagner",   "becker",    "schulz",   "hoffmann", "koch",
    "richter",  "klein",    "wolf",     "neumann",   "keller",   "vogel",    "frank",
    "berger",   "hansen",   "jensen",   "nielsen",   "larsen",   "olsen",    "berg",
    "lindqvist", "nilsson", "svensson", "dubois",    "moreau",   "laurent",  "girard",
    "bonnet",   "rossi",    "russo",    "ferrari",   "esposito", "bianchi",  "romano",
    "ricci",    "garcia",   "martinez", "lopez",     "gonzalez", "sanchez",  "ramirez",
    "torres",   "flores",   "rivera",   "novak",     "horvat",   "kovacs",   "nagy",
    "petrov",   "ivanova",  "dvorak",   "janssen",   "devries",  "visser",   "smit",
    "bakker",   "peeters"};

std::string_view pick(const auto& list, const random_source& rnd) {
  return list[rnd() % list.size()];
}

std::string capitalised(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

// Two digits as a birth year writes them (55 to 99, 00 to 09), or sometimes all four.
std::string year(const random_source& rnd) {
  const unsigned y = 1955 + rnd() % 55;
  char buf[8];
  if (rnd() % 4 == 0) {
    std::snprintf(buf, sizeof buf, "%u", y);
  } else {
    std::snprintf(buf, sizeof buf, "%02u", y % 100);
  }
  return buf;
}

}  // namespace

std::uint32_t secure_random() {
  std::uint32_t v = 0;
  // RAND_bytes fails only when the system's entropy source is broken: then no seed is safe.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) != 1) std::abort();
  return v;
}

minted person_address(std::string_view domain, const random_source& rnd) {
  const std::string first(pick(kFirst, rnd));
  const std::string last(pick(kLast, rnd));
  const std::string f = first.substr(0, 1);
  const char middle = static_cast<char>('a' + rnd() % 26);
  std::string local;
  switch (rnd() % 7) {
    case 0:
      local = first + "." + last + year(rnd);
      break;
    case 1:
      local = first + last + year(rnd);
      break;
    case 2:
      local = f + last + year(rnd);
      break;
    case 3:
      local = first + "_" + last + year(rnd);
      break;
    case 4:
      local = first + last.substr(0, 1) + year(rnd);
      break;
    case 5:
      local = first + "." + middle + "." + last;
      break;
    default:
      local = last + "." + first + year(rnd);
      break;
  }
  return {local + "@" + ascii_lower(domain), capitalised(first) + " " + capitalised(last)};
}

std::optional<minted> mint(std::string_view domain, const random_source& rnd,
                           const std::function<bool(std::string_view)>& taken) {
  for (int i = 0; i < 100; ++i) {
    minted m = person_address(domain, rnd);
    if (!taken(m.address)) return m;
  }
  return std::nullopt;
}

}  // namespace spampot::seed
