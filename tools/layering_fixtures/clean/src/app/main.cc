#include "modules/a/repo/a_repo.h"
#include "modules/b/api/b_routes.h"
#include <boost/json.hpp>
const char* k = "DELETE FROM x";
