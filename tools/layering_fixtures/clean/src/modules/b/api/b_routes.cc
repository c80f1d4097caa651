#include "modules/a/api/a_routes.h"
#include "modules/b/service/b_service.h"
