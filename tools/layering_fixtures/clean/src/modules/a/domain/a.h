#include "base/status.h"
#include "domain/date.h"
