#include "modules/a/repo/a_repo.h"
#include "platform/service/deps.h"
// SELECT in a comment is fine
const char* kMsg = "选择 select";
char q = '"';
