// Connections at once, in total and per client address. Used from the io_context thread only.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

namespace spampot::net {

class per_ip_limits {
 public:
  per_ip_limits(std::size_t total, std::size_t per_ip)
      : total_limit_(total), per_ip_limit_(per_ip) {}

  // Takes a slot, or returns the reason it cannot ("too many connections").
  const char* acquire(const std::string& ip) {
    if (total_ >= total_limit_) return "too many connections";
    auto& n = by_ip_[ip];
    if (n >= per_ip_limit_) return "too many connections from your address";
    ++n;
    ++total_;
    return nullptr;
  }

  void release(const std::string& ip) {
    auto it = by_ip_.find(ip);
    if (it == by_ip_.end()) return;
    --total_;
    if (--it->second == 0) by_ip_.erase(it);
  }

 private:
  std::size_t total_limit_;
  std::size_t per_ip_limit_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::size_t> by_ip_;
};

}  // namespace spampot::net
