#include "modules/a/service/a_service.h"
