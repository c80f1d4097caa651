#include "modules/a/domain/a.h"
#include "platform/repo/records.h"
#include "storage/connection.h"
