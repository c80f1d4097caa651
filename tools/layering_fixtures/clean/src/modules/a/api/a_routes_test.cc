#include "modules/a/repo/a_repo.h"
const char* k = "INSERT INTO t VALUES (1)";
