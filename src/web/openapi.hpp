// The console's OpenAPI 3 document (/api/v1/openapi.json): every route it answers, pages and API,
// with the parameters each takes, made from the same lists the routes read (the search filters,
// the report names, the export formats).
#pragma once

#include <string>

namespace spampot::web {

std::string openapi_json();

}  // namespace spampot::web
