#include "app/modules.h"
