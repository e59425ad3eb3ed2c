// Minting seed addresses: trap addresses that look like a real person's, one per planting, so
// that spam to one tells where and when it was harvested.
//
// Why names and not random tokens: harvesters and list cleaners drop local parts that look
// machine-made (long hex, UUIDs), and a seed that is dropped never gets spam. Why digits and
// middle initials: a plain first.last is what dictionary attacks try, and a guessed address must
// not pass for a harvested one.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace spampot::seed {

// A source of uniform 32-bit numbers. The product uses secure_random(): a harvester that could
// predict the next address could tell seeds from real mailboxes.
using random_source = std::function<std::uint32_t()>;
std::uint32_t secure_random();

struct minted {
  std::string address;  // lower-case local part @ domain
  std::string name;     // the person it pretends to be, for pages: "Anna Keller"
};

// One person-like address at `domain`. Not checked for uniqueness.
minted person_address(std::string_view domain, const random_source& rnd);

// A fresh address at `domain` for which `taken` says false, or nullopt when 100 tries all
// collided (the space holds millions per domain, so that means `taken` says yes to everything).
std::optional<minted> mint(std::string_view domain, const random_source& rnd,
                           const std::function<bool(std::string_view)>& taken);

}  // namespace spampot::seed
