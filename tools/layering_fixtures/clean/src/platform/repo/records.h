#include "storage/connection.h"
const char* kSql = "SELECT 1";
