// What the console serves besides its pages, compiled into the binary: nothing is fetched from
// anywhere at run time, no CDN, no web font.
#pragma once

#include <string_view>

namespace spampot::web {

std::string_view console_css();

}  // namespace spampot::web
