// Finding a message's raw text, in its delivered form (what `show --raw` prints). The store keeps
// where in its sensor's spool a message starts, and with `[store] keep_raw` the text itself.
// Asked in this order: the spool given with --spool; the store; the spool the sensor's indexer
// recorded in the store; the config's. A record read from the wrong spool would be another
// message at the same place, so a spool holds the message only when the record there carries its
// id. In a fleet a central `show --raw` may find none: the error says which sensor and path hold
// it and that --spool reads a copy.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "capture/reader.hpp"
#include "store/store.hpp"

namespace spampot::pipeline {

class raw_source {
 public:
  // `given`: the --spool option ("" when not given); `configured`: the config's spool.
  raw_source(store::store& st, std::string given, std::string configured);

  Result<std::string> delivered(const store::message_row& m);

 private:
  Result<std::string> read_in(const std::string& spool, const store::message_row& m);
  // What to say when retention dropped the message's segment; nullopt when it did not.
  Result<std::optional<std::string>> expired(const store::message_row& m);

  store::store& store_;
  std::string given_, configured_;
  std::map<std::string, std::unique_ptr<capture::journal_reader>> readers_;
  std::map<std::string, std::optional<std::string>> recorded_;  // each sensor's spool, as recorded
  std::map<std::string, std::uint32_t> last_expired_;          // each sensor's newest dropped segment
};

}  // namespace spampot::pipeline
