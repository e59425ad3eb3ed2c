#include "web/openapi.hpp"

#include <nlohmann/json.hpp>

#include "intel/export_format.hpp"
#include "intel/report.hpp"
#include "intel/search_query.hpp"

namespace spampot::web {

namespace {

using json = nlohmann::json;

json query(const std::string& name, const std::string& description, json schema = {{"type", "string"}}) {
  return {{"name", name}, {"in", "query"}, {"required", false}, {"description", description}, {"schema", schema}};
}

json path_param(const std::string& name, const std::string& description, json schema = {{"type", "string"}}) {
  return {{"name", name}, {"in", "path"}, {"required", true}, {"description", description}, {"schema", schema}};
}

json get(const std::string& summary, const json& params, const std::string& type, const std::string& description) {
  json op{{"summary", summary},
          {"responses",
           {{"200", {{"description", description}, {"content", {{type, {{"schema", {{"type", "string"}}}}}}}}},
            {"400", {{"description", "a parameter that cannot be read"}}},
            {"404", {{"description", "nothing with that id or name"}}}}}};
  if (!params.empty()) op["parameters"] = params;
  return {{"get", op}};
}

}  // namespace

std::string openapi_json() {
  json search = json::array();
  for (auto name : intel::search_param_names())
    search.push_back(query(std::string(name), "as `spampot search --" + std::string(name) + "`"));
  json reports = json::array(), formats = json::array();
  for (const auto& n : intel::report_names()) reports.push_back(n);
  for (const auto& f : intel::export_formats()) formats.push_back(f.name);
  const json report_params = json::array({path_param("name", "the report", {{"type", "string"}, {"enum", reports}}),
                                          query("since", "2026-11-27, 2026-11-27T10:00:00Z, or 24h"),
                                          query("until", "as since"), query("domain", "one trap domain"),
                                          query("limit", "top N", {{"type", "integer"}}),
                                          query("min_size", "campaigns: the fewest messages", {{"type", "integer"}})});
  json export_params = json::array(
      {path_param("format", "the export format", {{"type", "string"}, {"enum", formats}}),
       query("what", "what to list", {{"type", "string"}, {"enum", {"ips", "senders", "domains", "harvesters", "url-domains"}}})});
  for (const char* p : {"min_hits", "min_days", "aggregate_v4", "aggregate_v6"})
    export_params.push_back(query(p, "the listing policy, as `spampot export`", {{"type", "integer"}}));
  export_params.push_back(query("since", "seen at or after"));
  export_params.push_back(query("expire_after", "a number of days or a duration"));
  const json id = json::array({path_param("id", "a message id (\"queued as ID\")")});
  const json session_id = json::array({path_param("id", "a session id")});

  json paths;
  paths["/api/v1/search"] = get("Messages matching the filters, newest first (keyset pages: before)", search,
                                "application/json", "the same JSON array as `spampot search --format json`");
  paths["/api/v1/message/{id}"] = get("One message", id, "application/json", "the same JSON as `spampot show ID`");
  paths["/api/v1/session/{id}"] = get("One session", session_id, "application/json", "the same JSON as `spampot show SESSION`");
  paths["/api/v1/report/{name}"] = get("A report", report_params, "application/json",
                                       "the same JSON as `spampot report NAME --format json`");
  paths["/api/v1/export/{format}"] = get("A blocklist export", export_params, "text/plain",
                                         "the same bytes as `spampot export FORMAT`");
  paths["/api/v1/openapi.json"] = get("This document", json::array(), "application/json", "OpenAPI 3.0");
  paths["/"] = get("The overview page", json::array(), "text/html", "HTML");
  paths["/live/newest"] = get("The newest messages, a page the overview frames and reloads every 5 seconds", json::array(),
                              "text/html", "HTML");
  paths["/messages"] = get("The message search page", search, "text/html", "HTML");
  paths["/message/{id}"] = get("A message's page", id, "text/html", "HTML");
  paths["/message/{id}/raw"] = get("The raw message as text", id, "text/plain", "the message as delivered");
  paths["/message/{id}/eml"] = get("The raw message as a download", id, "application/octet-stream", "an .eml file");
  paths["/message/{id}/html"] = get("The message's HTML body, for a sandboxed frame", id, "text/html",
                                    "the HTML body under a policy that runs and loads nothing");
  paths["/message/{id}/attachment/{n}"] =
      get("An attachment as a download",
          json::array({path_param("id", "a message id"), path_param("n", "the attachment's position", {{"type", "integer"}})}),
          "application/octet-stream", "the decoded bytes");
  paths["/session/{id}"] = get("A session's page: transcript, AUTH tried, violations", session_id, "text/html", "HTML");
  paths["/reports"] = get("Every report", json::array(), "text/html", "HTML");
  paths["/reports/{name}"] = get("A report's page: its tables and charts", report_params, "text/html", "HTML");
  paths["/exports"] = get("Every export format", json::array(), "text/html", "HTML");
  paths["/exports/{format}"] = get("A blocklist export as a download", export_params, "text/plain", "the export");
  paths["/static/console.css"] = get("The console's styles", json::array(), "text/css", "CSS");

  json doc{{"openapi", "3.0.3"},
           {"info",
            {{"title", "spampot console"},
             {"version", SPAMPOT_VERSION},
             {"description", "Read-only: every route is a GET. Off loopback every request carries the console's token "
                             "(Bearer, or HTTP Basic with the token as password)."}}},
           {"paths", paths},
           {"components",
            {{"securitySchemes",
              {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}, {"basic", {{"type", "http"}, {"scheme", "basic"}}}}}}}};
  return doc.dump(2) + "\n";
}

}  // namespace spampot::web
