#include "intel/address_sort.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <type_traits>

namespace spampot::intel {

static_assert(std::is_trivially_copyable_v<address_key>, "runs are written and read as bytes");

struct address_sort::run_file {
  std::FILE* f = nullptr;
  address_key head;
  bool has = false;
  ~run_file() {
    if (f) std::fclose(f);
  }
  void advance() { has = std::fread(&head, sizeof head, 1, f) == 1; }
};

address_sort::address_sort(std::size_t run) : run_(std::max<std::size_t>(run, 1)) {}
address_sort::~address_sort() = default;

namespace {
bool by_address(const address_key& a, const address_key& b) { return a.address < b.address; }
}  // namespace

Status address_sort::add(const address_key& k) {
  buffer_.push_back(k);
  ++added_;
  if (buffer_.size() >= run_) return spill();
  return {};
}

Status address_sort::spill() {
  std::stable_sort(buffer_.begin(), buffer_.end(), by_address);
  auto r = std::make_unique<run_file>();
  r->f = std::tmpfile();
  if (!r->f) return Error{std::string("cannot make a temporary file to sort addresses: ") + std::strerror(errno)};
  if (std::fwrite(buffer_.data(), sizeof(address_key), buffer_.size(), r->f) != buffer_.size() ||
      std::fflush(r->f) != 0)
    return Error{std::string("cannot write a temporary file to sort addresses: ") + std::strerror(errno)};
  runs_.push_back(std::move(r));
  buffer_.clear();
  return {};
}

Status address_sort::finish() {
  if (runs_.empty()) {
    std::stable_sort(buffer_.begin(), buffer_.end(), by_address);
    return {};
  }
  // What is left in memory is the last run: sorted and read back like the others.
  if (!buffer_.empty())
    if (auto s = spill(); !s) return s;
  buffer_.shrink_to_fit();
  for (auto& r : runs_) {
    std::rewind(r->f);
    r->advance();
  }
  return {};
}

bool address_sort::next(address_key& out) {
  if (runs_.empty()) {
    if (pos_ >= buffer_.size()) return false;
    out = buffer_[pos_++];
    return true;
  }
  // A handful of runs per million keys: the smallest head is found by a scan; the earlier run
  // wins a tie, so equal addresses keep the order they came in.
  run_file* best = nullptr;
  for (auto& r : runs_) {
    if (!r->has && std::ferror(r->f)) {
      status_ = Error{"cannot read back a temporary file of sorted addresses"};
      return false;
    }
    if (r->has && (!best || r->head.address < best->head.address)) best = r.get();
  }
  if (!best) return false;
  out = best->head;
  best->advance();
  return true;
}

}  // namespace spampot::intel
