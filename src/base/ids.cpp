#include "base/ids.hpp"

namespace spampot {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void put_base32(std::string& out, std::uint64_t v, int chars) {
  for (int i = chars - 1; i >= 0; --i) out += kAlphabet[(v >> (i * 5)) & 31];
}

int value_of(char c) {
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

}  // namespace

id_generator::id_generator(std::string_view sensor, std::uint32_t seed)
    : node_(2166136261u), seq_(seed & 0xfffff) {
  for (unsigned char c : sensor) node_ = (node_ ^ c) * 16777619u;  // FNV-1a
  node_ &= 0xfffff;
}

std::string id_generator::next(Micros now) {
  // Keep ids increasing even if the wall clock steps back (NTP) within this process.
  if (now <= last_) now = last_ + 1;
  last_ = now;
  seq_ = (seq_ + 1) & 0xfffff;
  std::string id;
  id.reserve(19);
  put_base32(id, static_cast<std::uint64_t>(now), 11);
  put_base32(id, node_, 4);
  put_base32(id, seq_, 4);
  return id;
}

Micros id_time(std::string_view id) {
  if (id.size() != 19) return -1;
  std::uint64_t v = 0;
  for (char c : id.substr(0, 11)) {
    const int d = value_of(c);
    if (d < 0) return -1;
    v = (v << 5) | static_cast<std::uint64_t>(d);
  }
  return static_cast<Micros>(v);
}

}  // namespace spampot
