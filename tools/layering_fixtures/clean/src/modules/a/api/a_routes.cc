#include <boost/json.hpp>
#include "modules/a/service/a_service.h"
#include "platform/api/route_context.h"
