// A message's raw text as the store keeps it (`[store] keep_raw`): its delivered form, the one
// `show --raw` prints, zstd-compressed; or, past base/limits.hpp's kStoredRawBytes compressed,
// only a note that it was too big (the spool still has it).
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"
#include "store/records.hpp"

namespace spampot::pipeline {

store::raw_row pack_raw(std::string id, std::string_view delivered);

// The delivered form again; an error that says why when the row holds none.
Result<std::string> unpack_raw(const store::raw_row& r);

}  // namespace spampot::pipeline
