// `[log] format = "json"`: one JSON object a line on stderr, for journald, Loki or Elastic
// pipelines to read without a pattern: {"time", "level", "logger", "message"}. Peer text in a
// message is escaped before it is logged (base/escape.hpp); JSON escaping comes on top, so a line
// always parses.
#pragma once

namespace spampot::app {

// Switches the default logger to JSON lines.
void use_json_log();

}  // namespace spampot::app
