#include "modules/c/repo/c_repo.h"
