#include "modules/a/repo/a_repo.h"
