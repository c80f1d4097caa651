#include "platform/repo/records.h"
