// Dropping root after the ports are bound (STYLE.md §15): the spool and database are handed to
// the user first, so that it can write them, then the process becomes that user for good.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace spampot::net {

// Chowns `paths` (and, for directories, what is in them) to `user`, then sets the groups, group
// and user ids. Nothing to do when `user` is empty. Fails if not root or if the user is unknown.
Status drop_privileges(const std::string& user, const std::vector<std::filesystem::path>& paths);

}  // namespace spampot::net
