// Turning journal records into store rows: the parse step of the pipeline.
#pragma once

#include "base/result.hpp"
#include "capture/reader.hpp"
#include "store/records.hpp"

namespace spampot::pipeline {

Result<store::message_row> message_row_from(const capture::entry& e);
Result<store::session_row> session_row_from(const capture::entry& e);
Result<store::http_request_row> http_row_from(const capture::entry& e);

std::string sha256_hex(std::string_view data);

}  // namespace spampot::pipeline
