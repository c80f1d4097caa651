#include "modules/a/service/a_service.h"
#include "modules/a/domain/a.h"
