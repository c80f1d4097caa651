#include "platform/service/deps.h"
